package org.mimobatch.pipeline.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.LinalgBackend.Op;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * The GPU check that {@code bench/gpu-check} runs on a machine with a GPU but no build tools:
 * first the cuda backend against the cpu backend on the same batches (singular values, eigenvalues
 * within 1e-10 relative in complex128 and 1e-4 in complex64; reconstruction ‖A − UΣVᴴ‖ and solve
 * residuals within n·ε-scaled bounds), then timings of batched svd, eigh and solve on the GPU in
 * lines that the script sets beside torch.linalg's:
 * <pre>CHECK|&lt;what&gt;|&lt;precision&gt;|n=&lt;n&gt;|PASS or FAIL|&lt;worst relative error&gt;
 * BENCH|cuda|&lt;op&gt;|&lt;precision&gt;|n=&lt;n&gt;|N=&lt;batch&gt;|&lt;seconds per batch&gt;</pre>
 * Exits 1 when a check fails, 2 when the cuda backend cannot run here.
 */
public final class GpuCheck {
  private static final int[] CHECK_SIZES = {2, 4, 8, 16, 32, 48};
  private static final int CHECK_BATCH = 512;
  private static final int[] BENCH_SIZES = {8, 16, 32};
  private static final int BENCH_BATCH = 100_000;

  private final PrintStream out;
  private boolean failed;

  private GpuCheck(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    try {
      Backends.requireAvailable("cuda");
    } catch (RuntimeException e) {
      System.err.println("gpu-check: " + e.getMessage());
      System.exit(2);
    }
    GpuCheck check = new GpuCheck(System.out);
    try (LinalgBackend cpu = Backends.open("cpu"); LinalgBackend cuda = Backends.open("cuda")) {
      for (Precision p : Precision.values()) {
        for (int n : CHECK_SIZES) {
          check.agreement(cpu, cuda, p, n);
        }
      }
      if (args.length == 0 || !args[0].equals("--no-bench")) {
        for (Precision p : Precision.values()) {
          check.small(cuda, p);
          for (int n : BENCH_SIZES) {
            check.bench(cuda, p, n);
          }
        }
      }
    }
    System.exit(check.failed ? 1 : 0);
  }

