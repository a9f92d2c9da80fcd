#!/usr/bin/env python3
"""PyTorch peer for scripts/bench: the seed notebook's own computation, CPU autograd in float64, on the same data
as bench_numpy.py (relugrad's `grad --generate N,D,K,SEED`, made by bench_numpy's generator).

    /usr/bin/python3 scripts/bench_torch.py N,D,K,SEED lossdw|all [RUNS]
    /usr/bin/python3 scripts/bench_torch.py --info      which PyTorch runs, and on how many threads (one line)

Each timed run is loss = ((relu(X @ W) - Y) ** 2).sum(); loss.backward(), with W requiring its gradient
(lossdw), or X, W and Y (all: dX and dY as well). Prints one JSON line as bench_numpy.py does: the median of RUNS
(default 3) runs, each run's seconds, the loss and dW checksums.
"""
import json
import math
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_numpy import DEFAULT_RUNS, check, generate  # noqa: E402  (the same data, checked the same way)


def main(argv):
    if argv[1:] == ["--info"]:
        print(f"PyTorch {torch.__version__} on Python {sys.version.split()[0]}, {torch.get_num_threads()} threads")
        return
    if len(argv) not in (3, 4) or argv[2] not in ("lossdw", "all"):
        sys.exit("usage: bench_torch.py N,D,K,SEED lossdw|all [RUNS]")
    try:
        repeats = int(argv[3]) if len(argv) == 4 else DEFAULT_RUNS
        n, d, k, seed = (int(p) for p in argv[1].split(","))
    except ValueError:
        sys.exit(f"bench_torch: N,D,K,SEED must be four integers and RUNS one, got {argv[1:]!r}")
    if repeats < 1 or n < 1 or d < 1 or k < 1:
        sys.exit("bench_torch: N, D, K and RUNS must be >= 1")
    mode = argv[2]

    t0 = time.perf_counter()
    xs, ws, ys = generate(seed, n, d), generate(seed + 1, d, k), generate(seed + 2, n, k)
    check("X", xs, seed)
    check("W", ws, seed + 1)
    check("Y", ys, seed + 2)
    x, w, y = (torch.from_numpy(a) for a in (xs, ws, ys))
    generate_seconds = time.perf_counter() - t0
    w.requires_grad_(True)
    if mode == "all":
        x.requires_grad_(True)
        y.requires_grad_(True)

    runs = []
    loss = None
    for _ in range(repeats):
        for t in (x, w, y):
            t.grad = None  # each run computes its gradients afresh, as a training step after zero_grad does
        loss = None
        start = time.perf_counter()
        loss = ((torch.relu(x @ w) - y) ** 2).sum()
        loss.backward()
        runs.append(time.perf_counter() - start)

    dw = w.grad.numpy().ravel().tolist()
    print(json.dumps({
        "n": n, "d": d, "k": k, "seed": seed, "mode": mode,
        "generateSeconds": generate_seconds,
        "formulaSeconds": statistics.median(runs),
        "formulaRuns": runs,
        "loss": float(loss),
        "lossRepr": repr(float(loss)),
        "dWSum": math.fsum(dw),
        "dWAbsSum": math.fsum(abs(v) for v in dw),
    }))


if __name__ == "__main__":
    main(sys.argv)
