#!/usr/bin/env python3
"""mimobatch's per-matrix analysis written the way a NumPy user would write it: batched
np.linalg calls over an array of matrices, one metric per line of README's metrics table.

It is the NumPy side of every comparison in docs/benchmarks.md (numpy_kernels.py times it, and
numpy_run.py runs it over the default scenario), so it does the same work as `mimobatch analyze`:
the thin SVD, the eigenvalues of H^H H, the receivers from explicit inverses, and zero-forcing
detection of QPSK vectors by the SVD and once more by np.linalg.solve.

It also checks a run:

    python3 bench/numpy_analysis.py --check OUT/channels/run_id=ID OUT/metrics/run_id=ID

recomputes every metric that does not depend on random draws from the channels as stored and
prints, per metric, the largest difference from mimobatch's; it exits 1 where one is beyond its
tolerance (a relative 1e-9 in double precision, 1e-4 in single: singular values relative to the
largest of their matrix; round-off quantities such as recon_error only both below 1e-12, or
1e-5 in single). The zero-forcing draws come from other generators on each side: their checks
are that both are defined on the same matrices and agree in scale.
"""
import math
import sys

import numpy as np

SNR_DB = np.array([0.0, 10.0, 20.0])
ZF_VECTORS = 4


def adjoint(a):
    return np.conj(np.swapaxes(a, -1, -2))


def water_filling(gains, rho):
    """Capacity with total power 1 over channels of power gains (N, k), noise 1/rho: the largest
    active set whose powers mu - 1/(rho g) all stay positive."""
    g = -np.sort(-gains, axis=1) * rho
    n, k = g.shape
    inverse = np.where(g > 0, 1 / np.where(g > 0, g, 1), np.inf)
    cap = np.full(n, np.nan)
    for m in range(k, 0, -1):
        mu = (1 + inverse[:, :m].sum(axis=1)) / m
        fits = np.isnan(cap) & (mu > inverse[:, m - 1])
        cap[fits] = np.log2(mu[fits, None] * g[fits, :m]).sum(axis=1)
    return cap


def qpsk(rng, shape):
    return (rng.choice([-1.0, 1.0], shape) + 1j * rng.choice([-1.0, 1.0], shape)) / math.sqrt(2)


