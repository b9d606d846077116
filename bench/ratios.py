#!/usr/bin/env python3
"""Side-by-side table of mimobatch's BENCH lines and NumPy's BASELINE lines, as Markdown.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 ../shared/bench/numpy_baseline.py > numpy.txt
    bin/mimobatch bench > mimobatch.txt
    python3 bench/ratios.py numpy.txt mimobatch.txt

Any number of files may be given, in any order: BASELINE lines are NumPy's, BENCH lines
mimobatch's, and where several runs measured the same op and size the fastest counts on each side.
On a shared or virtual machine, runs of the two alternated (NumPy, mimobatch, NumPy, mimobatch)
and read this way set each side's uncontended speed against the other's.
"""
import sys


def read(paths, tag):
    rows = {}
    for path in paths:
        for line in open(path):
            parts = line.strip().split("|")
            if len(parts) >= 5 and parts[0] == tag:
                key = (parts[1], parts[2])
                row = (parts[3].split("=")[1], float(parts[4]), parts[5] if len(parts) > 5 else "")
                if key not in rows or row[1] > rows[key][1]:
                    rows[key] = row
    return rows


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: ratios.py FILE... (NumPy's BASELINE and mimobatch's BENCH output, one or more runs each)")
    numpy = read(sys.argv[1:], "BASELINE")
    ours = read(sys.argv[1:], "BENCH")
    print("| op | n | N | mimobatch, matrices/s | NumPy, matrices/s | ratio | mimobatch kernel |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for (op, n), (batch, rate, kernel) in ours.items():
        base = numpy.get((op, n))
        ratio = f"{rate / base[1]:.2f}×" if base else "–"
        base_text = f"{base[1]:,.0f}" if base else "–"
        print(f"| {op} | {n.split('=')[1]} | {int(batch):,} | {rate:,.0f} | {base_text} | {ratio} | {kernel} |")


if __name__ == "__main__":
    main()
