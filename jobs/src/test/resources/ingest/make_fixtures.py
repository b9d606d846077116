#!/usr/bin/env python3
"""Writes the ingest test fixtures: small channel files the way the real tools
write them, each with its expected singular values, and fixtures.json.

Run from anywhere; everything is written next to this script:

    python3 -m venv /tmp/fixvenv
    /tmp/fixvenv/bin/pip install --retries 0 numpy h5py scipy
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq octave
    /tmp/fixvenv/bin/python make_fixtures.py

Made with numpy 2.4.6, scipy 1.17.1, h5py 3.16.0 (HDF5 2.0.0), GNU Octave 7.3.0.
Octave is needed for the `save -v7` (compressed MAT v5) files only.

Deterministic: one numpy default_rng(2026), drawn in the fixed order below.
Things that would otherwise put the clock into the bytes are pinned: the
zip member dates of every .npz (rewritten to 1980-01-01 exactly as np.savez
writes members, with force_zip64), the date in the MAT header text of the
scipy files ("Thu Jan  1 00:00:00 2026") and of the Octave files
("2026-01-01 00:00:00 UTC"), same lengths, and the v7.3 header text (fixed).  HDF5 datasets are written without times.

Conventions (those of the Java reader):
- a fixture maps to matrices keyed (link, slot, subcarrier), H rx rows x tx cols;
- "axes" names every array axis in the tool's documented order (for MATLAB
  arrays, size() order); link = C-order index over the link axes in the listed
  order; slot/subcarrier = index on that axis, 0 if none; for a MATLAB cell
  path with {:} the cell element index (0-based, linear) is the slowest link
  component; H[r, t] = value at rx index r, tx index t;
- an axis "path": H_k = sum_p a_p exp(-2j pi f_k tau_p), f_k = (k - N//2) df
  ("centred": Sionna, MATLAB) or k df ("from-zero": QuaDRiGa);
- <stem>.expected.json: per matrix {"key": [link, slot, subcarrier], "sv":
  [min(rx, tx) singular values, descending]}, computed in complex128 from the stored values,
  rows sorted by key.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import h5py
import numpy as np
import scipy
import scipy.io

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(2026)

NUMPY = f"numpy {np.__version__}"
SCIPY = f"scipy {scipy.__version__}"
H5PY = f"h5py {h5py.version.version} (HDF5 {h5py.version.hdf5_version})"

FIXTURES = []   # entries of fixtures.json
CHECKS = []     # (stem, callable) run after everything is written


# --------------------------------------------------------------- values

def cgauss(shape, dtype=np.complex128):
    """Complex Gaussian, re and im N(0, 1), rounded to dtype."""
    re_ = RNG.standard_normal(shape)
    im_ = RNG.standard_normal(shape)
    return (re_ + 1j * im_).astype(dtype)


def delays(shape, dtype=np.float64):
    """Delays in seconds, uniform in [10 ns, 400 ns]."""
    return RNG.uniform(10e-9, 400e-9, shape).astype(dtype)


def freqs(n, df, convention):
    k = np.arange(n)
    if convention == "centred":
        return (k - n // 2) * df
    if convention == "from-zero":
        return k * df
    raise ValueError(convention)


def to_frequency(a, axes, tau, n, df, convention):
    """Path gains a (axes includes "path") and delays tau broadcastable to a:
    sum over paths of a exp(-2j pi f tau), the path axis replaced by a new
    last axis "subcarrier".  Computed in complex128 / float64."""
    p = axes.index("path")
    a = np.asarray(a).astype(np.complex128)
    tau = np.broadcast_to(np.asarray(tau).astype(np.float64), a.shape)
    f = freqs(n, df, convention)
    h = np.sum(a[..., None] * np.exp(-2j * np.pi * f * tau[..., None]), axis=p)
    return h, [x for x in axes if x != "path"] + ["subcarrier"]


def expected(a, axes):
    """keys [N,3] and singular values [N, min(rx,tx)] of an array whose axes
    are named by axes (link*, slot?, subcarrier?, rx, tx)."""
    a = np.asarray(a)
    assert a.ndim == len(axes), (a.shape, axes)
    assert set(axes) <= {"link", "slot", "subcarrier", "rx", "tx"}, axes
    assert axes.count("rx") == 1 and axes.count("tx") == 1
    assert axes.count("slot") <= 1 and axes.count("subcarrier") <= 1
    link = [i for i, x in enumerate(axes) if x == "link"]
    slot = [axes.index("slot")] if "slot" in axes else []
    sc = [axes.index("subcarrier")] if "subcarrier" in axes else []
    r, t = axes.index("rx"), axes.index("tx")
    b = np.transpose(a, link + slot + sc + [r, t]).astype(np.complex128)
    nl = int(np.prod([a.shape[i] for i in link]))  # 1 when no link axis
    ns = a.shape[slot[0]] if slot else 1
    nk = a.shape[sc[0]] if sc else 1
    nr, nt = a.shape[r], a.shape[t]
    b = np.ascontiguousarray(b).reshape(nl * ns * nk, nr, nt)
    sv = np.linalg.svd(b, compute_uv=False).astype(np.float64)
    l_, s_, k_ = np.meshgrid(np.arange(nl), np.arange(ns), np.arange(nk), indexing="ij")
    keys = np.stack([l_.ravel(), s_.ravel(), k_.ravel()], axis=1).astype(np.int64)
    return keys, sv, nr, nt


def write_expected(stem, keys, sv):
    # JSON, so that the Java test reads NumPy's answers without any reader under test; repr()
    # of a float64 round-trips exactly.
    path = HERE / f"{stem}.expected.json"
    rows = [{"key": [int(k) for k in key], "sv": [float(x) for x in row]} for key, row in zip(keys, sv)]
    path.write_text(json.dumps(rows, separators=(",", ":")) + "\n")


def _expected_arrays(rows):
    return {"keys": np.array([r["key"] for r in rows], dtype=np.int64),
            "sv": np.array([r["sv"] for r in rows], dtype=np.float64)}


def register(file, preset, fmt, variable, axes, precision, made_by, keys, sv, rows, cols,
             settings=None):
    stem = file.split(".")[0]
    write_expected(stem, keys, sv)
    FIXTURES.append({
        "file": file,
        "preset": preset,
        "format": fmt,
        "variable": variable,
        "axes": list(axes),
        "settings": settings or {},
        "precision": precision,
        "rows": int(rows),
        "cols": int(cols),
        "matrices": int(keys.shape[0]),
        "made_by": made_by,
    })


# --------------------------------------------------------------- byte pinning

def pin_zip_dates(path):
    """Rewrite a .npz with every member dated 1980-01-01, otherwise as
    np.savez writes it (same names, order, compression, force_zip64)."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, i.compress_type, z.read(i.filename)) for i in z.infolist()]
    compression = members[0][1] if members else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=compression, allowZip64=True) as z:
        for name, ctype, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = ctype
            with z.open(info, "w", force_zip64=True) as f:
                f.write(data)


