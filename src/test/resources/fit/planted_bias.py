#!/usr/bin/env python3
"""The planted problem with a bias, and SciPy's L-BFGS-B on it: writes planted_bias_scipy.json here.

As planted.py (its streams and recipe), with N, D, K, SEED below and two more streams: b* (k values) is stream
SEED+4 and its perturbation Q stream SEED+5. Then

    Y  = max(X W* + b*, 0) + 0.01 N     (X W* summed over d in order, then b* added)
    W0 = W* + 0.3 P,   b0 = b* + 0.3 Q

SciPy minimizes f(W, b) = ||max(XW + b, 0) - Y||_F^2 over W and b together from (W0, b0) by
minimize(method="L-BFGS-B", jac=True) with its default options, with dW = X^T G and db = 1^T G,
G = 2R * 1[XW + b > 0].

Run: python3 src/test/resources/fit/planted_bias.py   (NumPy and SciPy; a few seconds)
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

from planted import stream

N, D, K, SEED = 200_000, 8, 4, 21


def planted():
    x = stream(SEED, N, D)
    w_star = stream(SEED + 1, D, K)
    noise = stream(SEED + 2, N, K)
    p = stream(SEED + 3, D, K)
    b_star = stream(SEED + 4, 1, K)[0]
    q = stream(SEED + 5, 1, K)[0]
    z = np.zeros((N, K))
    for l in range(D):
        z = z + x[:, l:l + 1] * w_star[l]
    z = z + b_star
    y = np.maximum(z, 0.0) + 0.01 * noise
    return x, y, w_star, b_star, w_star + 0.3 * p, b_star + 0.3 * q


def main():
    x, y, w_star, b_star, w0, b0 = planted()

    def loss_and_gradient(theta):
        w = theta[:D * K].reshape(D, K)
        b = theta[D * K:]
        z = x @ w + b
        r = np.maximum(z, 0.0) - y
        g = 2.0 * r * (z > 0)
        return float(np.sum(r * r)), np.concatenate([(x.T @ g).ravel(), g.sum(axis=0)])

    start = np.concatenate([w0.ravel(), b0])
    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B")
    w = result.x[:D * K].reshape(D, K)
    b = result.x[D * K:]
    out = {
        "n": N, "d": D, "k": K, "seed": SEED,
        "lossAtStart": loss_and_gradient(start)[0],
        "lossAtPlanted": loss_and_gradient(np.concatenate([w_star.ravel(), b_star]))[0],
        "scipy": {
            "version": scipy.__version__, "numpy": np.__version__,
            "loss": float(result.fun), "iterations": int(result.nit), "evaluations": int(result.nfev),
            "success": bool(result.success), "message": str(result.message),
            "relativeErrorToWStar": float(np.linalg.norm(w - w_star) / np.linalg.norm(w_star)),
            "relativeErrorToBStar": float(np.linalg.norm(b - b_star) / np.linalg.norm(b_star)),
            "W": w.tolist(), "b": b.tolist(),
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "planted_bias_scipy.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    json.dump({k: v for k, v in out["scipy"].items() if k not in ("W", "b")}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
