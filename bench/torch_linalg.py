"""torch.linalg on the GPU, on the sizes and batches GpuCheck times, in the same line format:
BENCH|torch|<op>|<precision>|n=<n>|N=<batch>|<seconds per batch>, best of five after a warm-up,
including the host-to-device copy of the input and the device-to-host copy of the results (as the
cuda backend's figures do)."""
import time

import torch

SIZES = (8, 16, 32)
BATCH = 100_000
DTYPES = {"complex128": torch.complex128, "complex64": torch.complex64}


def timed(fn, *host_inputs):
    best = float("inf")
    for r in range(6):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        dev = [x.cuda(non_blocking=True) for x in host_inputs]
        result = fn(*dev)
        for t in (result if isinstance(result, tuple) else (result,)):
            t.cpu()
        torch.cuda.synchronize()
        if r > 0:
            best = min(best, time.perf_counter() - t0)
    return best


def line(op, name, n, batch, seconds):
    print(f"BENCH|torch|{op}|{name}|n={n}|N={batch}|{seconds:.6f}", flush=True)


def main():
    g = torch.Generator().manual_seed(42)
    for name, dtype in DTYPES.items():
        a = torch.randn(1000, 8, 8, dtype=dtype, generator=g).pin_memory()
        line("svd_full_1000", name, 8, 1000, timed(lambda x: torch.linalg.svd(x, full_matrices=False), a))
        for n in SIZES:
            a = torch.randn(BATCH, n, n, dtype=dtype, generator=g).pin_memory()
            b = torch.randn(BATCH, n, 1, dtype=dtype, generator=g).pin_memory()
            h = (a.mH @ a).pin_memory()
            line("svd_full", name, n, BATCH, timed(lambda x: torch.linalg.svd(x, full_matrices=False), a))
            line("svd_values", name, n, BATCH, timed(torch.linalg.svdvals, a))
            line("eigh", name, n, BATCH, timed(torch.linalg.eigh, h))
            line("solve", name, n, BATCH, timed(torch.linalg.solve, a, b))


if __name__ == "__main__":
    main()