def savemat_v5(path, values):
    """scipy.io.savemat, uncompressed, with the clock in the header text pinned."""
    scipy.io.savemat(path, values, do_compression=False)
    b = bytearray(path.read_bytes())
    text = b[:116].decode("ascii")
    pinned = re.sub(r"Created on: .{24}", "Created on: Thu Jan  1 00:00:00 2026", text)
    assert len(pinned) == 116 and pinned.startswith("MATLAB 5.0 MAT-file"), text
    b[:116] = pinned.encode("ascii")
    path.write_bytes(bytes(b))


def pin_octave_header(path):
    b = bytearray(path.read_bytes())
    text = b[:116].decode("ascii")
    pinned = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", "2026-01-01 00:00:00 UTC", text)
    assert len(pinned) == 116 and pinned.startswith("MATLAB 5.0 MAT-file"), text
    b[:116] = pinned.encode("ascii")
    path.write_bytes(bytes(b))


# --------------------------------------------------------------- octave

OCTAVE_JOBS = []   # (target file name, {var: value}, octave statements before save)


def octave_version():
    out = subprocess.run(["octave-cli", "--version"], capture_output=True, text=True, check=True)
    return "GNU Octave " + out.stdout.split("version")[1].split()[0]   # "GNU Octave, version 7.3.0"


