#!/usr/bin/python3
"""Time PyTorch on the configurations of the Layerwise benchmarks, for the same sitting as BenchmarkDotNet.

Networks A = 4-16-16-3 tanh, B = 64-128-64-10 ReLU, C = 784-256-128-10 ReLU, softmax cross-entropy. Measures the
median of batch-1 inference (A, B, C) and of one Adam step (A at batch 32, C at batch 256), on one thread and on
two. C's step runs on uniform random inputs and on MNIST: the four batches of 256 rows of
data/mnist-train-1024.csv.gz in turn, pixels scaled to [0, 1], as TrainingBenchmarks does.
Run it with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tests/Layerwise.Benchmarks/pytorch_bench.py

Debian's torch links the BLAS that the system alternative selects, which is the slow reference BLAS unless
OpenBLAS was made the default. When libopenblas0-pthread is installed, the script restarts itself with OpenBLAS
first on LD_LIBRARY_PATH, so PyTorch runs on the BLAS a user would have; --system-blas keeps the default.

torch.set_num_threads does not reach OpenBLAS's own thread pool in this build: with it alone, the matrix products
of a "one thread" run used both cores (784 -> 256 at batch 256 took 550 us, against 1,014 with one BLAS thread).
Each run therefore also limits the BLAS through threadpoolctl (Debian's python3-threadpoolctl). On two cores, two
torch threads beside two BLAS threads oversubscribe them. The script therefore also times one torch thread with two
BLAS threads, which ran faster here, and PyTorch's two-thread figure is the faster of the two settings.
"""

import gzip
import os
import statistics
import sys
import time

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
if "--system-blas" not in sys.argv and os.path.isdir(OPENBLAS_DIR) and os.environ.get("LD_LIBRARY_PATH") != OPENBLAS_DIR:
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, LD_LIBRARY_PATH=OPENBLAS_DIR))

import threadpoolctl
import torch
import torch.nn as nn


def network(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


def mnist_batches(batch=256):
    """Returns the rows of data/mnist-train-1024.csv.gz as batches of (inputs in [0, 1], labels)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "mnist-train-1024.csv.gz")
    with gzip.open(path, "rt") as rows:
        next(rows)
        values = torch.tensor([[int(value) for value in row.split(",")] for row in rows])
    inputs = values[:, :-1].float() / 255
    labels = values[:, -1].long()
    return [(inputs[i:i + batch], labels[i:i + batch]) for i in range(0, len(labels) - batch + 1, batch)]


def median_seconds(action, repeats, rounds=7):
    for _ in range(repeats):
        action()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            action()
        times.append((time.perf_counter() - start) / repeats)
    return statistics.median(times)


def main():
    torch.manual_seed(1)
    configurations = {
        "A": ([4, 16, 16, 3], nn.Tanh),
        "B": ([64, 128, 64, 10], nn.ReLU),
        "C": ([784, 256, 128, 10], nn.ReLU),
    }
    blas = next((line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.split()[-1]), "no BLAS mapped")
    print(f"PyTorch {torch.__version__}, BLAS {blas}")
    for name, torch_threads, blas_threads in (("1 thread(s)", 1, 1), ("2 thread(s)", 2, 2), ("2 thread(s), torch 1 + BLAS 2", 1, 2)):
        with threadpoolctl.threadpool_limits(limits=blas_threads, user_api="blas"):
            measure(name, torch_threads, configurations)


def measure(title, torch_threads, configurations):
    """Prints the timings of every configuration with torch_threads torch threads and the BLAS limit already set."""
    torch.set_num_threads(torch_threads)
    blas_threads = [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
    print(f"{title}: torch threads {torch.get_num_threads()}, BLAS threads {blas_threads}")
    for name, (sizes, activation) in configurations.items():
        model = network(sizes, activation).eval()
        sample = torch.rand(1, sizes[0])
        with torch.no_grad():
            seconds = median_seconds(lambda: torch.softmax(model(sample), dim=1), repeats=2000 if name != "C" else 500)
        print(f"{title}: inference {name}, batch 1: {seconds * 1e6:.1f} us")

    for name, batch, data in (("A", 32, "random"), ("C", 256, "random"), ("C", 256, "MNIST")):
        sizes, activation = configurations[name]
        model = network(sizes, activation).train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        if data == "MNIST":
            batches = mnist_batches(batch)
        else:
            batches = [(torch.rand(batch, sizes[0]), torch.arange(batch) % sizes[-1])]
        loss_function = nn.CrossEntropyLoss()
        turn = [0]

        def step():
            inputs, labels = batches[turn[0]]
            turn[0] = (turn[0] + 1) % len(batches)
            optimizer.zero_grad()
            loss_function(model(inputs), labels).backward()
            optimizer.step()

        seconds = median_seconds(step, repeats=200 if name == "A" else 20)
        label = f"Adam step {name}, batch {batch}" + (", MNIST" if data == "MNIST" else "")
        print(f"{title}: {label}: {seconds * 1e6:.1f} us, {batch / seconds:,.0f} samples/s")


if __name__ == "__main__":
    main()
