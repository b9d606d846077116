#!/usr/bin/env python3
"""The cpu backend's two routes side by side, as Markdown, from KernelBench's ROUTE lines:

    java -cp ... org.mimobatch.pipeline.bench.KernelBench routes > routes.txt
    python3 bench/routes.py routes.txt

One row per order, one column per operation: Java kernels / LAPACKE throughput ratio (above 1:
the Java kernel is faster), with the Java rate in matrices/s."""
import sys


def main(path):
    rows, ops = {}, []
    for line in open(path, encoding="utf-8"):
        parts = line.strip().split("|")
        if len(parts) == 6 and parts[0] == "ROUTE":
            _, op, n, java, lapacke, ratio = parts
            n = int(n.split("=")[1])
            if op not in ops:
                ops.append(op)
            rows.setdefault(n, {})[op] = (float(java), float(lapacke), float(ratio))
    print("| n | " + " | ".join(ops) + " |")
    print("|---:|" + "---:|" * len(ops))
    for n in sorted(rows):
        cells = []
        for op in ops:
            j, l, r = rows[n].get(op, (0, 0, 0))
            cells.append(f"**{r:.2f}×** ({j:,.0f})" if r >= 1 else f"{r:.2f}× ({j:,.0f})")
        print(f"| {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
