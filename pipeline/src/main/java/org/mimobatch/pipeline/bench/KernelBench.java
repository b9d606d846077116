package org.mimobatch.pipeline.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.ChunkAnalyzer;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.LinalgBackend.Operation;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * Kernel throughput on the calling thread, in the units and op names of the NumPy baseline
 * ({@code bench/numpy_kernels.py}), so the two tables line up. One line per measurement:
 * <pre>BENCH|&lt;op&gt;|n=&lt;n&gt;|N=&lt;batch&gt;|&lt;matrices per second&gt;|&lt;kernel&gt;</pre>
 * Inputs are i.i.d. CN(0, 1) square matrices (complex128 unless the op ends in _c64), processed in
 * chunks as the analyze job does; the rate is the best of {@code repeats} passes after one warm-up.
 *
 * <p>Run without Spark: {@code java -cp ... org.mimobatch.pipeline.bench.KernelBench [backend] [--quick]}.
 */
public final class KernelBench {
  /** The sizes and batch sizes of the baseline. */
  public static final int[] SIZES = {2, 4, 8, 16, 32, 64};
  public static final int[] BATCHES = {200_000, 100_000, 102_400, 20_000, 5_000, 2_000};
  private static final double[] SNR_DB = {0, 10, 20};
  private static final int ZF_VECTORS = 4;

  private final String backendName;
  private final int chunk;
  private final int repeats;
  private final PrintStream out;

  public KernelBench(String backendName, int chunk, int repeats, PrintStream out) {
    this.backendName = backendName;
    this.chunk = chunk;
    this.repeats = repeats;
    this.out = out;
  }

  public static void main(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    if (args.length > 0 && args[0].equals("routes")) {
      // Chunks of 256, analysis.chunk-size's default: the routes are chosen for the chunks analyze makes.
      new KernelBench("cpu", 256, 3, System.out).compareRoutes(quick ? 10 : 1);
      return;
    }
    String backend = args.length > 0 && !args[0].startsWith("--") ? args[0] : "cpu";
    KernelBench bench = new KernelBench(backend, 1024, 3, System.out);
    bench.run(quick ? 20 : 1);
    bench.runRefinements(quick ? 64 : 256);
  }

  /** The refinement benchmark ({@link RefineBench}) on {@code batch} matrices per size. */
  public List<String> runRefinements(int batch) {
    try (LinalgBackend backend = Backends.open(backendName)) {
      return new RefineBench(backend, repeats, out).run(batch);
    }
  }

  /** The refinements' converged fractions at their defaults ({@link RefineBench#converged}). */
  public List<String> refinementsConverged(int batch) {
    try (LinalgBackend backend = Backends.open(backendName)) {
      return new RefineBench(backend, repeats, out).converged(batch);
    }
  }

