#!/usr/bin/python3
"""Measure outside reference figures for the Layerwise benchmarks: BLAS sgemm, scikit-learn and PyTorch fits.

Prints one table with three parts:
  gemm     sgemm through numpy for the dense forward of network C's first layer, X (256x784) @ W.T (784x256),
           plus bias and ReLU, and the same at 64 rows; GFLOP/s count the matmul alone (2*M*K*N flops).
  sklearn  MLPClassifier fit on data/digits.csv (64-128-64-10 ReLU, Adam 1e-3, batch 32, 30 epochs).
  torch    PyTorch fit of the same network and data split.
Each figure is a median over rounds or fits. OpenBLAS runs on 1 and 2 threads. The "system" rows use whatever
libblas.so.3 the Debian alternative selects (netlib reference BLAS unless OpenBLAS was made the default), which is
also what Debian's numpy and torch load when started normally.

Needs Debian's python3-numpy, python3-torch, python3-sklearn, python3-threadpoolctl and libopenblas0-pthread. The
subprocesses load OpenBLAS through LD_LIBRARY_PATH, so the system BLAS alternative is left as it is:
    /usr/bin/python3 tests/Layerwise.Benchmarks/python_baselines.py

Thread counts must be in place before numpy or torch load their BLAS, so each measurement runs in a fresh
subprocess of this script (--child) with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS_CSV = os.path.join(REPO_ROOT, "data", "digits.csv")
# Debian's libopenblas0-pthread installs its libblas.so.3 here, beside the alternative that the system may point to.
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"

EPOCHS = 30
BATCH_SIZE = 32
LEARNING_RATE = 1e-3
SKLEARN_FITS = 5
TORCH_FITS = 3


def median_seconds(action, rounds=7, min_round_seconds=0.05):
    """Return the median seconds per call of action, with repeats per round sized from one warm-up call."""
    start = time.perf_counter()
    action()
    first = time.perf_counter() - start
    repeats = max(1, int(min_round_seconds / max(first, 1e-9)))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            action()
        times.append((time.perf_counter() - start) / repeats)
    return statistics.median(times)


def loaded_blas():
    """Return the path of the BLAS library mapped into this process, read from /proc/self/maps."""
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if name.startswith(("libblas", "libopenblas")):
                return os.path.realpath(path)
    return "none mapped"


def load_digits_split():
    """Read data/digits.csv and return the stratified 80/20 split (seed 42) with pixels scaled to [0, 1]."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    with open(DIGITS_CSV) as csv_file:
        header = csv_file.readline().strip().split(",")
    if header[-1] != "label" or len(header) != 65:
        raise ValueError(f"invalid header in {DIGITS_CSV}: expected 64 pixel columns and a final 'label' column, "
                         f"found {len(header)} columns ending in '{header[-1]}'")
    table = np.loadtxt(DIGITS_CSV, delimiter=",", skiprows=1, dtype=np.float32)
    features = table[:, :64] / np.float32(16.0)
    labels = table[:, 64].astype(np.int64)
    return train_test_split(features, labels, test_size=0.2, stratify=labels, random_state=42)


def measure_gemm(threads):
    import numpy as np

    rng = np.random.default_rng(1)
    weights = rng.standard_normal((256, 784), dtype=np.float32)
    bias = rng.standard_normal(256, dtype=np.float32)
    results = []
    for rows in (256, 64):
        inputs = rng.standard_normal((rows, 784), dtype=np.float32)
        product = np.empty((rows, 256), dtype=np.float32)

        def matmul_only():
            np.matmul(inputs, weights.T, out=product)

        def dense_forward():
            np.matmul(inputs, weights.T, out=product)
            np.add(product, bias, out=product)
            np.maximum(product, 0.0, out=product)

        matmul_seconds = median_seconds(matmul_only)
        dense_seconds = median_seconds(dense_forward)
        flops = 2 * rows * 784 * 256
        results.append({
            "shape": f"({rows}x784)@(784x256)",
            "matmul_us": matmul_seconds * 1e6,
            "gflops": flops / matmul_seconds / 1e9,
            "dense_us": dense_seconds * 1e6,
        })
    return {"rows": results}


def measure_sklearn(threads):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    x_train, x_test, y_train, y_test = load_digits_split()
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    times = []
    accuracies = []
    dtype = None
    for _ in range(SKLEARN_FITS):
        model = MLPClassifier(hidden_layer_sizes=(128, 64), activation="relu", solver="adam",
                              batch_size=BATCH_SIZE, learning_rate_init=LEARNING_RATE, max_iter=EPOCHS,
                              shuffle=True, random_state=1, tol=0, n_iter_no_change=EPOCHS)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        times.append(time.perf_counter() - start)
        accuracies.append(model.score(x_test, y_test))
        dtype = str(model.coefs_[0].dtype)
    return {"median_s": statistics.median(times), "min_s": min(times), "accuracy": statistics.median(accuracies),
            "epochs": model.n_iter_, "dtype": dtype}