  private void agreement(LinalgBackend cpu, LinalgBackend cuda, Precision p, int n) {
    double tol = p == Precision.DOUBLE ? 1e-10 : 1e-4;
    ComplexBatch a = random(p, n, n, CHECK_BATCH, n);
    RealBatch sCpu = RealBatch.allocate(p, n, CHECK_BATCH);
    RealBatch sGpu = RealBatch.allocate(p, n, CHECK_BATCH);
    byte[] stCpu = new byte[CHECK_BATCH];
    byte[] stGpu = new byte[CHECK_BATCH];
    cpu.svdValues(a, sCpu, stCpu);
    cuda.svdValues(a, sGpu, stGpu);
    report("svd_values", p, n, spectrumGap(sCpu, stCpu, sGpu, stGpu), tol);

    ComplexBatch u = ComplexBatch.allocate(p, n, n, CHECK_BATCH);
    ComplexBatch vh = ComplexBatch.allocate(p, n, n, CHECK_BATCH);
    ComplexBatch us = ComplexBatch.allocate(p, n, n, CHECK_BATCH);
    ComplexBatch back = ComplexBatch.allocate(p, n, n, CHECK_BATCH);
    cuda.svd(a, sGpu, u, vh, stGpu);
    for (int k = 0; k < CHECK_BATCH; k++) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          double s = sGpu.get(k, j);
          us.set(k, i, j, u.re(k, i, j) * s, u.im(k, i, j) * s);
        }
      }
    }
    us.setCount(CHECK_BATCH);
    cuda.multiply(us, Op.NONE, vh, Op.NONE, back);
    double recon = 0;
    for (int k = 0; k < CHECK_BATCH; k++) {
      recon = Math.max(recon, difference(a, back, k) / norm(a, k));
    }
    report("svd_reconstruction", p, n, recon, 50 * n * p.epsilon());

    ComplexBatch g = ComplexBatch.allocate(p, n, n, CHECK_BATCH);
    cpu.gram(a, g);
    cpu.eighValues(g, sCpu, stCpu);
    cuda.eighValues(g, sGpu, stGpu);
    report("eigvalsh", p, n, spectrumGap(sCpu, stCpu, sGpu, stGpu), tol);

    ComplexBatch b = random(p, n, 1, CHECK_BATCH, 7 * n);
    ComplexBatch x = ComplexBatch.allocate(p, n, 1, CHECK_BATCH);
    ComplexBatch ax = ComplexBatch.allocate(p, n, 1, CHECK_BATCH);
    cuda.solve(a, b, x, stGpu);
    cpu.multiply(a, Op.NONE, x, Op.NONE, ax);
    double residual = 0;
    for (int k = 0; k < CHECK_BATCH; k++) {
      if (stGpu[k] != MatrixStatus.OK.code()) {
        residual = Double.POSITIVE_INFINITY;
      } else {
        residual = Math.max(residual, difference(ax, b, k) / (norm(a, k) * norm(x, k)));
      }
    }
    report("solve_residual", p, n, residual, 50 * n * p.epsilon());
  }

  /** 1000 complex 8×8 SVDs (values and vectors), the latency target: seconds per batch. */
  private void small(LinalgBackend cuda, Precision p) {
    time(cuda, "svd_full_1000", p, 8, 1000);
  }

  private void bench(LinalgBackend cuda, Precision p, int n) {
    time(cuda, "svd_full", p, n, BENCH_BATCH);
    time(cuda, "svd_values", p, n, BENCH_BATCH);
    time(cuda, "eigh", p, n, BENCH_BATCH);
    time(cuda, "solve", p, n, BENCH_BATCH);
  }

  /** Best of five timed calls after one warm-up, including the transfers to and from the device. */
  private void time(LinalgBackend cuda, String op, Precision p, int n, int batch) {
    ComplexBatch a = random(p, n, n, batch, 42);
    ComplexBatch g = ComplexBatch.allocate(p, n, n, batch);
    if (op.equals("eigh")) {
      cuda.gram(a, g);
    }
    RealBatch s = RealBatch.allocate(p, n, batch);
    ComplexBatch u = ComplexBatch.allocate(p, n, n, batch);
    ComplexBatch vh = ComplexBatch.allocate(p, n, n, batch);
    ComplexBatch b = random(p, n, 1, batch, 43);
    ComplexBatch x = ComplexBatch.allocate(p, n, 1, batch);
    byte[] status = new byte[batch];
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 6; r++) {
      long t0 = System.nanoTime();
      switch (op) {
        case "svd_full", "svd_full_1000" -> cuda.svd(a, s, u, vh, status);
        case "svd_values" -> cuda.svdValues(a, s, status);
        case "eigh" -> cuda.eigh(g, s, u, status);
        case "solve" -> cuda.solve(a, b, x, status);
        default -> throw new IllegalArgumentException(op);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (r > 0) {
        best = Math.min(best, seconds);
      }
    }
    out.println(String.format(Locale.ROOT, "BENCH|cuda|%s|%s|n=%d|N=%d|%.6f", op, name(p), n, batch, best));
  }

  private void report(String what, Precision p, int n, double error, double tolerance) {
    boolean pass = error <= tolerance;
    failed |= !pass;
    out.println(String.format(Locale.ROOT, "CHECK|%s|%s|n=%d|%s|%.3e (limit %.1e)", what, name(p), n,
        pass ? "PASS" : "FAIL", error, tolerance));
  }

  /** The largest |cpu − cuda| over a matrix's values, relative to its largest value; ∞ on a status mismatch. */
  private static double spectrumGap(RealBatch cpu, byte[] stCpu, RealBatch gpu, byte[] stGpu) {
    double worst = 0;
    for (int k = 0; k < cpu.count(); k++) {
      if (stCpu[k] != stGpu[k] || stGpu[k] != MatrixStatus.OK.code()) {
        return Double.POSITIVE_INFINITY;
      }
      double scale = 0;
      double gap = 0;
      for (int i = 0; i < cpu.length(); i++) {
        scale = Math.max(scale, Math.abs(cpu.get(k, i)));
        gap = Math.max(gap, Math.abs(cpu.get(k, i) - gpu.get(k, i)));
      }
      worst = Math.max(worst, gap / scale);
    }
    return worst;
  }

  private static double difference(ComplexBatch a, ComplexBatch b, int k) {
    double sum = 0;
    for (int x = 0; x < a.matrixStride(); x++) {
      double d = a.get(a.offset(k) + x) - b.get(b.offset(k) + x);
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  private static double norm(ComplexBatch a, int k) {
    double sum = 0;
    for (int x = 0; x < a.matrixStride(); x++) {
      double v = a.get(a.offset(k) + x);
      sum += v * v;
    }
    return Math.sqrt(sum);
  }

  private static ComplexBatch random(Precision p, int rows, int cols, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    ComplexBatch a = ComplexBatch.allocate(p, rows, cols, count);
    for (int x = 0; x < count * a.matrixStride(); x++) {
      a.put(x, rng.nextGaussian() * Math.sqrt(0.5));
    }
    a.setCount(count);
    return a;
  }

  private static String name(Precision p) {
    return p == Precision.DOUBLE ? "complex128" : "complex64";
  }
}
