#!/usr/bin/env python3
"""Writes the ingest fixtures of layouts beyond the presets' first ones: arrays
without an rx or tx axis, real arrays with their real and imaginary parts on an
axis, flat arrays read through input.shape, Sionna RT's cir() without a batch
axis, quadriga-lib's HDF5 files (a group per channel and snapshot), a CDL set
stored [slots, subcarriers, Nr, Nt], and a MATLAB cell array of channels; each
with its expected singular values, and layouts.json.

Run as make_fixtures.py is run (same virtual environment; no Octave needed):

    /tmp/fixvenv/bin/python make_layouts.py

Made with numpy 2.4.6, scipy 1.17.1, h5py 3.16.0 (HDF5 2.0.0).  Deterministic:
numpy default_rng(2027), drawn in the order below; .npz member dates and the MAT
header clock pinned as make_fixtures.py pins them.

Conventions: those of make_fixtures.py (keys (link, slot, subcarrier), H rx rows
x tx cols, <stem>.expected.json).  An array without an rx (tx) axis holds 1 x Nt
(Nr x 1) matrices; "reim" is an axis of length 2 holding the real and imaginary
parts of a real array.  Every expected value is computed from the array as
NumPy (or h5py, or scipy.io.loadmat) reads it back, with NumPy's own reshape
where the layout needs one, never through the reader under test.
"""

import json
import os
import re
from pathlib import Path

import h5py
import numpy as np
import scipy
import scipy.io

from make_fixtures import (H5PY, NUMPY, SCIPY, _expected_arrays, expected, pin_zip_dates, savemat_v5,
                           to_frequency, write_expected)

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(2027)

LAYOUTS = []   # entries of layouts.json
CHECKS = []    # (file, callable returning (array, axes) as NumPy reads the file)


def cgauss(shape, dtype=np.complex128):
    return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dtype)


def matrices(a, axes):
    """An array whose axes may lack rx or tx, or hold real and imaginary
    parts on a "reim" axis, as the array of complex matrices with both axes
    (a missing one of length 1, last)."""
    a = np.asarray(a)
    axes = list(axes)
    if "reim" in axes:
        k = axes.index("reim")
        assert a.shape[k] == 2
        a = np.take(a, 0, axis=k).astype(np.float64) + 1j * np.take(a, 1, axis=k).astype(np.float64)
        axes.pop(k)
    for missing in ("rx", "tx"):
        if missing not in axes:
            a = a[..., None]
            axes.append(missing)
    return a, axes


def register(file, preset, fmt, variable, axes, settings, precision, made_by, arr, arr_axes):
    """arr, arr_axes: the channels as complex matrices in the layout expected() takes."""
    keys, sv, r, t = expected(arr, arr_axes)
    write_expected(file.split(".")[0], keys, sv)
    LAYOUTS.append({
        "file": file,
        "preset": preset,
        "format": fmt,
        "variable": variable,
        "axes": list(axes),
        "settings": settings,
        "precision": precision,
        "rows": int(r),
        "cols": int(t),
        "matrices": int(keys.shape[0]),
        "made_by": made_by,
    })


# --------------------------------------------------------------- fixtures

def miso():
    # 1. miso.npy complex64 [users, tx_ant]: a multi-user MISO downlink, 1 x 4 matrices
    h = cgauss((5, 4), np.complex64)
    np.save(HERE / "miso.npy", h)
    axes = ["link", "tx"]
    register("miso.npy", None, "npy", None, axes, {"input.axes": axes}, "single", NUMPY, *matrices(h, axes))

    def check():
        back = np.load(HERE / "miso.npy")
        assert back.dtype == np.complex64 and back.shape == (5, 4) and np.array_equal(back, h)
        return matrices(back, axes)
    CHECKS.append(("miso.npy", check))


def siso_sounding():
    # 2. siso_sounding.npz, compressed: csi complex128 [snapshots, subcarriers] of one antenna pair
    h = cgauss((3, 6), np.complex128)
    name = "siso_sounding.npz"
    np.savez_compressed(HERE / name, csi=h, t=np.arange(3) * 1e-3)
    pin_zip_dates(HERE / name)
    axes = ["slot", "subcarrier"]
    register(name, None, "npz", "csi", axes, {"input.variable": "csi", "input.axes": axes}, "double", NUMPY,
             *matrices(h, axes))

    def check():
        with np.load(HERE / name) as z:
            back = z["csi"]
        assert back.dtype == np.complex128 and np.array_equal(back, h)
        return matrices(back, axes)
    CHECKS.append((name, check))


