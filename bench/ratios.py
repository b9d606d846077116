#!/usr/bin/env python3
"""Side-by-side table of mimobatch's BENCH lines, NumPy's BASELINE lines and torch.linalg's TORCH
lines, as Markdown.

    bin/mimobatch bench > bench.txt            # runs both baselines first where they are installed
    python3 bench/ratios.py bench.txt

Any number of files may be given, in any order: BASELINE lines are NumPy's, BENCH lines
mimobatch's, and where several runs measured the same op, size and batch the fastest counts on each
side; readings are matched on all three, so a quick run (bench.shrink, --quick) meets only a quick
baseline.
On a shared or virtual machine, runs of the two alternated (NumPy, mimobatch, NumPy, mimobatch)
and read this way set each side's uncontended speed against the other's.
"""
import sys


def read(paths, tag):
    """{(op, n, N): (rate, kernel)}, the fastest reading of each; other lines (e.g. BENCH|scale) are skipped."""
    rows = {}
    for path in paths:
        for line in open(path):
            parts = line.strip().split("|")
            if len(parts) < 5 or parts[0] != tag or not parts[2].startswith("n=") or not parts[3].startswith("N="):
                continue
            key = (parts[1], parts[2], parts[3].split("=")[1])
            row = (float(parts[4]), parts[5] if len(parts) > 5 else "")
            if key not in rows or row[0] > rows[key][0]:
                rows[key] = row
    return rows


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: ratios.py FILE... (mimobatch's BENCH, NumPy's BASELINE and torch's TORCH lines, one or more runs each)")
    numpy = read(sys.argv[1:], "BASELINE")
    torch = read(sys.argv[1:], "TORCH")
    ours = read(sys.argv[1:], "BENCH")
    print("| op | n | N | mimobatch, matrices/s | NumPy, matrices/s | ratio | torch, matrices/s | ratio | mimobatch kernel |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for (op, n, batch), (rate, kernel) in ours.items():
        # Readings over batches of one size set against each other: a shrunk (quick) run only
        # against a quick baseline.
        cells = []
        for side in (numpy, torch):
            base = side.get((op, n, batch))
            cells += [f"{base[0]:,.0f}", f"{rate / base[0]:.2f}×"] if base else ["–", "–"]
        print(f"| {op} | {n.split('=')[1]} | {int(batch):,} | {rate:,.0f} | {' | '.join(cells)} | {kernel} |")


if __name__ == "__main__":
    main()
