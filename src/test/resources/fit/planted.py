#!/usr/bin/env python3
"""The planted problem of relugrad's fit tests, and SciPy's L-BFGS-B on it: writes planted_scipy.json here.

X (n x d), W* (d x k), the noise N (n x k) and the perturbation P (d x k) are the streams SEED, SEED+1, SEED+2 and
SEED+3 of relugrad's synthetic generator (the manual, inputs-and-outputs.md, "Synthetic data"): entry i (row-major) of stream s is 2u - 1 with
u = (mix64(s + (i+1) * 0x9E3779B97F4A7C15) >> 11) * 2^-53, all arithmetic modulo 2^64. Then

    Y  = max(X W*, 0) + 0.01 N     (X W* summed over d in order, one rounding per product and per sum)
    W0 = W* + 0.3 P

The Java tests (org.relugrad.internal.fit.PlantedProblem) make the same arrays, bit for bit, and check it by f(W0) below.
SciPy minimizes f(W) = ||max(XW, 0) - Y||_F^2 from W0 by minimize(method="L-BFGS-B", jac=True) with its default
options and the notebook's gradient, dW = X^T (2R * 1[XW > 0]), R = max(XW, 0) - Y.

Run: python3 src/test/resources/fit/planted.py   (NumPy and SciPy; a few seconds)
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

N, D, K, SEED = 200_000, 8, 4, 14
GAMMA, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def stream(seed, rows, cols):
    """rows x cols float64, entries 0 .. rows*cols - 1 of the stream with seed `seed`."""
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps modulo 2^64, as the recipe wants
        z = np.uint64(seed) + np.arange(1, rows * cols + 1, dtype=np.uint64) * np.uint64(GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(M1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(M2)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return (2.0 * u - 1.0).reshape(rows, cols)


def planted():
    x = stream(SEED, N, D)
    w_star = stream(SEED + 1, D, K)
    noise = stream(SEED + 2, N, K)
    p = stream(SEED + 3, D, K)
    z = np.zeros((N, K))
    for l in range(D):  # in order over d, as a plain loop sums: the same bits in Java
        z = z + x[:, l:l + 1] * w_star[l]
    y = np.maximum(z, 0.0) + 0.01 * noise
    return x, y, w_star, w_star + 0.3 * p


def main():
    x, y, w_star, w0 = planted()

    def loss_and_gradient(w_flat):
        z = x @ w_flat.reshape(D, K)
        r = np.maximum(z, 0.0) - y
        g = 2.0 * r * (z > 0)
        return float(np.sum(r * r)), (x.T @ g).ravel()

    result = minimize(loss_and_gradient, w0.ravel(), jac=True, method="L-BFGS-B")
    w = result.x.reshape(D, K)
    out = {
        "n": N, "d": D, "k": K, "seed": SEED,
        "lossAtW0": loss_and_gradient(w0.ravel())[0],
        "lossAtWStar": loss_and_gradient(w_star.ravel())[0],
        "scipy": {
            "version": scipy.__version__, "numpy": np.__version__,
            "loss": float(result.fun), "iterations": int(result.nit), "evaluations": int(result.nfev),
            "success": bool(result.success), "message": str(result.message),
            "relativeErrorToWStar": float(np.linalg.norm(w - w_star) / np.linalg.norm(w_star)),
            "W": w.tolist(),
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "planted_scipy.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    json.dump({k: v for k, v in out["scipy"].items() if k != "W"}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
