#!/usr/bin/env python3
"""NumPy side of scripts/bench/npy: makes the .npy inputs, runs the same gradient from .npy files to .npy files,
and compares relugrad's output files with NumPy's.

    python3 scripts/bench/bench_npy.py make DIR N D K SEED   X.npy (N x D), Y.npy (N x K), W.npy (D x K), float64
    python3 scripts/bench/bench_npy.py run DIR OUT           np.load, the formulas, np.save dX, dY, dW into OUT;
                                                             JSON line
    python3 scripts/bench/bench_npy.py compare RG NP         np.load both outputs; JSON line of normwise relative diffs
"""
import json
import os
import sys
import time

import numpy as np


def make(folder, n, d, k, seed):
    rng = np.random.default_rng(seed)
    np.save(os.path.join(folder, "W.npy"), rng.standard_normal((d, k)) / np.sqrt(d))
    for name, cols in (("X", d), ("Y", k)):
        np.save(os.path.join(folder, name + ".npy"), rng.standard_normal((n, cols)))


def run(folder, out):
    start = time.perf_counter()
    x = np.load(os.path.join(folder, "X.npy"))
    y = np.load(os.path.join(folder, "Y.npy"))
    w = np.load(os.path.join(folder, "W.npy"))
    loaded = time.perf_counter()
    z = x @ w
    r = np.maximum(z, 0.0) - y
    loss = float(np.sum(r * r))
    g = 2.0 * r * (z > 0)
    dw = x.T @ g
    dx = g @ w.T
    dy = -2.0 * r
    computed = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    for name, a in (("dW", dw), ("dX", dx), ("dY", dy)):
        np.save(os.path.join(out, name + ".npy"), a)
    saved = time.perf_counter()
    print(json.dumps({"n": x.shape[0], "loss": loss, "loadSeconds": loaded - start,
                      "formulaSeconds": computed - loaded, "saveSeconds": saved - computed,
                      "totalSeconds": saved - start}))


def compare(relugrad, numpy):
    diffs = {}
    for name in ("dW", "dX", "dY"):
        got = np.load(os.path.join(relugrad, name + ".npy"))
        want = np.load(os.path.join(numpy, name + ".npy"))
        if got.shape != want.shape:
            sys.exit(f"bench_npy: {name}.npy has shape {got.shape}, NumPy's {want.shape}")
        diffs[name] = float(np.linalg.norm(got - want) / np.linalg.norm(want))
    print(json.dumps(diffs))


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "make":
        make(sys.argv[2], *(int(a) for a in sys.argv[3:7]))
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
