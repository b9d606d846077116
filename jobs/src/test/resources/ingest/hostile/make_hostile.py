#!/usr/bin/env python3
"""Writes the hostile channel files of HostileInputTest, next to this script: HDF5 and MAT files
that are valid files and bad inputs (links that loop, dangle or leave the file; a dataset that
declares 2^40 matrices and stores none; arrays that are empty, sparse, integer or logical).
The .npy and .npz cases are made by the test itself.

    python3 -m venv /tmp/fixvenv && /tmp/fixvenv/bin/pip install --retries 0 numpy h5py scipy
    /tmp/fixvenv/bin/python make_hostile.py

Made with numpy 2.4.6, scipy 1.17.1, h5py 3.16.0.
"""
import os

import h5py
import numpy as np
import scipy.io
import scipy.sparse

here = os.path.dirname(os.path.abspath(__file__))
c16 = np.dtype([("r", "<f8"), ("i", "<f8")])
one = np.zeros((3, 4, 4), dtype=np.complex128)
one[:, 0, 0] = 1


def h5(name, fill):
    with h5py.File(os.path.join(here, name), "w", track_order=True) as f:
        fill(f)


h5("link_loop.h5", lambda f: (f.__setitem__("a", h5py.SoftLink("/b")), f.__setitem__("b", h5py.SoftLink("/a"))))
h5("dangling.h5", lambda f: f.__setitem__("h", h5py.SoftLink("/nowhere")))
h5("target.h5", lambda f: f.create_dataset("h", data=one))
h5("external.h5", lambda f: f.__setitem__("h", h5py.ExternalLink("target.h5", "/h")))
h5("soft.h5", lambda f: (f.create_dataset("data/h", data=one), f.__setitem__("h", h5py.SoftLink("/data/h"))))
# Declares 2^40 matrices of 4x4 complex128 and stores none: a 1.4 kB file.
h5("unallocated.h5", lambda f: f.create_dataset("h", shape=(2 ** 40, 4, 4), dtype=c16, chunks=(1, 4, 4)))
h5("empty.h5", lambda f: f.create_dataset("h", data=np.zeros((0, 4, 4), dtype=np.complex128)))

scipy.io.savemat(os.path.join(here, "sparse.mat"), {"H": scipy.sparse.random(4, 4, density=0.5, format="csc")})
scipy.io.savemat(os.path.join(here, "int32.mat"), {"H": np.arange(32, dtype=np.int32).reshape(4, 4, 2)})
scipy.io.savemat(os.path.join(here, "logical.mat"), {"H": np.ones((4, 4, 2), dtype=bool)})
scipy.io.savemat(os.path.join(here, "empty.mat"), {"H": np.zeros((4, 4, 0), dtype=np.complex128)})
