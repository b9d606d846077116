#!/usr/bin/env python3
"""NumPy's side of `bin/mimobatch bench`'s kernel table: the same ops, sizes and batches as
KernelBench, one line per measurement in the format bench/ratios.py reads:

    BASELINE|<op>|n=<n>|N=<batch>|<matrices per second>

Run it on one thread, as the figures in docs/benchmarks.md are:

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 bench/numpy_kernels.py [--quick | --shrink N]

Ops on i.i.d. CN(0, 1) square matrices, complex128 unless the name ends in _c64: svd_values
(np.linalg.svd, compute_uv=False), svd_full (U, s, Vh), svd_values_c64, eigvalsh and eigh of
H^H H, solve (one right-hand side), and analyze: every metric of mimobatch's analysis, as
numpy_analysis.analyze computes it. The rate is the best of three passes.
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_analysis import adjoint, analyze  # noqa: E402

# KernelBench.SIZES and BATCHES
SIZES = [(2, 200_000), (4, 100_000), (8, 102_400), (16, 20_000), (32, 5_000), (64, 2_000)]


def rayleigh(rng, n_mat, rows, cols, dtype=np.complex128):
    h = (rng.standard_normal((n_mat, rows, cols)) + 1j * rng.standard_normal((n_mat, rows, cols))) / np.sqrt(2)
    return h.astype(dtype)


def best_rate(fn, n_mat, repeats=3):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return n_mat / best


def shrink(argv):
    """--shrink N divides the batches as bench.shrink does (--quick: 20)."""
    return int(argv[argv.index("--shrink") + 1]) if "--shrink" in argv else 20 if "--quick" in argv else 1


def main():
    shrink_by = shrink(sys.argv)
    rng = np.random.default_rng(7)
    print(f"# numpy {np.__version__}, one thread: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    for n, batch in SIZES:
        batch = max(200, batch // shrink_by)
        H = rayleigh(rng, batch, n, n)
        G = adjoint(H) @ H
        b = rayleigh(rng, batch, n, 1)
        H64 = H.astype(np.complex64)
        ops = [
            ("svd_values", lambda: np.linalg.svd(H, compute_uv=False)),
            ("svd_full", lambda: np.linalg.svd(H)),
            ("svd_values_c64", lambda: np.linalg.svd(H64, compute_uv=False)),
            ("eigvalsh", lambda: np.linalg.eigvalsh(G)),
            ("eigh", lambda: np.linalg.eigh(G)),
            ("solve", lambda: np.linalg.solve(H, b)),
            ("analyze", lambda: analyze(H, rng)),
        ]
        for name, fn in ops:
            print(f"BASELINE|{name}|n={n}|N={batch}|{best_rate(fn, batch):.0f}", flush=True)


if __name__ == "__main__":
    main()
