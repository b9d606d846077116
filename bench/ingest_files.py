#!/usr/bin/env python3
"""Writes the ingest benchmark's input: N 4x4 complex64 channel matrices, i.i.d. CN(0, 1), as one
NumPy .npy file (np.lib.format.open_memmap) and one uncompressed, contiguous HDF5 dataset (h5py's
complex compound {r, i}), both [N, 4, 4] (links, rx, tx), written a slab at a time.

    python3 bench/ingest_files.py DIR N
"""
import sys
from pathlib import Path

import h5py
import numpy as np


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    slab = 1 << 18
    npy = np.lib.format.open_memmap(out / "channels.npy", mode="w+", dtype=np.complex64, shape=(n, 4, 4))
    with h5py.File(out / "channels.h5", "w") as f:
        h5 = f.create_dataset("h", shape=(n, 4, 4), dtype=np.complex64)  # contiguous, no filters
        for start in range(0, n, slab):
            m = min(slab, n - start)
            values = ((rng.standard_normal((m, 4, 4), dtype=np.float32)
                       + 1j * rng.standard_normal((m, 4, 4), dtype=np.float32)) * np.float32(np.sqrt(0.5)))
            npy[start:start + m] = values
            h5[start:start + m] = values
    npy.flush()
    del npy


if __name__ == "__main__":
    main()