def cost2100():
    # 3. cost2100.mat, scipy v5: H complex double [N, 8 tx antennas, 5 subcarriers], no rx axis
    #    (COST 2100 CSI-feedback sets are N x 32 x 125)
    h = cgauss((3, 8, 5), np.complex128)
    name = "cost2100.mat"
    savemat_v5(HERE / name, {"H": h})
    axes = ["link", "tx", "subcarrier"]
    register(name, None, "mat-v5", "H", axes, {"input.variable": "H", "input.axes": axes}, "double", SCIPY,
             *matrices(h, axes))

    def check():
        back = scipy.io.loadmat(HERE / name)["H"]
        assert back.dtype == np.complex128 and np.array_equal(back, h)
        return matrices(back, axes)
    CHECKS.append((name, check))


def csinet():
    # 4. csinet.npy float32 [N, 2, 32, 32]: CsiNet's channels-first real and imaginary parts
    x = RNG.standard_normal((4, 2, 32, 32)).astype(np.float32)
    np.save(HERE / "csinet.npy", x)
    axes = ["link", "reim", "rx", "tx"]
    register("csinet.npy", None, "npy", None, axes, {"input.axes": axes}, "single", NUMPY, *matrices(x, axes))

    def check():
        back = np.load(HERE / "csinet.npy")
        assert back.dtype == np.float32 and np.array_equal(back, x)
        return matrices(back, axes)
    CHECKS.append(("csinet.npy", check))

    # 5. csinet_ht.mat, scipy v5: HT single [N, 2048] as CsiNet's DATA_Htrainin.mat holds it; CsiNet
    #    reads it with NumPy's x.reshape(N, 2, 32, 32), which in MATLAB's column-major order is
    #    reshape(HT, N, 32, 32, 2): axes link, tx, rx, reim
    flat = RNG.standard_normal((3, 2048)).astype(np.float32)
    savemat_v5(HERE / "csinet_ht.mat", {"HT": flat})
    settings = {"input.variable": "HT", "input.shape": [-1, 32, 32, 2], "input.axes": ["link", "tx", "rx", "reim"]}

    def as_csinet(ht):
        return matrices(ht.reshape(len(ht), 2, 32, 32), ["link", "reim", "rx", "tx"])
    register("csinet_ht.mat", None, "mat-v5", "HT", settings["input.axes"], settings, "single", SCIPY,
             *as_csinet(flat))

    def check_ht():
        back = scipy.io.loadmat(HERE / "csinet_ht.mat")["HT"]
        assert back.dtype == np.float32 and back.shape == (3, 2048) and np.array_equal(back, flat)
        return as_csinet(back)
    CHECKS.append(("csinet_ht.mat", check_ht))

    # 6. flat_reim.npy float64 [N, 24], read as [N, 2, 4, 3]: non-square, so that no wrong split passes
    f = RNG.standard_normal((5, 24))
    np.save(HERE / "flat_reim.npy", f)
    axes = ["link", "reim", "rx", "tx"]
    register("flat_reim.npy", None, "npy", None, axes, {"input.shape": [-1, 2, 4, 3], "input.axes": axes}, "double",
             NUMPY, *matrices(f.reshape(5, 2, 4, 3), axes))

    def check_flat():
        back = np.load(HERE / "flat_reim.npy")
        assert np.array_equal(back, f)
        return matrices(back.reshape(-1, 2, 4, 3), axes)
    CHECKS.append(("flat_reim.npy", check_flat))


def sionna_rt():
    # 7. sionna_rt.npz: Paths.cir(out_type="numpy") saved with np.savez, no batch axis:
    #    a complex64 [num_rx, num_rx_ant, num_tx, num_tx_ant, num_paths, num_time_steps],
    #    tau float32 [num_rx, num_tx, num_paths]
    axes = ["link", "rx", "link", "tx", "path", "slot"]
    n, df = 6, 30e3
    a = cgauss((2, 4, 1, 2, 3, 2), np.complex64)
    tau = RNG.uniform(10e-9, 400e-9, (2, 1, 3)).astype(np.float32)
    name = "sionna_rt.npz"
    np.savez(HERE / name, a=a, tau=tau)
    pin_zip_dates(HERE / name)

    def freq(a_, tau_):
        return to_frequency(a_, axes, tau_[:, None, :, None, :, None], n, df, "centred")
    settings = {"input.subcarriers": n, "input.subcarrier-spacing-khz": 30}
    register(name, "sionna-rt", "npz", "a", axes, settings, "single", NUMPY, *freq(a, tau))

    def check():
        with np.load(HERE / name) as z:
            a_b, tau_b = z["a"], z["tau"]
        assert a_b.dtype == np.complex64 and np.array_equal(a_b, a) and np.array_equal(tau_b, tau)
        return freq(a_b, tau_b)
    CHECKS.append((name, check))