  /** Runs every op at every size with the baseline's batch sizes divided by {@code shrink}. */
  public List<String> run(int shrink) {
    List<String> lines = new ArrayList<>();
    try (LinalgBackend backend = Backends.open(backendName)) {
      for (int s = 0; s < SIZES.length; s++) {
        int n = SIZES[s];
        int batch = Math.max(200, BATCHES[s] / shrink);
        for (String op : new String[] {"svd_values", "svd_full", "svd_values_c64", "eigvalsh", "eigh", "solve", "analyze"}) {
          double rate = measure(backend, op, n, batch);
          String line = String.format(Locale.ROOT, "BENCH|%s|n=%d|N=%d|%.0f|%s", op, n, batch, rate, kernel(backend, op, n));
          out.println(line);
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /** Orders at which the cpu backend's two routes are compared. */
  public static final int[] ROUTE_SIZES = {2, 3, 4, 6, 8, 10, 12, 16, 24, 32, 48, 64};

  /**
   * The cpu backend's Java kernels against its LAPACKE route, op by op and order by order, one line
   * each — {@code ROUTE|<op>|n=<n>|<java matrices/s>|<lapacke matrices/s>|<java / lapacke>} — the
   * measurements behind {@link org.mimobatch.pipeline.backend.cpu.KernelChoice#MEASURED}.
   */
  public void compareRoutes(int shrink) {
    try (LinalgBackend java = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend reductions = CpuBackend.withKernels(KernelChoice.JAVA_REDUCTIONS);
        LinalgBackend lapacke = CpuBackend.withKernels(KernelChoice.LAPACKE)) {
      for (int n : ROUTE_SIZES) {
        int batch = Math.max(200, (int) Math.min(100_000, 4_000_000L / ((long) n * n * n)) / shrink);
        for (String op : new String[] {"svd_values", "svd_full", "svd_values_c64", "eigvalsh", "eigh", "solve",
            "gram", "product"}) {
          route(op, op, n, batch, java, lapacke);
        }
        // Above the Jacobi's orders, singular values go through the bidiagonal reduction.
        if (n >= 12) {
          route("svd_values", "svd_values_bidiagonal", n, batch, reductions, lapacke);
          route("svd_values_c64", "svd_values_c64_bidiagonal", n, batch, reductions, lapacke);
        }
      }
    }
  }

  private void route(String op, String label, int n, int batch, LinalgBackend java, LinalgBackend lapacke) {
    double j = measure(java, op, n, batch);
    double l = measure(lapacke, op, n, batch);
    out.println(String.format(Locale.ROOT, "ROUTE|%s|n=%d|%.0f|%.0f|%.2f", label, n, j, l, j / l));
  }

  private static String kernel(LinalgBackend b, String op, int n) {
    return switch (op) {
      case "svd_values" -> b.kernel(Operation.SVD_VALUES, Precision.DOUBLE, n, n);
      case "svd_full" -> b.kernel(Operation.SVD, Precision.DOUBLE, n, n);
      case "svd_values_c64" -> b.kernel(Operation.SVD_VALUES, Precision.SINGLE, n, n);
      case "eigvalsh" -> b.kernel(Operation.EIGH_VALUES, Precision.DOUBLE, n, n);
      case "eigh" -> b.kernel(Operation.EIGH, Precision.DOUBLE, n, n);
      case "solve" -> b.kernel(Operation.SOLVE, Precision.DOUBLE, n, n);
      default -> "analyzer: " + b.kernel(Operation.SVD, Precision.DOUBLE, n, n) + ", "
          + b.kernel(Operation.EIGH_VALUES, Precision.DOUBLE, n, n) + ", " + b.kernel(Operation.MULTIPLY, Precision.DOUBLE, n, n);
    };
  }

  /**
   * The analysis of {@code spec} on rows×cols matrices of {@code precision}, on {@code threads}
   * threads at once, each with its own backend and its own {@code batch} matrices: the kernel-only
   * rate a pipeline's is set against. {@link AnalyzeLoad#rate()} times one pass of all threads.
   * Close it to release the backends.
   */
  public AnalyzeLoad analyzeLoad(AnalysisSpec spec, Precision precision, int rows, int cols, int batch, int threads) {
    return new AnalyzeLoad(spec, precision, rows, cols, batch, threads);
  }

  /** See {@link #analyzeLoad}. */
  public final class AnalyzeLoad implements AutoCloseable {
    private final int batch;
    private final LinalgBackend[] backends;
    private final Runnable[] passes;

    private AnalyzeLoad(AnalysisSpec spec, Precision precision, int rows, int cols, int batch, int threads) {
      this.batch = batch;
      this.backends = new LinalgBackend[threads];
      this.passes = new Runnable[threads];
      try {
        for (int t = 0; t < threads; t++) {
          backends[t] = Backends.open(backendName);
          passes[t] = analyzePass(backends[t], spec, precision, rows, cols,
              inputs(precision, rows, cols, batch, 7 + t));
        }
        rate(); // warm-up
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    /** Matrices per second of all threads together over one pass, each thread doing the whole batch. */
    public double rate() {
      Thread[] workers = new Thread[passes.length];
      Throwable[] failures = new Throwable[passes.length];
      long t0 = System.nanoTime();
      for (int t = 0; t < workers.length; t++) {
        int worker = t;
        workers[t] = new Thread(() -> {
          try {
            passes[worker].run();
          } catch (RuntimeException | Error e) {
            failures[worker] = e;
          }
        }, "analyze-load-" + t);
        workers[t].start();
      }
      // Every worker is waited for, even when interrupted: the caller may close the backends next.
      boolean interrupted = false;
      for (Thread w : workers) {
        while (w.isAlive()) {
          try {
            w.join();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      long elapsed = System.nanoTime() - t0;
      if (interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while timing the analyze load");
      }
      for (Throwable f : failures) {
        if (f != null) {
          throw new IllegalStateException("a thread of the analyze load failed: " + f, f);
        }
      }
      return (double) batch * passes.length / (elapsed / 1e9);
    }

    @Override
    public void close() {
      for (LinalgBackend b : backends) {
        if (b != null) {
          b.close();
        }
      }
    }
  }

  private double measure(LinalgBackend backend, String op, int n, int batch) {
    Precision p = op.endsWith("_c64") ? Precision.SINGLE : Precision.DOUBLE;
    Runnable pass = pass(backend, op, p, n, inputs(p, n, n, batch, 7));
    pass.run(); // warm-up: JIT, native loading, workspace queries
    long best = Long.MAX_VALUE;
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      pass.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return batch / (best / 1e9);
  }

  /** {@code batch} i.i.d. CN(0, 1) rows×cols matrices drawn from {@code seed}, in chunks. */
  private ComplexBatch[] inputs(Precision p, int rows, int cols, int batch, long seed) {
    int chunks = (batch + chunk - 1) / chunk;
    ComplexBatch[] inputs = new ComplexBatch[chunks];
    SplitMix rng = new SplitMix(seed);
    double[] draws = new double[2 * rows * cols];
    for (int c = 0; c < chunks; c++) {
      int count = Math.min(chunk, batch - c * chunk);
      inputs[c] = ComplexBatch.allocate(p, rows, cols, count);
      for (int k = 0; k < count; k++) {
        rng.complexNormal(draws, 0, rows * cols, 1.0);
        for (int x = 0; x < draws.length; x++) {
          inputs[c].put(inputs[c].offset(k) + x, draws[x]);
        }
      }
    }
    return inputs;
  }

  /** One pass over every chunk; outputs and work arrays are allocated once, outside the timing. */
  private Runnable pass(LinalgBackend backend, String op, Precision p, int n, ComplexBatch[] inputs) {
    RealBatch values = RealBatch.allocate(p, n, chunk);
    ComplexBatch u = ComplexBatch.allocate(p, n, n, chunk);
    ComplexBatch vh = ComplexBatch.allocate(p, n, n, chunk);
    byte[] status = new byte[chunk];
    switch (op) {
      case "svd_values", "svd_values_c64":
        return () -> {
          for (ComplexBatch a : inputs) {
            backend.svdValues(a, values, status);
          }
        };
      case "svd_full":
        return () -> {
          for (ComplexBatch a : inputs) {
            backend.svd(a, values, u, vh, status);
          }
        };
      case "eigvalsh", "eigh": {
        // As the baseline: the eigenproblem of HᴴH, whose product is formed outside the timing.
        ComplexBatch[] grams = new ComplexBatch[inputs.length];
        for (int c = 0; c < inputs.length; c++) {
          grams[c] = ComplexBatch.allocate(p, n, n, inputs[c].count());
          backend.gram(inputs[c], grams[c]);
        }
        boolean vectors = op.equals("eigh");
        return () -> {
          for (ComplexBatch g : grams) {
            if (vectors) {
              backend.eigh(g, values, u, status);
            } else {
              backend.eighValues(g, values, status);
            }
          }
        };
      }
      case "gram":
        return () -> {
          for (ComplexBatch a : inputs) {
            backend.gram(a, u);
          }
        };
      case "product":
        return () -> {
          for (ComplexBatch a : inputs) {
            backend.multiply(a, LinalgBackend.Op.CONJUGATE_TRANSPOSE, a, LinalgBackend.Op.NONE, u);
          }
        };
      case "solve": {
        ComplexBatch rhs = ComplexBatch.allocate(p, n, 1, chunk);
        ComplexBatch x = ComplexBatch.allocate(p, n, 1, chunk);
        SplitMix rng = new SplitMix(11);
        double[] draws = new double[2 * n * chunk];
        rng.complexNormal(draws, 0, n * chunk, 1.0);
        for (int e = 0; e < draws.length; e++) {
          rhs.put(e, draws[e]);
        }
        return () -> {
          for (ComplexBatch a : inputs) {
            rhs.setCount(a.count());
            backend.solve(a, rhs, x, status);
          }
        };
      }
      case "analyze":
        return analyzePass(backend, new AnalysisSpec(SNR_DB, ZF_VECTORS, 1), p, n, n, inputs);
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /** The analyze job's per-chunk work over {@code inputs}, their matrices copied in as the job's rows are. */
  private Runnable analyzePass(LinalgBackend backend, AnalysisSpec spec, Precision p, int rows, int cols,
      ComplexBatch[] inputs) {
    ChunkAnalyzer analyzer = new ChunkAnalyzer(backend, spec, p, rows, cols, chunk);
    return () -> {
      for (ComplexBatch a : inputs) {
        int count = a.count();
        for (int k = 0; k < count; k++) {
          a.copyMatrix(k, analyzer.channels(), k);
          analyzer.keys()[k] = k;
        }
        analyzer.analyze(count);
      }
    };
  }
}