def analyze(H, rng, snr_db=SNR_DB, zf_vectors=ZF_VECTORS, eps=None):
    """Every metric of mimobatch's metrics table for the matrices H (N, rows, cols), as a dict of
    arrays: (N,) for scalars, (N, k) per singular-value index, (N, SNRs) per SNR; NaN where a
    metric is undefined. eps, of the rank threshold, is H's precision's unless given."""
    N, rows, cols = H.shape
    k = min(rows, cols)
    eps = np.finfo(H.real.dtype).eps if eps is None else eps
    H = H.astype(np.complex128)
    U, s, Vh = np.linalg.svd(H, full_matrices=False)
    m = {"singular_values": s}
    rank = (s > max(rows, cols) * eps * s[:, :1]).sum(axis=1)
    m["rank"] = rank
    norm = np.linalg.norm(H, axis=(1, 2))
    m["recon_error"] = np.linalg.norm(H - (U * s[:, None, :]) @ Vh, axis=(1, 2)) / norm
    m["orth_error"] = np.maximum(np.abs(adjoint(U) @ U - np.eye(k)).max(axis=(1, 2)),
                                 np.abs(Vh @ adjoint(Vh) - np.eye(k)).max(axis=(1, 2)))
    full = rank == k
    with np.errstate(divide="ignore"):
        m["cond_db"] = np.where(full, 20 * np.log10(s[:, 0] / s[:, -1]), np.inf)
    p = s / s.sum(axis=1, keepdims=True)
    m["effective_rank"] = np.exp(-np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0), axis=1))
    G = adjoint(H) @ H
    lam = np.linalg.eigvalsh(G)[:, ::-1][:, :k]
    m["eig_gap"] = np.abs(lam - s ** 2).max(axis=1) / s[:, 0] ** 2
    energy = s ** 2
    tail = np.cumsum(energy[:, ::-1], axis=1)[:, ::-1]
    m["lowrank_error"] = np.sqrt(np.concatenate([tail[:, 1:], np.zeros((N, 1))], axis=1) / tail[:, :1])

    zf = rank == cols                      # (H^H H)^-1 exists: tall or square, full rank
    rhos = 10 ** (np.asarray(snr_db) / 10)
    cap, wf, rzf, rmmse, mmse, zmse = (np.full((N, len(rhos)), np.nan) for _ in range(6))
    Gi = np.full_like(G, np.nan)
    if zf.any():
        Gi[zf] = np.linalg.inv(G[zf])
    for j, rho in enumerate(rhos):
        a = rho / cols
        cap[:, j] = np.log2(1 + a * energy).sum(axis=1)
        wf[:, j] = water_filling(energy, rho)
        e = np.real(np.diagonal(np.linalg.inv(np.eye(cols) + a * G), axis1=1, axis2=2))
        rmmse[:, j] = np.log2(1 / e).sum(axis=1)
        mmse[:, j] = e.mean(axis=1)
        rzf[:, j] = np.where(zf, np.log2(1 + a / np.real(np.diagonal(Gi, axis1=1, axis2=2))).sum(axis=1), np.nan)
    m.update(capacity=cap, capacity_wf=wf, rate_zf=rzf, rate_mmse=rmmse, mse_mmse=mmse)

    m["zf_solve_error"] = np.full(N, np.nan)
    m["zf_solve_gap"] = np.full(N, np.nan)
    if zf_vectors > 0 and rows >= cols and zf.any():
        # y = Hx + n for K QPSK vectors per SNR, detected by the SVD at hand and by the solve,
        # on the full-rank matrices only (the others have no zero-forcing solution).
        Hz, Uz, sz, Vz, Gz, nz = H[zf], U[zf], s[zf], Vh[zf], G[zf], norm[zf]
        x = qpsk(rng, (len(Hz), cols, len(rhos) * zf_vectors))
        scale = np.repeat(1 / np.sqrt(rhos), zf_vectors)
        noise = (rng.standard_normal((len(Hz), rows, x.shape[2])) + 1j * rng.standard_normal((len(Hz), rows, x.shape[2])))
        y = Hz @ x + noise * scale / math.sqrt(2)
        x_svd = adjoint(Vz) @ ((adjoint(Uz) @ y) / sz[:, :, None])
        err = np.abs(x_svd - x) ** 2
        zmse[zf] = err.reshape(len(Hz), cols, len(rhos), zf_vectors).mean(axis=(1, 3))
        if rows == cols:
            x_solve = np.linalg.solve(Hz, y)
            residual = np.linalg.norm(Hz @ x_solve - y, axis=1)
            bound = nz[:, None] * np.linalg.norm(x_solve, axis=1) + np.linalg.norm(y, axis=1)
        else:
            Hy = adjoint(Hz) @ y
            x_solve = np.linalg.solve(Gz, Hy)
            residual = np.linalg.norm(adjoint(Hz) @ (Hz @ x_solve - y), axis=1)
            bound = nz[:, None] * (nz[:, None] * np.linalg.norm(x_solve, axis=1) + np.linalg.norm(y, axis=1))
        gap = np.linalg.norm(x_solve - x_svd, axis=1) / np.linalg.norm(x_svd, axis=1)
        m["zf_solve_error"][zf] = (residual / bound).max(axis=1)
        m["zf_solve_gap"][zf] = gap.max(axis=1)
    m["zf_mse"] = zmse
    return m


# ---------------------------------------------------------------- checking a run

# Metrics compared value by value (relative tolerance in double precision), those compared as
# round-off (both tiny), and those drawn from random vectors (both defined on the same rows).
EXACT = ["rank", "singular_values", "cond_db", "effective_rank", "lowrank_error", "capacity", "capacity_wf",
         "rate_zf", "rate_mmse", "mse_mmse"]
ROUND_OFF = ["recon_error", "orth_error", "eig_gap", "zf_solve_error"]
DRAWN = ["zf_mse", "zf_solve_gap"]


