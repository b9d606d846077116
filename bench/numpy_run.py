#!/usr/bin/env python3
"""What a NumPy user writes instead of `bin/mimobatch run` on its default scenario, for the
whole-run comparison of `bin/mimobatch bench` (bench.whole-run) and docs/benchmarks.md.

One process: draws the default grid (1 link, --slots slots, 1024 subcarriers, 8x8 complex128
channels of 3GPP TDL-A, 100 ns delay spread, 30 kHz spacing), computes every metric of
mimobatch's analysis with numpy_analysis.analyze, summarises them per SNR as mimobatch's summary
does (counts, means, standard error, quantiles, maxima) and writes the metrics and the summary as
Parquet with pyarrow — not the channels, as `bin/mimobatch run` does not by default (--channels
writes them too).

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 bench/numpy_run.py [--out DIR] [--slots N] [--channels]

Prints one line per step and one for the whole:  E2E|numpy|<step>|<seconds>
"""
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_analysis import SNR_DB, analyze  # noqa: E402

# TR 38.901 Table 7.7.2-1, TDL-A: delays in multiples of the RMS delay spread, powers in dB.
TDL_A_DELAY = np.array([0.0000, 0.3819, 0.4025, 0.5868, 0.4610, 0.5375, 0.6708, 0.5750, 0.7618, 1.5375,
                        1.8978, 2.2242, 2.1718, 2.4942, 2.5119, 3.0582, 4.0810, 4.4579, 4.5695, 4.7966,
                        5.0066, 5.3043, 9.6586])
TDL_A_POWER_DB = np.array([-13.4, 0.0, -2.2, -4.0, -6.0, -8.2, -9.9, -10.5, -7.5, -15.9, -6.6, -16.7,
                           -12.4, -15.2, -10.8, -11.3, -12.7, -16.2, -18.3, -18.9, -16.6, -19.9, -29.7])
QUANTILES = [0.01, 0.1, 0.5]


def arg(name, default):
    return type(default)(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def generate(rng, slots, subcarriers, n, delay_spread=100e-9, spacing=30e3):
    """H_k = sum_l G_l exp(-2j pi k df tau_l) with taps G_l of i.i.d. CN(0, P_l) entries."""
    tau = TDL_A_DELAY * delay_spread
    p = 10 ** (TDL_A_POWER_DB / 10)
    p /= p.sum()
    taps = rng.standard_normal((slots, len(p), n, n)) + 1j * rng.standard_normal((slots, len(p), n, n))
    taps *= np.sqrt(p / 2)[None, :, None, None]
    phase = np.exp(-2j * np.pi * np.outer(tau, np.arange(subcarriers) * spacing))
    return np.einsum("slij,lk->skij", taps, phase).reshape(slots * subcarriers, n, n)


def column(a):
    """A pyarrow column: scalars as they are, 2-D arrays as fixed-size lists."""
    a = np.asarray(a)
    if a.ndim == 1:
        return pa.array(a)
    return pa.FixedSizeListArray.from_arrays(pa.array(a.reshape(-1)), a.shape[1])


def summarize(m, n):
    """One row per SNR: counts, then per metric what mimobatch's summary reports of it."""
    ok = np.isfinite(m["singular_values"]).all(axis=1)
    deficient = ok & (m["rank"] < m["singular_values"].shape[1])
    rows = []
    for j, snr in enumerate(SNR_DB):
        row = {"rows": 8, "cols": 8, "snr_db": snr, "matrices": n, "failed": int(n - ok.sum()),
               "rank_deficient": int(deficient.sum()), "rank_mean": m["rank"][ok].mean()}
        for name in ("singular_values", "lowrank_error"):
            row[name + "_mean"] = m[name][ok].mean(axis=0).tolist()
        row["singular_values_std"] = m["singular_values"][ok].std(axis=0, ddof=1).tolist()
        for name in ("recon_error", "orth_error", "eig_gap", "zf_solve_error", "zf_solve_gap"):
            row[name + "_max"] = np.nanmax(m[name][ok])
        row["recon_error_mean"] = m["recon_error"][ok].mean()
        row["zf_solve_error_mean"] = np.nanmean(m["zf_solve_error"][ok])
        row["cond_db_p50"] = np.median(m["cond_db"][ok])
        row["effective_rank_mean"] = m["effective_rank"][ok].mean()
        cap = m["capacity"][ok, j]
        row["capacity_mean"] = cap.mean()
        row["capacity_stderr"] = cap.std(ddof=1) / np.sqrt(len(cap))
        for q, v in zip(QUANTILES, np.quantile(cap, QUANTILES)):
            row[f"capacity_p{int(round(q * 100)):02d}"] = v
        for name in ("capacity_wf", "rate_zf", "rate_mmse", "mse_mmse", "zf_mse"):
            row[name + "_mean"] = np.nanmean(m[name][ok, j])
        rows.append(row)
    return rows


def main():
    out = arg("--out", "out-numpy")
    slots, subcarriers, n = arg("--slots", 100), 1024, 8
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(1)
    t = {}
    t0 = time.perf_counter()
    H = generate(rng, slots, subcarriers, n)
    t["generate"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    m = analyze(H, rng)
    t["analyze"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    summary = summarize(m, len(H))
    t["summarize"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    keys = {"link": np.zeros(len(H), np.int32), "slot": np.repeat(np.arange(slots, dtype=np.int32), subcarriers),
            "subcarrier": np.tile(np.arange(subcarriers, dtype=np.int32), slots)}
    pq.write_table(pa.table({**{k: pa.array(v) for k, v in keys.items()},
                             **{name: column(v) for name, v in m.items()}}), f"{out}/metrics.parquet")
    pq.write_table(pa.Table.from_pylist(summary), f"{out}/summary.parquet")
    if "--channels" in sys.argv:
        flat = H.reshape(len(H), -1)
        pq.write_table(pa.table({**{k: pa.array(v) for k, v in keys.items()},
                                 "re": column(flat.real), "im": column(flat.imag)}), f"{out}/channels.parquet")
    t["write"] = time.perf_counter() - t3
    t["total"] = time.perf_counter() - t0
    for k in ("generate", "analyze", "summarize", "write", "total"):
        print(f"E2E|numpy|{k}|{t[k]:.3f}")
    print(f"E2E|numpy|matrices|{len(H)}|format=parquet")


if __name__ == "__main__":
    main()
