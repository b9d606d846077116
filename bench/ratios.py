#!/usr/bin/env python3
"""Side-by-side table of mimobatch's BENCH lines and NumPy's BASELINE lines, as Markdown.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 ../shared/bench/numpy_baseline.py > numpy.txt
    bin/mimobatch bench > mimobatch.txt
    python3 bench/ratios.py numpy.txt mimobatch.txt
"""
import sys


def read(path, tag):
    rows = {}
    for line in open(path):
        parts = line.strip().split("|")
        if len(parts) >= 5 and parts[0] == tag:
            rows[(parts[1], parts[2])] = (parts[3].split("=")[1], float(parts[4]), parts[5] if len(parts) > 5 else "")
    return rows


def main():
    numpy = read(sys.argv[1], "BASELINE")
    ours = read(sys.argv[2], "BENCH")
    print("| op | n | N | mimobatch, matrices/s | NumPy, matrices/s | ratio | mimobatch kernel |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for (op, n), (batch, rate, kernel) in ours.items():
        base = numpy.get((op, n))
        ratio = f"{rate / base[1]:.2f}×" if base else "–"
        base_text = f"{base[1]:,.0f}" if base else "–"
        print(f"| {op} | {n.split('=')[1]} | {int(batch):,} | {rate:,.0f} | {base_text} | {ratio} | {kernel} |")


if __name__ == "__main__":
    main()