def run_octave():
    """Each job: the values go to Octave in an uncompressed scipy MAT v5 file,
    Octave loads them, applies the casts and saves them with save -v7."""
    tmp = Path(tempfile.mkdtemp(prefix="mimo_fixtures_", dir="/tmp"))
    lines = []
    for target, values, prelude in OCTAVE_JOBS:
        src = tmp / f"in_{target}"
        scipy.io.savemat(src, values, do_compression=False)
        names = " ".join(f"'{v}'" for v in values)
        lines.append("clear all;")
        lines.append(f"load('{src}');")
        lines.extend(prelude)
        lines.append(f"save('-v7', '{HERE / target}', {names.replace(' ', ', ')});")
    script = tmp / "make_octave_fixtures.m"
    script.write_text("\n".join(lines) + "\n")
    res = subprocess.run(["octave-cli", "--norc", "--quiet", "--no-window-system", str(script)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"octave failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    for target, _, _ in OCTAVE_JOBS:
        pin_octave_header(HERE / target)
    shutil.rmtree(tmp)


# --------------------------------------------------------------- fixtures

def sionna_ofdm():
    # 1. h_f [batch, num_rx, num_rx_ant, num_tx, num_tx_ant, num_ofdm_symbols, fft_size]
    axes = ["link", "link", "rx", "link", "tx", "slot", "subcarrier"]
    h = cgauss((2, 1, 4, 3, 2, 3, 5), np.complex128)
    name = "sionna_ofdm.h5"
    with h5py.File(HERE / name, "w") as f:
        f.create_dataset("h_f", data=h, chunks=(1, 1, 4, 3, 2, 3, 5),
                         compression="gzip", shuffle=True)
    keys, sv, r, t = expected(h, axes)
    register(name, "sionna-ofdm", "hdf5", "h_f", axes, "double", H5PY, keys, sv, r, t)

    def check():
        with h5py.File(HERE / name, "r") as f:
            d = f["h_f"]
            assert d.dtype == np.complex128 and d.dtype.fields is None
            raw = d.id.get_type()
            assert isinstance(raw, h5py.h5t.TypeCompoundID)
            assert [raw.get_member_name(i) for i in range(raw.get_nmembers())] == [b"r", b"i"]
            assert d.chunks == (1, 1, 4, 3, 2, 3, 5) and d.compression == "gzip" and d.shuffle
            back = d[()]
        assert np.array_equal(back, h)
        return back, axes
    CHECKS.append((name, check))

    # 2. the same layout, complex64, contiguous, rx 2 x tx 4
    h2 = cgauss((3, 1, 2, 1, 4, 2, 3), np.complex64)
    name2 = "sionna_ofdm_c64.h5"
    with h5py.File(HERE / name2, "w") as f:
        f.create_dataset("h_f", data=h2)
    keys, sv, r, t = expected(h2, axes)
    register(name2, "sionna-ofdm", "hdf5", "h_f", axes, "single", H5PY, keys, sv, r, t)

    def check2():
        with h5py.File(HERE / name2, "r") as f:
            d = f["h_f"]
            assert d.dtype == np.complex64 and d.chunks is None and d.compression is None
            back = d[()]
        assert np.array_equal(back, h2)
        return back, axes
    CHECKS.append((name2, check2))


def sionna_cir():
    # 3. a [batch, num_rx, num_rx_ant, num_tx, num_tx_ant, num_paths, num_time_steps]
    #    tau [batch, num_rx, num_tx, num_paths]
    axes = ["link", "link", "rx", "link", "tx", "path", "slot"]
    n, df = 6, 30e3
    a = cgauss((2, 1, 4, 1, 2, 3, 2), np.complex64)
    tau = delays((2, 1, 1, 3), np.float32)
    name = "sionna_cir.h5"
    with h5py.File(HERE / name, "w") as f:
        f.create_dataset("a", data=a)
        f.create_dataset("tau", data=tau)

    def freq(a_, tau_):
        return to_frequency(a_, axes, tau_[:, :, None, :, None, :, None], n, df, "centred")
    hf, faxes = freq(a, tau)
    keys, sv, r, t = expected(hf, faxes)
    register(name, "sionna-cir", "hdf5", "a", axes, "single", H5PY, keys, sv, r, t,
             {"input.subcarriers": n, "input.subcarrier-spacing-khz": 30, "input.delays": "tau"})

    def check():
        with h5py.File(HERE / name, "r") as f:
            assert f["a"].dtype == np.complex64 and f["tau"].dtype == np.float32
            a_b, tau_b = f["a"][()], f["tau"][()]
        assert np.array_equal(a_b, a) and np.array_equal(tau_b, tau)
        assert tau_b.min() >= 10e-9 * (1 - 1e-6) and tau_b.max() <= 400e-9 * (1 + 1e-6)
        return freq(a_b, tau_b)
    CHECKS.append((name, check))


def deepmimo_numpy():
    # 4. deepmimo.npy complex64 C-order [users, ue_ant, bs_ant, subcarriers]
    axes4 = ["link", "rx", "tx", "subcarrier"]
    h = cgauss((3, 2, 4, 5), np.complex64)
    name = "deepmimo.npy"
    np.save(HERE / name, h)
    keys, sv, r, t = expected(h, axes4)
    register(name, "deepmimo", "npy", None, axes4, "single", NUMPY, keys, sv, r, t)

    def check():
        back = np.load(HERE / name)
        assert back.dtype == np.complex64 and back.flags.c_contiguous
        assert np.array_equal(back, h)
        return back, axes4
    CHECKS.append((name, check))

    # 5. deepmimo_time.npz, stored: channel complex128 Fortran-order
    #    [users, ue_ant, bs_ant, subcarriers, time], plus loc float64 [2, 3]
    axes5 = ["link", "rx", "tx", "subcarrier", "slot"]
    h5 = np.asfortranarray(cgauss((2, 4, 3, 3, 2), np.complex128))
    loc = RNG.uniform(-50, 50, (2, 3))
    name5 = "deepmimo_time.npz"
    np.savez(HERE / name5, channel=h5, loc=loc)
    pin_zip_dates(HERE / name5)
    keys, sv, r, t = expected(h5, axes5)
    register(name5, "deepmimo", "npz", "channel", axes5, "double", NUMPY, keys, sv, r, t)

    def check5():
        with zipfile.ZipFile(HERE / name5) as z:
            assert [i.filename for i in z.infolist()] == ["channel.npy", "loc.npy"]
            assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
            with z.open("channel.npy") as f:
                ver = np.lib.format.read_magic(f)
                read = {(1, 0): np.lib.format.read_array_header_1_0,
                        (2, 0): np.lib.format.read_array_header_2_0}[ver]
                shape, fortran, dtype = read(f)
            assert fortran and shape == (2, 4, 3, 3, 2) and dtype == np.complex128
        with np.load(HERE / name5) as z:
            back, loc_b = z["channel"], z["loc"]
        assert back.flags.f_contiguous and np.array_equal(back, h5)
        assert np.array_equal(loc_b, loc)
        return back, axes5
    CHECKS.append((name5, check5))

    # 6. deepmimo_compressed.npz: channel complex64 [users, ue_ant, bs_ant, subcarriers]
    h6 = cgauss((2, 3, 2, 4), np.complex64)
    name6 = "deepmimo_compressed.npz"
    np.savez_compressed(HERE / name6, channel=h6)
    pin_zip_dates(HERE / name6)
    keys, sv, r, t = expected(h6, axes4)
    register(name6, "deepmimo", "npz", "channel", axes4, "single", NUMPY, keys, sv, r, t)

    def check6():
        with zipfile.ZipFile(HERE / name6) as z:
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
        with np.load(HERE / name6) as z:
            assert list(z.keys()) == ["channel"]
            back = z["channel"]
        assert back.dtype == np.complex64 and np.array_equal(back, h6)
        return back, axes4
    CHECKS.append((name6, check6))

    # 7. deepmimo_bigendian.npy '>c16' [users, ue_ant, bs_ant, subcarriers]
    h7 = cgauss((2, 2, 3, 2), np.complex128).astype(">c16")
    name7 = "deepmimo_bigendian.npy"
    np.save(HERE / name7, h7)
    keys, sv, r, t = expected(h7, axes4)
    register(name7, "deepmimo", "npy", None, axes4, "double", NUMPY, keys, sv, r, t)

    def check7():
        back = np.load(HERE / name7)
        assert back.dtype.str == ">c16" and np.array_equal(back, h7)
        return back, axes4
    CHECKS.append((name7, check7))

    # 8. real_f8.npy float64 [links, rx, tx]
    axes8 = ["link", "rx", "tx"]
    h8 = RNG.standard_normal((3, 3, 2))
    name8 = "real_f8.npy"
    np.save(HERE / name8, h8)
    keys, sv, r, t = expected(h8.astype(np.complex128), axes8)
    register(name8, "deepmimo", "npy", None, axes8, "double", NUMPY, keys, sv, r, t)

    def check8():
        back = np.load(HERE / name8)
        assert back.dtype == np.float64 and np.array_equal(back, h8)
        return back.astype(np.complex128), axes8
    CHECKS.append((name8, check8))


def deepmimo_matlab():
    # 9. DeepMIMO_dataset: 1x1 cell -> struct .user: 1x3 cell -> struct .channel [M_UE, M_BS, K], .loc 1x3
    channels = [cgauss((2, 3, 4), np.complex128) for _ in range(3)]
    locs = [RNG.uniform(-50, 50, (1, 3)) for _ in range(3)]
    user = np.empty((1, 3), dtype=object)
    for u in range(3):
        user[0, u] = {"channel": channels[u], "loc": locs[u]}
    dataset = np.empty((1, 1), dtype=object)
    dataset[0, 0] = {"user": user}
    name = "deepmimo_matlab.mat"
    savemat_v5(HERE / name, {"DeepMIMO_dataset": dataset})
    axes = ["rx", "tx", "subcarrier"]
    stacked = np.stack(channels)          # the cell index as the slowest link component
    keys, sv, r, t = expected(stacked, ["link"] + axes)
    register(name, "deepmimo-matlab", "mat-v5", "DeepMIMO_dataset{1}.user{:}.channel", axes,
             "double", SCIPY, keys, sv, r, t)

    def check():
        assert scipy.io.matlab.matfile_version(HERE / name) == (1, 0)
        assert mat_first_element_type(HERE / name) == 14       # miMATRIX: uncompressed
        m = scipy.io.loadmat(HERE / name)
        ds = m["DeepMIMO_dataset"]
        assert ds.dtype == object and ds.shape == (1, 1)
        s = ds[0, 0]
        assert s.shape == (1, 1) and s.dtype.names == ("user",)
        users = s[0, 0]["user"]
        assert users.dtype == object and users.shape == (1, 3)
        back = []
        for u in range(3):
            us = users[0, u]
            assert us.dtype.names == ("channel", "loc")
            ch, lo = us[0, 0]["channel"], us[0, 0]["loc"]
            assert ch.dtype == np.complex128 and np.array_equal(ch, channels[u])
            assert lo.shape == (1, 3) and np.array_equal(lo, locs[u])
            back.append(ch)
        return np.stack(back), ["link"] + axes
    CHECKS.append((name, check))


def quadriga():
    # 10. quadriga_fr.mat, Octave -v7: fr single complex [rx_ant, tx_ant, carriers, snapshots]
    axes10 = ["rx", "tx", "subcarrier", "slot"]
    fr = cgauss((3, 2, 4, 2), np.complex64)
    name10 = "quadriga_fr.mat"
    OCTAVE_JOBS.append((name10, {"fr": fr}, ["fr = single(fr);"]))
    keys, sv, r, t = expected(fr, axes10)
    register(name10, "quadriga-fr", "mat-v7", "fr", axes10, "single", "OCTAVE", keys, sv, r, t)

    def check10():
        assert octave_mat_v7(HERE / name10)
        back = scipy.io.loadmat(HERE / name10)["fr"]
        assert back.dtype == np.complex64 and np.array_equal(back, fr)
        return back, axes10
    CHECKS.append((name10, check10))

    # 11. quadriga_coeff.mat, scipy v5: coeff complex double [rx_ant, tx_ant, paths, snapshots],
    #     delay double of the same size
    axes11 = ["rx", "tx", "path", "slot"]
    n, df = 5, 15e3
    coeff = cgauss((2, 3, 4, 2), np.complex128)
    delay = delays((2, 3, 4, 2))
    name11 = "quadriga_coeff.mat"
    savemat_v5(HERE / name11, {"coeff": coeff, "delay": delay})
    hf, faxes = to_frequency(coeff, axes11, delay, n, df, "from-zero")
    keys, sv, r, t = expected(hf, faxes)
    register(name11, "quadriga-coeff", "mat-v5", "coeff", axes11, "double", SCIPY, keys, sv, r, t,
             {"input.subcarriers": n, "input.subcarrier-spacing-khz": 15, "input.delays": "delay"})

    def check11():
        assert scipy.io.matlab.matfile_version(HERE / name11) == (1, 0)
        assert mat_first_element_type(HERE / name11) == 14
        m = scipy.io.loadmat(HERE / name11)
        c, d = m["coeff"], m["delay"]
        assert c.dtype == np.complex128 and d.dtype == np.float64 and c.shape == d.shape
        assert np.array_equal(c, coeff) and np.array_equal(d, delay)
        return to_frequency(c, axes11, d, n, df, "from-zero")
    CHECKS.append((name11, check11))


def matlab_5g():
    # 12. matlab_5g_v73.mat: H [K, L, Nr, Nt] complex double, MATLAB v7.3 (HDF5, 512-byte userblock)
    axes = ["subcarrier", "slot", "rx", "tx"]
    h = cgauss((6, 2, 4, 2), np.complex128)
    name = "matlab_5g_v73.mat"
    write_v73(HERE / name, "H", h)
    keys, sv, r, t = expected(h, axes)
    register(name, "matlab-5g", "mat-v7.3", "H", axes, "double",
             H5PY + ", MATLAB v7.3 layout written by hand", keys, sv, r, t)

    def check():
        b = (HERE / name).read_bytes()
        assert b[:116] == V73_TEXT and b[116:124] == bytes(8) and b[124:128] == b"\x00\x02IM"
        assert b[128:512] == bytes(384) and b[512:520] == b"\x89HDF\r\n\x1a\n"
        assert scipy.io.matlab.matfile_version(HERE / name) == (2, 0)
        with h5py.File(HERE / name, "r") as f:
            assert f.userblock_size == 512
            d = f["H"]
            assert d.shape == (2, 4, 2, 6)
            assert d.dtype.names == ("real", "imag") and d.dtype["real"] == np.float64
            cls = d.attrs.get_id("MATLAB_class")
            ct = cls.get_type()
            assert isinstance(ct, h5py.h5t.TypeStringID) and not ct.is_variable_str()
            assert ct.get_size() == 6 and ct.get_strpad() == h5py.h5t.STR_NULLTERM
            assert ct.get_cset() == h5py.h5t.CSET_ASCII
            assert d.attrs["MATLAB_class"] == b"double"
            raw = d[()]
        back = np.transpose(raw["real"] + 1j * raw["imag"])   # back to MATLAB's size() order
        assert back.shape == (6, 2, 4, 2) and np.array_equal(back, h)
        # h5[t, r, l, k] = H[k, l, r, t]
        assert raw["real"][1, 3, 0, 5] == h[5, 0, 3, 1].real
        return back, axes
    CHECKS.append((name, check))

    # 13. matlab_5g_v7.mat: the same variable, a new draw, Octave save -v7
    h13 = cgauss((6, 2, 4, 2), np.complex128)
    name13 = "matlab_5g_v7.mat"
    OCTAVE_JOBS.append((name13, {"H": h13}, []))
    keys, sv, r, t = expected(h13, axes)
    register(name13, "matlab-5g", "mat-v7", "H", axes, "double", "OCTAVE", keys, sv, r, t)

    def check13():
        assert octave_mat_v7(HERE / name13)
        back = scipy.io.loadmat(HERE / name13)["H"]
        assert back.dtype == np.complex128 and np.array_equal(back, h13)
        return back, axes
    CHECKS.append((name13, check13))


def matlab_cdl():
    # 14. matlab_cdl.mat, Octave -v7: pathGains [Ncs, Np, Nt, Nr] complex double, pathDelays [1, Np]
    axes = ["slot", "path", "tx", "rx"]
    n, df = 4, 15e3
    gains = cgauss((2, 3, 2, 4), np.complex128)
    pdel = delays((1, 3))
    name = "matlab_cdl.mat"
    OCTAVE_JOBS.append((name, {"pathGains": gains, "pathDelays": pdel}, []))

    def freq(g, d):
        return to_frequency(g, axes, d.reshape(1, -1, 1, 1), n, df, "centred")
    hf, faxes = freq(gains, pdel)
    keys, sv, r, t = expected(hf, faxes)
    register(name, "matlab-cdl", "mat-v7", "pathGains", axes, "double", "OCTAVE", keys, sv, r, t,
             {"input.subcarriers": n, "input.subcarrier-spacing-khz": 15,
              "input.delays": "pathDelays"})

    def check():
        assert octave_mat_v7(HERE / name)
        m = scipy.io.loadmat(HERE / name)
        g, d = m["pathGains"], m["pathDelays"]
        assert g.dtype == np.complex128 and np.array_equal(g, gains)
        assert d.dtype == np.float64 and d.shape == (1, 3) and np.array_equal(d, pdel)
        return freq(g, d)
    CHECKS.append((name, check))


# --------------------------------------------------------------- MAT helpers

V73_TEXT = ("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Dec  1 00:00:00 2026 "
            "HDF5 schema 1.00 .").ljust(116).encode("ascii")


def write_v73(path, name, value):
    """A MATLAB -v7.3 file: HDF5 after a 512-byte userblock holding the MAT
    header; the array column-major, i.e. with reversed dims in HDF5, complex
    as compound {real, imag}, attribute MATLAB_class = 'double' (fixed-length
    ASCII, null-terminated, as MATLAB writes it)."""
    ctype = np.dtype([("real", "<f8"), ("imag", "<f8")])
    data = np.transpose(value)                     # h5[t, r, l, k] = H[k, l, r, t]
    stored = np.empty(data.shape, ctype)
    stored["real"], stored["imag"] = data.real, data.imag
    with h5py.File(path, "w", userblock_size=512, libver="earliest") as f:
        d = f.create_dataset(name, data=stored)
        tid = h5py.h5t.C_S1.copy()
        tid.set_size(6)
        tid.set_strpad(h5py.h5t.STR_NULLTERM)
        tid.set_cset(h5py.h5t.CSET_ASCII)
        aid = h5py.h5a.create(d.id, b"MATLAB_class", tid, h5py.h5s.create(h5py.h5s.SCALAR))
        aid.write(np.array(b"double", dtype="S6"), mtype=tid)
    header = V73_TEXT + bytes(8) + b"\x00\x02" + b"IM"
    assert len(header) == 128
    with open(path, "r+b") as f:
        f.write(header + bytes(512 - 128))


def mat_first_element_type(path):
    b = path.read_bytes()
    return int(np.frombuffer(b[128:132], "<u4")[0])


def octave_mat_v7(path):
    b = path.read_bytes()
    return (b[:45].startswith(b"MATLAB 5.0 MAT-file, written by Octave")
            and b[126:128] == b"IM" and mat_first_element_type(path) == 15)  # miCOMPRESSED


# --------------------------------------------------------------- main

def split_parts():
    # 15. split_parts.h5: real and imaginary parts as separate float64 datasets H_re, H_im
    #     [links, rx, tx], as QuaDRiGa's C++ library stores its coefficients; no preset.
    axes15 = ["link", "rx", "tx"]
    h15 = cgauss((3, 3, 2), np.complex128)
    name15 = "split_parts.h5"
    with h5py.File(HERE / name15, "w", track_order=False) as f:
        f.create_dataset("H_re", data=h15.real, track_times=False)
        f.create_dataset("H_im", data=h15.imag, track_times=False)
    keys, sv, r, t = expected(h15, axes15)
    register(name15, None, "hdf5", "H", axes15, "double", H5PY, keys, sv, r, t)

    def check15():
        with h5py.File(HERE / name15, "r") as f:
            back = f["H_re"][()] + 1j * f["H_im"][()]
        assert np.array_equal(back, h15)
        return back, axes15
    CHECKS.append((name15, check15))


def main():
    sionna_ofdm()
    sionna_cir()
    deepmimo_numpy()
    deepmimo_matlab()
    quadriga()
    matlab_5g()
    matlab_cdl()
    split_parts()

    octave = octave_version()
    run_octave()
    for fx in FIXTURES:
        if fx["made_by"] == "OCTAVE":
            fx["made_by"] = f"{octave}, save -v7 (values loaded from a scipy MAT v5 file)"

    text = json.dumps(FIXTURES, indent=2)
    text = re.sub(r'\[\s+("[^\]]*?")\s+\]',                   # axes on one line
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    (HERE / "fixtures.json").write_text(text + "\n")

    # read every file back independently and recompute its expected values
    by_file = {fx["file"]: fx for fx in FIXTURES}
    for name, check in CHECKS:
        arr, axes = check()
        keys, sv, r, t = expected(arr, axes)
        fx = by_file[name]
        assert (r, t) == (fx["rows"], fx["cols"]) and r != t, name
        assert keys.shape[0] == fx["matrices"], name
        with open(HERE / f"{name.split('.')[0]}.expected.json") as f:
            e = _expected_arrays(json.load(f))
            assert e["keys"].dtype == np.int64 and e["sv"].dtype == np.float64
            assert np.array_equal(e["keys"], keys), name
            assert np.array_equal(e["sv"], sv), name
            assert e["sv"].shape == (fx["matrices"], min(r, t))
            order = np.lexsort(e["keys"].T[::-1])
            assert np.array_equal(order, np.arange(len(order))), name
            assert np.all(np.diff(e["sv"], axis=1) <= 0), name
    assert json.loads((HERE / "fixtures.json").read_text()) == FIXTURES

    print(f"{'file':32} {'bytes':>7}  {'expected':>8}  matrices  rows x cols  made by")
    total = 0
    for fx in FIXTURES:
        size = os.path.getsize(HERE / fx["file"])
        esize = os.path.getsize(HERE / f"{fx['file'].split('.')[0]}.expected.json")
        total += size + esize
        assert size < 50_000 and esize < 50_000, fx["file"]
        print(f"{fx['file']:32} {size:7d}  {esize:8d}  {fx['matrices']:8d}  {fx['rows']:4d} x {fx['cols']:<4d}  {fx['made_by']}")
    print(f"fixtures.json {os.path.getsize(HERE / 'fixtures.json')} bytes; all files {total} bytes; all checks passed")


if __name__ == "__main__":
    main()
