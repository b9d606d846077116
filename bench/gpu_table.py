"""Sets the cuda backend's BENCH lines beside torch.linalg's (same op, precision, n and batch) and
prints a Markdown table with the ratio torch time / mimobatch time (above 1: mimobatch is faster)."""
import sys


def read(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        parts = line.strip().split("|")
        if len(parts) == 7 and parts[0] == "BENCH":
            _, who, op, prec, n, batch, seconds = parts
            rows.setdefault((op, prec, n, batch), {})[who] = float(seconds)
    return rows


def main(path):
    print("| op | precision | n | batch | mimobatch cuda, ms | torch.linalg, ms | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (op, prec, n, batch), t in sorted(read(path).items()):
        ours, theirs = t.get("cuda"), t.get("torch")
        ratio = f"{theirs / ours:.2f}×" if ours and theirs else "–"
        fmt = lambda s: f"{1e3 * s:.2f}" if s is not None else "–"
        print(f"| {op} | {prec} | {n[2:]} | {batch[2:]} | {fmt(ours)} | {fmt(theirs)} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1])