def sionna_freq():
    # 8. sionna_freq.h5: Sionna's OFDMChannel output under its own name, h_freq complex64
    #    [batch, num_rx, num_rx_ant, num_tx, num_tx_ant, num_ofdm_symbols, fft_size]
    axes = ["link", "link", "rx", "link", "tx", "slot", "subcarrier"]
    h = cgauss((2, 1, 2, 1, 3, 2, 4), np.complex64)
    name = "sionna_freq.h5"
    with h5py.File(HERE / name, "w") as f:
        f.create_dataset("h_freq", data=h)
    register(name, "sionna-ofdm", "hdf5", "h_freq", axes, {}, "single", H5PY, h, axes)

    def check():
        with h5py.File(HERE / name, "r") as f:
            assert list(f.keys()) == ["h_freq"]
            back = f["h_freq"][()]
        assert back.dtype == np.complex64 and np.array_equal(back, h)
        return back, axes
    CHECKS.append((name, check))


def quadriga_lib():
    # 9. quadriga_lib.h5 as quadriga-lib's channel::hdf5_write lays it out: ChannelDims and Order
    #    at the root, a group channel_<n> per stored channel; with several snapshots a group
    #    Snap_<i> for each, with one snapshot the data in the channel group itself; coeff_re,
    #    coeff_im and delay float32 cubes that HDF5 shows as [path, tx, rx] (Armadillo's
    #    column-major [rx, tx, path]), the delays [path, 1, 1] where all antennas share them.
    #    channel_1: 11 snapshots (Snap_10 sorts after Snap_9 by number), 2 x 3, paths varying;
    #    channel_2: one snapshot, shared delays.
    n, df = 4, 15e3
    snaps = []
    for s in range(11):
        p = 2 + s % 3
        snaps.append((cgauss((3, 2, p)), RNG.uniform(10e-9, 400e-9, (3, 2, p))))   # Armadillo [rx, tx, path]
    one = (cgauss((3, 2, 4)), RNG.uniform(10e-9, 400e-9, (1, 1, 4)))
    name = "quadriga_lib.h5"
    with h5py.File(HERE / name, "w") as f:
        f.create_dataset("ChannelDims", data=np.array([2, 1, 1, 1], np.uint32))
        f.create_dataset("Order", data=np.array([1, 2], np.uint32))
        for ci, snapshots in ((1, snaps), (2, [one])):
            g = f.create_group(f"channel_{ci}")
            g.attrs["NumSnap"] = np.uint32(len(snapshots))
            g.attrs["NumTx"] = np.uint32(2)
            g.attrs["NumRx"] = np.uint32(3)
            for si, (c, d) in enumerate(snapshots):
                sg = g if len(snapshots) == 1 else g.create_group(f"Snap_{si}")
                sg.attrs["NumPath"] = np.uint32(c.shape[2])
                # HDF5 [path, tx, rx] = the transpose of Armadillo's [rx, tx, path]
                sg.create_dataset("coeff_re", data=np.transpose(c.real).astype(np.float32))
                sg.create_dataset("coeff_im", data=np.transpose(c.imag).astype(np.float32))
                sg.create_dataset("delay", data=np.transpose(d).astype(np.float32))

    def freq(snapshots_by_channel):
        # per channel, per snapshot: [rx, tx, subcarrier] -> one array [link, slot, subcarrier, rx, tx]
        links = []
        for snapshots in snapshots_by_channel:
            slots = []
            for c, d in snapshots:
                h, hax = to_frequency(c, ["rx", "tx", "path"], d, n, df, "from-zero")
                assert hax == ["rx", "tx", "subcarrier"]
                slots.append(np.transpose(h, (2, 0, 1)))
            links.append(slots)
        return links

    def keyed(links):
        keys, svs = [], []
        for li, slots in enumerate(links):
            for si, h in enumerate(slots):
                k, sv, _, _ = expected(h, ["subcarrier", "rx", "tx"])
                keys.append(np.column_stack([np.full(len(k), li), np.full(len(k), si), k[:, 2]]))
                svs.append(sv)
        keys, svs = np.concatenate(keys), np.concatenate(svs)
        order = np.lexsort(keys.T[::-1])
        return keys[order], svs[order]

    stored = [[(c.astype(np.complex64).astype(np.complex128), d.astype(np.float32)) for c, d in snaps],
              [(one[0].astype(np.complex64).astype(np.complex128), one[1].astype(np.float32))]]
    keys, sv = keyed(freq(stored))
    write_expected("quadriga_lib", keys, sv)
    LAYOUTS.append({
        "file": name, "preset": "quadriga-lib", "format": "hdf5", "variable": "channel_{:}/Snap_{:}/coeff",
        "axes": ["path", "tx", "rx"],
        "settings": {"input.subcarriers": n, "input.subcarrier-spacing-khz": 15},
        "precision": "single", "rows": 3, "cols": 2, "matrices": int(len(keys)), "made_by": H5PY,
    })

    def check():
        back = []
        with h5py.File(HERE / name, "r") as f:
            assert sorted(f.keys()) == ["ChannelDims", "Order", "channel_1", "channel_2"]
            for ci in (1, 2):
                g = f[f"channel_{ci}"]
                groups = [g[f"Snap_{i}"] for i in range(int(g.attrs["NumSnap"]))] if g.attrs["NumSnap"] > 1 else [g]
                snapshots = []
                for sg in groups:
                    re_, im_, d = sg["coeff_re"][()], sg["coeff_im"][()], sg["delay"][()]
                    assert re_.dtype == np.float32 and d.dtype == np.float32
                    assert re_.shape[0] == sg.attrs["NumPath"] and re_.shape[1:] == (2, 3)
                    snapshots.append((np.transpose(re_ + 1j * im_.astype(np.complex128)), np.transpose(d)))
                back.append(snapshots)
        return keyed(freq(back))
    CHECKS.append((name, check))


