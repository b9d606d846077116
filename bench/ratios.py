#!/usr/bin/env python3
"""Side-by-side table of mimobatch's BENCH lines and NumPy's BASELINE lines, as Markdown.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 bench/numpy_kernels.py > numpy.txt
    bin/mimobatch bench > mimobatch.txt
    python3 bench/ratios.py numpy.txt mimobatch.txt

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
    if len(sys.argv) < 3:
        sys.exit("usage: ratios.py FILE... (NumPy's BASELINE and mimobatch's BENCH output, one or more runs each)")
    numpy = read(sys.argv[1:], "BASELINE")
    ours = read(sys.argv[1:], "BENCH")
    print("| op | n | N | mimobatch, matrices/s | NumPy, matrices/s | ratio | mimobatch kernel |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for (op, n, batch), (rate, kernel) in ours.items():
        # Readings over batches of one size set against each other: a shrunk (quick) run only
        # against a quick baseline.
        base = numpy.get((op, n, batch))
        ratio = f"{rate / base[0]:.2f}×" if base else "–"
        base_text = f"{base[0]:,.0f}" if base else "–"
        print(f"| {op} | {n.split('=')[1]} | {int(batch):,} | {rate:,.0f} | {base_text} | {ratio} | {kernel} |")


if __name__ == "__main__":
    main()