def as_array(column, width):
    """A Parquet column of lists (or scalars), nulls as NaN, as an (N, width) float array."""
    out = np.full((len(column), width), np.nan)
    for i, v in enumerate(column):
        if v is None or (np.isscalar(v) and (v is None or (isinstance(v, float) and math.isnan(v)))):
            continue
        out[i, :] = np.asarray(v, dtype=float).reshape(-1)[:width] if not np.isscalar(v) else v
    return out


def check(channels_dir, metrics_dir):
    import pandas as pd

    channels = pd.read_parquet(channels_dir)
    metrics = pd.read_parquet(metrics_dir)
    keys = ["link", "slot", "subcarrier"]
    rows_ok = metrics[metrics.status == "ok"].merge(channels[keys + ["re", "im"]], on=keys, validate="one_to_one")
    failures = []
    worst = {}
    for (rows, cols), part in rows_ok.groupby(["rows", "cols"]):
        H = (np.stack(part.re.to_numpy()).astype(float) + 1j * np.stack(part.im.to_numpy()).astype(float))
        H = H.reshape(-1, rows, cols)
        single = np.stack(part.re.to_numpy()).dtype == np.float32
        snr_db = np.asarray(part.snr_db.iloc[0], dtype=float)
        ours = analyze(H, np.random.default_rng(0), snr_db, eps=np.finfo(np.float32 if single else np.float64).eps)
        tol = 1e-4 if single else 1e-9
        for name in EXACT + ROUND_OFF + DRAWN:
            if name not in part.columns:
                continue
            want = ours[name].reshape(len(part), -1).astype(float)
            got = as_array(part[name].to_numpy(), want.shape[1])
            if name in ROUND_OFF:
                bad = np.sum(~((got < 1e-12 / (1e-7 if single else 1)) & np.isfinite(got))[np.isfinite(want)])
                diff = np.nanmax(got) if np.isfinite(got).any() else 0.0
            elif name in DRAWN:
                defined = np.isfinite(want).all(axis=1) == np.isfinite(got).all(axis=1)
                scale_ok = np.ones(len(part), bool)
                finite = np.isfinite(want).all(axis=1) & np.isfinite(got).all(axis=1)
                if name == "zf_mse" and finite.any():
                    # Means of 4 draws each: the same order of magnitude on average.
                    ratio = np.nanmean(got[finite]) / np.nanmean(want[finite])
                    scale_ok[:] = 0.5 < ratio < 2
                bad = np.sum(~defined) + np.sum(~scale_ok[:1])
                diff = float(np.nanmax(got)) if np.isfinite(got).any() else 0.0
            else:
                same_nan = np.isnan(want) == np.isnan(got)
                same_inf = np.isinf(want) == np.isinf(got)
                both = np.isfinite(want) & np.isfinite(got)
                # Singular values relative to the largest of their matrix, and the low-rank errors
                # (fractions of the norm) absolutely: a zero singular value is only round-off.
                scale = {"singular_values": np.broadcast_to(np.abs(want[:, :1]), want.shape),
                         "lowrank_error": np.ones_like(want)}.get(name, np.abs(want))
                rel = np.abs(want[both] - got[both]) / np.maximum(scale[both], 1e-300)
                if name == "rank":
                    rel = np.abs(want[both] - got[both])
                bad = np.sum(~same_nan) + np.sum(~same_inf) + np.sum(rel > (0 if name == "rank" else tol))
                diff = float(rel.max()) if rel.size else 0.0
            worst[name] = max(worst.get(name, 0.0), diff)
            if bad:
                failures.append(f"{name} ({rows}x{cols}): {bad} values differ, largest {diff:.3g}")
    for name, diff in worst.items():
        print(f"CHECK|{name}|{diff:.3g}")
    print(f"CHECK|matrices|{len(rows_ok)}")
    for f in failures:
        print("CHECK FAILED|" + f)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    sys.exit("usage: numpy_analysis.py --check CHANNELS_DIR METRICS_DIR (or import it)")