def cdl_reversed():
    # 10. cdl_grid.mat, scipy v5: H complex double [slots, subcarriers, Nr, Nt], the reverse of
    #    matlab-5g's K x L; no preset
    h = cgauss((2, 5, 4, 2), np.complex128)
    name = "cdl_grid.mat"
    savemat_v5(HERE / name, {"H": h})
    axes = ["slot", "subcarrier", "rx", "tx"]
    register(name, None, "mat-v5", "H", axes, {"input.variable": "H", "input.axes": axes}, "double", SCIPY,
             *matrices(h, axes))

    def check():
        back = scipy.io.loadmat(HERE / name)["H"]
        assert np.array_equal(back, h)
        return matrices(back, axes)
    CHECKS.append((name, check))


def mat_cells():
    # 11. h_cells.mat, scipy v5: H a 1 x 3 cell of [Nr, Nt, K] complex double arrays, one per
    #     user (README: --set input.variable=H{:})
    users = [cgauss((4, 2, 3)) for _ in range(3)]
    cell = np.empty((1, 3), dtype=object)
    for u in range(3):
        cell[0, u] = users[u]
    name = "h_cells.mat"
    savemat_v5(HERE / name, {"H": cell})
    axes = ["rx", "tx", "subcarrier"]
    register(name, None, "mat-v5", "H{:}", axes, {"input.variable": "H{:}", "input.axes": axes}, "double", SCIPY,
             np.stack(users), ["link"] + axes)

    def check():
        c = scipy.io.loadmat(HERE / name)["H"]
        assert c.dtype == object and c.shape == (1, 3)
        return np.stack([c[0, u] for u in range(3)]), ["link"] + axes
    CHECKS.append((name, check))


def main():
    miso()
    siso_sounding()
    cost2100()
    csinet()
    sionna_rt()
    sionna_freq()
    quadriga_lib()
    cdl_reversed()
    mat_cells()

    text = json.dumps(LAYOUTS, indent=2)
    text = re.sub(r'\[\s+([^\[\]{}]*?)\s+\]',                   # lists on one line
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    (HERE / "layouts.json").write_text(text + "\n")
    assert json.loads((HERE / "layouts.json").read_text()) == LAYOUTS

    # read every file back independently and compare with what was written
    by_file = {fx["file"]: fx for fx in LAYOUTS}
    for name, check in CHECKS:
        fx = by_file[name]
        with open(HERE / f"{name.split('.')[0]}.expected.json") as f:
            e = _expected_arrays(json.load(f))
        got = check()
        if name == "quadriga_lib.h5":
            keys, sv = got
        else:
            keys, sv, r, t = expected(*got)
            assert (r, t) == (fx["rows"], fx["cols"]), name
        assert np.array_equal(e["keys"], keys), name
        assert np.allclose(e["sv"], sv, rtol=0, atol=1e-12 * max(1.0, float(np.max(sv)))), name
        assert e["sv"].shape == (fx["matrices"], min(fx["rows"], fx["cols"])), name
        assert np.array_equal(np.lexsort(e["keys"].T[::-1]), np.arange(len(e["keys"]))), name

    print(f"{'file':24} {'bytes':>7}  {'expected':>8}  matrices  rows x cols  made by")
    for fx in LAYOUTS:
        size = os.path.getsize(HERE / fx["file"])
        esize = os.path.getsize(HERE / f"{fx['file'].split('.')[0]}.expected.json")
        assert size < 50_000 and esize < 50_000, fx["file"]
        print(f"{fx['file']:24} {size:7d}  {esize:8d}  {fx['matrices']:8d}  {fx['rows']:4d} x {fx['cols']:<4d}  "
              f"{fx['made_by']}")
    print("layouts.json written; all checks passed")


if __name__ == "__main__":
    main()
