#!/usr/bin/env python3
"""NumPy peer for scripts/bench: the same synthetic X, W, Y as `relugrad grad --generate N,D,K,SEED`, then the
plain NumPy formulas, timed.

    python3 scripts/bench_numpy.py N,D,K,SEED lossdw|all [RUNS]
    python3 scripts/bench_numpy.py --info       which NumPy and BLAS this environment runs (one line each)

Prints one JSON line: generate seconds, the median of RUNS (default 3) timed runs of the formulas, each run's
seconds, the loss (repr of the float) and dW checksums (exact sums of dW's entries and of their absolute values).

The data (relugrad's SyntheticInput): entry i (row-major, i = r*cols + c) of a matrix with stream seed s is 2u - 1,
u = (mix64(s + (i+1)*0x9E3779B97F4A7C15 mod 2^64) >>> 11) * 2^-53, mix64 being SplittableRandom's. X uses SEED,
W SEED+1, Y SEED+2. The generator is checked on a few entries against a pure-Python version of that formula.
"""
import json
import math
import statistics
import sys
import time

import numpy as np

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
ULP = 2.0 ** -53
CHUNK = 1 << 21  # entries per generation chunk: a few uint64 temporaries of 16 MiB each
DEFAULT_RUNS = 3


def entry_py(stream_seed, index):
    """The formula in pure Python integers, the reference for the vectorised generator."""
    z = (stream_seed + (index + 1) * GAMMA) & MASK
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    z = z ^ (z >> 31)
    return 2.0 * ((z >> 11) * ULP) - 1.0


def generate(stream_seed, rows, cols):
    """rows x cols float64, row-major, entries 0 .. rows*cols - 1 of the stream, made chunk by chunk in uint64."""
    total = rows * cols
    out = np.empty(total, dtype=np.float64)
    s = np.uint64(stream_seed & MASK)
    gamma, m1, m2 = np.uint64(GAMMA), np.uint64(M1), np.uint64(M2)
    s30, s27, s31, s11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps mod 2^64, which is what the formula wants
        for start in range(0, total, CHUNK):
            stop = min(start + CHUNK, total)
            z = np.arange(start + 1, stop + 1, dtype=np.uint64)
            z *= gamma
            z += s
            z ^= z >> s30
            z *= m1
            z ^= z >> s27
            z *= m2
            z ^= z >> s31
            z >>= s11
            u = z.astype(np.float64)  # < 2^53: exact
            u *= ULP
            u *= 2.0
            u -= 1.0
            out[start:stop] = u
    return out.reshape(rows, cols)


def check(name, matrix, stream_seed):
    rows, cols = matrix.shape
    total = rows * cols
    indices = sorted({0, 1, cols, total // 2, total - 2, total - 1, CHUNK - 1, CHUNK, min(total - 1, CHUNK + 7)})
    for i in indices:
        if 0 <= i < total:
            got = float(matrix.flat[i])
            want = entry_py(stream_seed, i)
            if got != want:
                sys.exit(f"bench_numpy: {name} entry {i} is {got!r}, the formula gives {want!r}")


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
    if len(argv) not in (3, 4) or argv[2] not in ("lossdw", "all"):
        sys.exit("usage: bench_numpy.py N,D,K,SEED lossdw|all [RUNS]")
    try:
        repeats = int(argv[3]) if len(argv) == 4 else DEFAULT_RUNS
    except ValueError:
        sys.exit(f"bench_numpy: RUNS must be an integer, got {argv[3]!r}")
    if repeats < 1:
        sys.exit("bench_numpy: RUNS must be >= 1")
    try:
        n, d, k, seed = (int(p) for p in argv[1].split(","))
    except ValueError:
        sys.exit(f"bench_numpy: N,D,K,SEED must be four integers, got {argv[1]!r}")
    if n < 1 or d < 1 or k < 1:
        sys.exit("bench_numpy: N, D, K must be >= 1")
    mode = argv[2]

    t0 = time.perf_counter()
    x = generate(seed, n, d)
    w = generate(seed + 1, d, k)
    y = generate(seed + 2, n, k)
    generate_seconds = time.perf_counter() - t0
    check("X", x, seed)
    check("W", w, seed + 1)
    check("Y", y, seed + 2)

    runs = []
    f = dw = None
    for _ in range(repeats):
        f = dw = None  # free the last run's results before the next one
        t = time.perf_counter()
        f, dw = formulas(x, w, y, mode)
        runs.append(time.perf_counter() - t)

    print(json.dumps({
        "n": n, "d": d, "k": k, "seed": seed, "mode": mode,
        "generateSeconds": generate_seconds,
        "formulaSeconds": statistics.median(runs),
        "formulaRuns": runs,
        "loss": float(f),
        "lossRepr": repr(float(f)),
        "dWSum": math.fsum(dw.ravel().tolist()),
        "dWAbsSum": math.fsum(np.abs(dw).ravel().tolist()),
    }))


if __name__ == "__main__":
    main(sys.argv)
