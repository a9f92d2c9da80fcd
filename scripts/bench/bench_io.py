#!/usr/bin/env python3
"""NumPy side of scripts/bench/io: makes the inputs, and is the peer for .npy input and for CSV and .npy output.

    python3 scripts/bench/bench_io.py make-w DIR D K SEED       W.npy and W.csv
    python3 scripts/bench/bench_io.py make-npy DIR N D K SEED   X.npy, Y.npy, W.npy, W.csv
    python3 scripts/bench/bench_io.py make-csv DIR N D K SEED   X.csv, Y.csv, W.csv, W.npy, and reference.json:
                                                                NumPy's loss on the arrays the files were printed from
    python3 scripts/bench/bench_io.py npy-in DIR                np.load X, Y, W, the formulas for f and dW; JSON line
    python3 scripts/bench/bench_io.py csv-out DIR OUT           np.load, the formulas for f, dW, dX, dY, np.savetxt
                                                                of dW, dX, dY into OUT (fmt %.17g); JSON line
    python3 scripts/bench/bench_io.py npy-out DIR OUT           np.load, the formulas, np.save of dW, dX, dY into
                                                                OUT (scripts/bench/bench_npy.py run); JSON line

X, W and Y are those of `relugrad grad --generate N,D,K,SEED` (scripts/bench/bench_peer.py's generator); CSV files
hold one matrix row a line, every value printed with %.17g (which reads back as the same double).
"""
import json
import os
import sys
import time

import numpy as np

import bench_npy
import bench_numpy
import bench_peer

CSV = {"delimiter": ",", "fmt": "%.17g"}


def make_w(folder, d, k, seed):
    w = bench_peer.generate(seed + 1, d, k)
    np.save(os.path.join(folder, "W.npy"), w)
    np.savetxt(os.path.join(folder, "W.csv"), w, **CSV)
    return w


def make_npy(folder, n, d, k, seed):
    make_w(folder, d, k, seed)
    np.save(os.path.join(folder, "X.npy"), bench_peer.generate(seed, n, d))
    np.save(os.path.join(folder, "Y.npy"), bench_peer.generate(seed + 2, n, k))


def make_csv(folder, n, d, k, seed):
    w = make_w(folder, d, k, seed)
    x = bench_peer.generate(seed, n, d)
    y = bench_peer.generate(seed + 2, n, k)
    np.savetxt(os.path.join(folder, "X.csv"), x, **CSV)
    np.savetxt(os.path.join(folder, "Y.csv"), y, **CSV)
    loss, _ = bench_numpy.formulas(x, w, y, "lossdw")
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump({"loss": float(loss)}, f)


def load(folder):
    return tuple(np.load(os.path.join(folder, name + ".npy")) for name in ("X", "W", "Y"))


def npy_in(folder):
    start = time.perf_counter()
    x, w, y = load(folder)
    loaded = time.perf_counter()
    loss, _ = bench_numpy.formulas(x, w, y, "lossdw")
    done = time.perf_counter()
    print(json.dumps({"n": x.shape[0], "loss": float(loss), "loadSeconds": loaded - start,
                      "formulaSeconds": done - loaded}))


def csv_out(folder, out):
    start = time.perf_counter()
    x, w, y = load(folder)
    loaded = time.perf_counter()
    z = x @ w
    r = np.maximum(z, 0.0) - y
    loss = float(np.sum(r * r))
    g = 2.0 * r * (z > 0)
    gradients = {"dW": x.T @ g, "dX": g @ w.T, "dY": -2.0 * r}
    computed = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    for name, a in gradients.items():
        np.savetxt(os.path.join(out, name + ".csv"), a, **CSV)
    saved = time.perf_counter()
    print(json.dumps({"n": x.shape[0], "loss": loss, "loadSeconds": loaded - start,
                      "formulaSeconds": computed - loaded, "saveSeconds": saved - computed}))


if __name__ == "__main__":
    command, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "make-w" and len(args) == 4:
        make_w(args[0], *(int(a) for a in args[1:]))
    elif command in ("make-npy", "make-csv") and len(args) == 5:
        (make_npy if command == "make-npy" else make_csv)(args[0], *(int(a) for a in args[1:]))
    elif command == "npy-in" and len(args) == 1:
        npy_in(args[0])
    elif command == "csv-out" and len(args) == 2:
        csv_out(args[0], args[1])
    elif command == "npy-out" and len(args) == 2:
        bench_npy.run(args[0], args[1])
    else:
        sys.exit(__doc__)
