#!/usr/bin/env python3
"""NumPy peer for scripts/bench/grad: the same synthetic X, W, Y as `relugrad grad --generate N,D,K,SEED`, then the
plain NumPy formulas, timed.

    python3 scripts/bench/bench_numpy.py N,D,K,SEED lossdw|all [RUNS]
    python3 scripts/bench/bench_numpy.py --info       which NumPy and BLAS this environment runs (one line each)

Prints one JSON line: generate seconds, the median of RUNS (default 3) timed runs of the formulas, each run's
seconds, the loss (repr of the float) and dW checksums (exact sums of dW's entries and of their absolute values).

The data, the command line and the JSON line are bench_peer.py's, which bench_torch.py shares.
"""
import json
import sys
import time

import numpy as np

from bench_peer import check_xwy, generate_xwy, parse_args, result

def formulas(x, w, y, mode):
    z = x @ w
    r = np.maximum(z, 0) - y
    f = (r * r).sum()
    g = 2 * r * (z > 0)
    dw = x.T @ g
    if mode == "all":
        dx = g @ w.T
        dy = -2 * r
        del dx, dy
    return f, dw


def blas_info():
    """NumPy's BLAS as built (show_config) and as running (threadpoolctl if installed, else OpenBLAS's own calls)."""
    lines = [f"NumPy {np.__version__} on Python {sys.version.split()[0]}"]
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append(f"NumPy BLAS (build): {blas.get('name')} {blas.get('version')}"
                     f" [{blas.get('openblas configuration', '').strip()}]")
    except Exception as e:  # older NumPy: no dict mode
        lines.append(f"NumPy BLAS (build): unknown ({e.__class__.__name__})")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            lines.append("NumPy BLAS (runtime, threadpoolctl): " + ", ".join(
                f"{key}={pool.get(key)}" for key in ("internal_api", "version", "architecture", "num_threads")))
        return lines
    except ImportError:
        pass
    import ctypes
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps
                            if "openblas" in line.lower() and line.split()[-1].startswith("/")})
    except OSError:
        paths = []
    for path in paths:
        lib = ctypes.CDLL(path)
        found = {}
        for what in ("get_num_threads", "get_corename", "get_config"):
            for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
                fn = getattr(lib, prefix + what + suffix, None)
                if fn is not None:
                    if what != "get_num_threads":
                        fn.restype = ctypes.c_char_p
                    value = fn()
                    found[what] = value.decode() if isinstance(value, bytes) else value
                    break
        lines.append(f"NumPy BLAS (runtime): {path.rsplit('/', 1)[-1]}: threads={found.get('get_num_threads')}, "
                     f"core={found.get('get_corename')}")
    if not paths:
        lines.append("NumPy BLAS (runtime): no OpenBLAS library loaded (threadpoolctl not installed)")
    return lines


def main(argv):
    if argv[1:] == ["--info"]:
        print("\n".join(blas_info()))
        return
    n, d, k, seed, mode, repeats = parse_args(argv)

    t0 = time.perf_counter()
    x, w, y = generate_xwy(n, d, k, seed)
    generate_seconds = time.perf_counter() - t0
    check_xwy(x, w, y, seed)

    runs = []
    f = dw = None
    for _ in range(repeats):
        f = dw = None  # free the last run's results before the next one
        t = time.perf_counter()
        f, dw = formulas(x, w, y, mode)
        runs.append(time.perf_counter() - t)

    print(json.dumps(result(n, d, k, seed, mode, generate_seconds, runs, f, dw)))


if __name__ == "__main__":
    main(sys.argv)
