#!/usr/bin/python3
"""Fit the rational tanh used by the float batch-1 kernels (SingleVectorKernels.Tanh) and report its float32 error.

tanh(x) is approximated as x * P(t) / Q(t) with t = x*x, P and Q of degree 4 and Q(0) = 1, on |x| <= 9.
The fit minimizes the largest relative error: each round solves a linear least-squares problem for
P(t) - f(t) * Q(t) = 0 (f = tanh(x) / x), weighted by the previous denominator so that the residual approximates the
relative error, and Lawson's update then raises the weights where the error is largest.

The script prints the coefficients rounded to float32, the R(t) = (P(t) - Q(t)) / t coefficients that the kernel uses
for |x| < 1.5, and the largest relative error of both forms evaluated in float32 arithmetic (without fused
multiply-adds, so slightly worse than the kernel). Needs Debian's python3-numpy:
    /usr/bin/python3 tools/tanh-fit/fit_tanh.py
"""

import numpy as np

DEGREE = 4
CLAMP = 9.0
ROUNDS = 60


def fit():
    x = np.linspace(0.0, CLAMP, 20000)
    t = x * x
    f = np.ones_like(x)
    f[1:] = np.tanh(x[1:]) / x[1:]
    weights = np.ones_like(t)
    previous_q = np.ones_like(t)
    for _ in range(ROUNDS):
        # Unknowns: p0..p4 and q1..q4 (q0 = 1). The fit lands on p0 = 1 to float precision, as tanh(x)/x -> 1.
        columns = [t ** k for k in range(DEGREE + 1)] + [-f * t ** k for k in range(1, DEGREE + 1)]
        matrix = np.stack(columns, axis=1)
        scale = np.sqrt(weights) / (f * previous_q)
        solution, *_ = np.linalg.lstsq(matrix * scale[:, None], f * scale, rcond=None)
        p = solution[:DEGREE + 1]
        q = np.concatenate([[1.0], solution[DEGREE + 1:]])
        numerator = np.polyval(p[::-1], t)
        previous_q = np.polyval(q[::-1], t)
        error = numerator / (previous_q * f) - 1.0
        weights = weights * (np.abs(error) + 1e-300)
        weights /= weights.sum()
    return p, q, np.max(np.abs(error))


def horner32(coefficients, t):
    result = np.float32(coefficients[-1])
    for c in coefficients[-2::-1]:
        result = np.float32(result * t + np.float32(c))
    return result


def tanh32(x, p, q, r):
    x = np.clip(x.astype(np.float32), np.float32(-CLAMP), np.float32(CLAMP))
    t = (x * x).astype(np.float32)
    pv, qv, rv = horner32(p, t), horner32(q, t), horner32(r, t)
    small = (x + (x * t).astype(np.float32) * (rv / qv).astype(np.float32)).astype(np.float32)
    large = ((x * pv).astype(np.float32) / qv).astype(np.float32)
    return np.where(t < np.float32(2.25), small, large)


def main():
    p, q, double_error = fit()
    p32, q32 = p.astype(np.float32), q.astype(np.float32)
    r32 = (p[1:] - q[1:]).astype(np.float32)
    print(f"largest relative error of the fit in float64: {double_error:.3e}")
    print("P:", " ".join(repr(float(c)) for c in p32))
    print("Q:", " ".join(repr(float(c)) for c in q32))
    print("R:", " ".join(repr(float(c)) for c in r32))
    x = np.concatenate([np.linspace(0.0, 12.0, 2_000_001), np.logspace(-30, 0, 100_001)]).astype(np.float32)
    expected = np.tanh(x.astype(np.float64))
    actual = tanh32(x, p32, q32, r32).astype(np.float64)
    relative = np.abs(actual - expected) / np.maximum(np.abs(expected), 1e-300)
    worst = int(np.argmax(relative))
    print(f"largest relative error in float32: {relative[worst]:.3e} at x = {x[worst]}")


if __name__ == "__main__":
    main()