def measure_torch(threads):
    import torch
    import torch.nn as nn

    torch.set_num_threads(threads)
    x_train, x_test, y_train, y_test = (torch.from_numpy(part) for part in load_digits_split())
    times = []
    accuracies = []
    for fit in range(TORCH_FITS):
        torch.manual_seed(fit + 1)
        model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
        loss_function = nn.CrossEntropyLoss()
        shuffle = torch.Generator().manual_seed(fit + 1)

        start = time.perf_counter()
        model.train()
        for _ in range(EPOCHS):
            order = torch.randperm(len(x_train), generator=shuffle)
            # The last batch is partial (1437 training rows give 44 full batches and 29 rows), as in MLPClassifier.
            for first in range(0, len(order), BATCH_SIZE):
                batch = order[first:first + BATCH_SIZE]
                optimizer.zero_grad()
                loss_function(model(x_train[batch]), y_train[batch]).backward()
                optimizer.step()
        times.append(time.perf_counter() - start)

        model.eval()
        with torch.no_grad():
            predictions = model(x_test).argmax(dim=1)
        accuracies.append((predictions == y_test).float().mean().item())
    return {"median_s": statistics.median(times), "min_s": min(times), "accuracy": statistics.median(accuracies),
            "torch": torch.__version__}


# Each takes the thread count. run_child has already applied it to the BLAS through the environment.
MEASUREMENTS = {"gemm": measure_gemm, "sklearn": measure_sklearn, "torch": measure_torch}


def run_child(section, blas, threads):
    """Run one measurement in a fresh interpreter with its BLAS and thread count fixed, and return its result."""
    environment = dict(os.environ)
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        environment[variable] = str(threads)
    if blas == "openblas":
        environment["LD_LIBRARY_PATH"] = OPENBLAS_DIR + os.pathsep + environment.get("LD_LIBRARY_PATH", "")
    command = [sys.executable, os.path.abspath(__file__), "--child", section, "--threads", str(threads)]
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{section} on {blas} with {threads} thread(s) failed with exit code "
                           f"{completed.returncode}:\n{completed.stderr}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["blas_requested"] = blas
    return result


def child_main(section, threads):
    result = MEASUREMENTS[section](threads)
    import threadpoolctl

    pools = threadpoolctl.threadpool_info()
    result["blas_path"] = loaded_blas()
    result["blas_threads"] = [pool["num_threads"] for pool in pools if pool["user_api"] == "blas"]
    print(json.dumps(result))


def print_blas(result):
    threads = result["blas_threads"] or "n/a"
    print(f"    BLAS loaded: {result['blas_path']}, threads reported by threadpoolctl: {threads}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=sorted(MEASUREMENTS), help="run one measurement and print it as JSON")
    parser.add_argument("--threads", type=int, default=1, help="thread count of the --child measurement")
    arguments = parser.parse_args()
    if arguments.child:
        child_main(arguments.child, arguments.threads)
        return

    if not os.path.exists(os.path.join(OPENBLAS_DIR, "libblas.so.3")):
        sys.exit(f"OpenBLAS not found in {OPENBLAS_DIR}: install it with 'apt-get install -y libopenblas0-pthread'.")

    print(f"Python {sys.version.split()[0]}, load average before start {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} CPUs")

    print("\n[gemm] numpy float32 matmul, median over 7 rounds; dense = matmul + bias + ReLU")
    print(f"  {'BLAS':<9}{'threads':>8}  {'shape':<20}{'matmul us':>11}{'GFLOP/s':>10}"
          f"{'dense us':>11}")
    for blas, threads in (("openblas", 1), ("openblas", 2), ("system", 1)):
        result = run_child("gemm", blas, threads)
        for row in result["rows"]:
            print(f"  {blas:<9}{threads:>8}  {row['shape']:<20}{row['matmul_us']:>11.1f}{row['gflops']:>10.2f}"
                  f"{row['dense_us']:>11.1f}")
        print_blas(result)

    print(f"\n[sklearn] MLPClassifier(128, 64) relu adam, batch {BATCH_SIZE}, {EPOCHS} epochs, "
          f"default L2 alpha 1e-4, median of {SKLEARN_FITS} fits")
    print(f"  {'BLAS':<9}{'threads':>8}{'median s':>10}{'min s':>8}{'test acc':>10}")
    for blas, threads in (("openblas", 1), ("openblas", 2)):
        result = run_child("sklearn", blas, threads)
        print(f"  {blas:<9}{threads:>8}{result['median_s']:>10.3f}{result['min_s']:>8.3f}{result['accuracy']:>10.4f}"
              f"   (epochs run {result['epochs']}, weights {result['dtype']})")
        print_blas(result)

    print(f"\n[torch] 64-128-64-10 ReLU, Adam {LEARNING_RATE}, batch {BATCH_SIZE}, {EPOCHS} epochs, shuffled, "
          f"median of {TORCH_FITS} fits")
    print(f"  {'BLAS':<9}{'threads':>8}{'median s':>10}{'min s':>8}{'test acc':>10}")
    for blas, threads in (("system", 1), ("openblas", 1)):
        result = run_child("torch", blas, threads)
        print(f"  {blas:<9}{threads:>8}{result['median_s']:>10.3f}{result['min_s']:>8.3f}{result['accuracy']:>10.4f}"
              f"   (PyTorch {result['torch']})")
        print_blas(result)


if __name__ == "__main__":
    main()
