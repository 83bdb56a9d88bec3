#!/usr/bin/python3
"""Time PyTorch on the configurations of the Layerwise benchmarks, for the same sitting as BenchmarkDotNet.

Networks A = 4-16-16-3 tanh, B = 64-128-64-10 ReLU, C = 784-256-128-10 ReLU, softmax cross-entropy. Measures the
median of batch-1 inference (A, B, C) and of one Adam step (A at batch 32, C at batch 256), on one thread and on
two. Run it with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tests/Layerwise.Benchmarks/pytorch_bench.py

Debian's torch links the BLAS that the system alternative selects, which is the slow reference BLAS unless
OpenBLAS was made the default. When libopenblas0-pthread is installed, the script restarts itself with OpenBLAS
first on LD_LIBRARY_PATH, so PyTorch runs on the BLAS a user would have; --system-blas keeps the default.
"""

import os
import statistics
import sys
import time

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
if "--system-blas" not in sys.argv and os.path.isdir(OPENBLAS_DIR) and os.environ.get("LD_LIBRARY_PATH") != OPENBLAS_DIR:
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, LD_LIBRARY_PATH=OPENBLAS_DIR))

import torch
import torch.nn as nn


def network(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


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
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for name, (sizes, activation) in configurations.items():
            model = network(sizes, activation).eval()
            sample = torch.rand(1, sizes[0])
            with torch.no_grad():
                seconds = median_seconds(lambda: torch.softmax(model(sample), dim=1), repeats=2000 if name != "C" else 500)
            print(f"{threads} thread(s): inference {name}, batch 1: {seconds * 1e6:.1f} us")

        for name, batch in (("A", 32), ("C", 256)):
            sizes, activation = configurations[name]
            model = network(sizes, activation).train()
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            inputs = torch.rand(batch, sizes[0])
            labels = torch.arange(batch) % sizes[-1]
            loss_function = nn.CrossEntropyLoss()

            def step():
                optimizer.zero_grad()
                loss_function(model(inputs), labels).backward()
                optimizer.step()

            seconds = median_seconds(step, repeats=200 if name == "A" else 20)
            print(f"{threads} thread(s): Adam step {name}, batch {batch}: {seconds * 1e6:.1f} us, {batch / seconds:,.0f} samples/s")


if __name__ == "__main__":
    main()
