#!/usr/bin/env python3
"""PyTorch peer for scripts/bench/grad: the seed notebook's own computation, CPU autograd in float64, on the same data
as bench_numpy.py (relugrad's `grad --generate N,D,K,SEED`, made by bench_peer.py's generator).

    /usr/bin/python3 scripts/bench/bench_torch.py N,D,K,SEED lossdw|all [RUNS]
    /usr/bin/python3 scripts/bench/bench_torch.py --info      which PyTorch runs, and on how many threads (one line)

Each timed run is loss = ((relu(X @ W) - Y) ** 2).sum(); loss.backward(), with W requiring its gradient
(lossdw), or X, W and Y (all: dX and dY as well). Prints one JSON line as bench_numpy.py does: the median of RUNS
(default 3) runs, each run's seconds, the loss and dW checksums.
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_peer import check_xwy, generate_xwy, parse_args, result  # noqa: E402  (the same data, checked the same way)


def main(argv):
    if argv[1:] == ["--info"]:
        print(f"PyTorch {torch.__version__} on Python {sys.version.split()[0]}, {torch.get_num_threads()} threads")
        return
    n, d, k, seed, mode, repeats = parse_args(argv)

    t0 = time.perf_counter()
    xs, ws, ys = generate_xwy(n, d, k, seed)
    check_xwy(xs, ws, ys, seed)
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

    print(json.dumps(result(n, d, k, seed, mode, generate_seconds, runs, loss, w.grad.numpy())))


if __name__ == "__main__":
    main(sys.argv)
