"""What the peers of scripts/bench/grad share (bench_numpy.py, bench_torch.py; bench_io.py uses the data): relugrad's
synthetic X, W, Y in NumPy, their command line and their JSON result line.

The data (relugrad's SyntheticInput): entry i (row-major, i = r*cols + c) of a matrix with stream seed s is 2u - 1,
u = (mix64(s + (i+1)*0x9E3779B97F4A7C15 mod 2^64) >>> 11) * 2^-53, mix64 being SplittableRandom's. X uses SEED,
W SEED+1, Y SEED+2. The generator is checked on a few entries against a pure-Python version of that formula.
"""
import math
import os
import statistics
import sys

import numpy as np

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
ULP = 2.0 ** -53
CHUNK = 1 << 21  # entries per generation chunk: a few uint64 temporaries of 16 MiB each
DEFAULT_RUNS = 3
PROG = os.path.splitext(os.path.basename(sys.argv[0]))[0]  # the running peer's name, for its messages


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


def generate_xwy(n, d, k, seed):
    """X (n x d), W (d x k), Y (n x k) of `relugrad grad --generate N,D,K,SEED`."""
    return generate(seed, n, d), generate(seed + 1, d, k), generate(seed + 2, n, k)


def check(name, matrix, stream_seed):
    rows, cols = matrix.shape
    total = rows * cols
    indices = sorted({0, 1, cols, total // 2, total - 2, total - 1, CHUNK - 1, CHUNK, min(total - 1, CHUNK + 7)})
    for i in indices:
        if 0 <= i < total:
            got = float(matrix.flat[i])
            want = entry_py(stream_seed, i)
            if got != want:
                sys.exit(f"{PROG}: {name} entry {i} is {got!r}, the formula gives {want!r}")


def check_xwy(x, w, y, seed):
    """Exits unless a few entries of X, W, Y are the formula's."""
    check("X", x, seed)
    check("W", w, seed + 1)
    check("Y", y, seed + 2)


def parse_args(argv):
    """(n, d, k, seed, mode, runs) from a peer's command line N,D,K,SEED lossdw|all [RUNS]; exits if it is wrong."""
    if len(argv) not in (3, 4) or argv[2] not in ("lossdw", "all"):
        sys.exit(f"usage: {PROG}.py N,D,K,SEED lossdw|all [RUNS]")
    try:
        repeats = int(argv[3]) if len(argv) == 4 else DEFAULT_RUNS
    except ValueError:
        sys.exit(f"{PROG}: RUNS must be an integer, got {argv[3]!r}")
    if repeats < 1:
        sys.exit(f"{PROG}: RUNS must be >= 1")
    try:
        n, d, k, seed = (int(p) for p in argv[1].split(","))
    except ValueError:
        sys.exit(f"{PROG}: N,D,K,SEED must be four integers, got {argv[1]!r}")
    if n < 1 or d < 1 or k < 1:
        sys.exit(f"{PROG}: N, D, K must be >= 1")
    return n, d, k, seed, argv[2], repeats


def exact_sums(dw):
    """(exact sum of dw's entries, exact sum of their absolute values), dw any NumPy array: math.fsum over the entries
    as Python floats made CHUNK at a time, so a wide dW (67M entries at 4096 x 16384) is never a list of its own."""
    flat = np.ascontiguousarray(dw, dtype=np.float64).reshape(-1)

    def entries(absolute):
        for start in range(0, flat.size, CHUNK):
            chunk = flat[start:start + CHUNK]
            yield from (np.abs(chunk) if absolute else chunk).tolist()

    return math.fsum(entries(False)), math.fsum(entries(True))


def result(n, d, k, seed, mode, generate_seconds, runs, loss, dw):
    """A peer's JSON result: the median of the runs' seconds, the loss and dW's checksums (exact sums of dW's
    entries, dw a NumPy array, and of their absolute values)."""
    dw_sum, dw_abs_sum = exact_sums(dw)
    return {
        "n": n, "d": d, "k": k, "seed": seed, "mode": mode,
        "generateSeconds": generate_seconds,
        "formulaSeconds": statistics.median(runs),
        "formulaRuns": runs,
        "loss": float(loss),
        "lossRepr": repr(float(loss)),
        "dWSum": dw_sum,
        "dWAbsSum": dw_abs_sum,
    }
