#!/usr/bin/env python3
"""torch.linalg's side of `bin/mimobatch bench`'s kernel table, on the CPU: the same ops, sizes and
batches as bench/numpy_kernels.py and KernelBench, one thread, one line per measurement in the
format bench/ratios.py reads:

    TORCH|<op>|n=<n>|N=<batch>|<matrices per second>

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 bench/torch_kernels.py [--quick | --shrink N]

(pip install torch==2.13.0+cpu). Ops on i.i.d. CN(0, 1) square matrices, complex128 unless the
name ends in _c64: svd_values (torch.linalg.svdvals), svd_full (torch.linalg.svd,
full_matrices=False), svd_values_c64, eigvalsh and eigh of H^H H, solve (one right-hand side).
The rate is the best of three passes. Exits 3, printing nothing, where torch is not installed.
"""
import os
import sys

try:
    import torch
except ImportError:
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
from numpy_kernels import SIZES, best_rate, rayleigh, shrink  # noqa: E402


def main():
    torch.set_num_threads(1)
    shrink_by = shrink(sys.argv)
    rng = np.random.default_rng(7)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} thread")
    for n, batch in SIZES:
        batch = max(200, batch // shrink_by)
        H = torch.from_numpy(rayleigh(rng, batch, n, n))
        G = H.mH @ H
        b = torch.from_numpy(rayleigh(rng, batch, n, 1))
        H64 = H.to(torch.complex64)
        ops = [
            ("svd_values", lambda: torch.linalg.svdvals(H)),
            ("svd_full", lambda: torch.linalg.svd(H, full_matrices=False)),
            ("svd_values_c64", lambda: torch.linalg.svdvals(H64)),
            ("eigvalsh", lambda: torch.linalg.eigvalsh(G)),
            ("eigh", lambda: torch.linalg.eigh(G)),
            ("solve", lambda: torch.linalg.solve(H, b)),
        ]
        for name, fn in ops:
            print(f"TORCH|{name}|n={n}|N={batch}|{best_rate(fn, batch):.0f}", flush=True)


if __name__ == "__main__":
    main()
