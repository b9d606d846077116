package org.mimobatch.pipeline.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.mimobatch.pipeline.refine.GdInverse;
import org.mimobatch.pipeline.refine.HistorySink;
import org.mimobatch.pipeline.refine.RefineInput;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineResult;
import org.mimobatch.pipeline.refine.RefineSpec;
import org.mimobatch.pipeline.refine.RefineStatus;
import org.mimobatch.pipeline.refine.Refiner;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * Every refinement on one thread, on complex128 i.i.d. CN(0, 1) square matrices (Rayleigh channels).
 *
 * <p>{@link #converged}: each method exactly at its defaults, one pass over a large batch at the
 * sizes where README states the converged fractions. One line per (method, n):
 * <pre>BENCH|refine_defaults|&lt;method&gt;|n=&lt;n&gt;|N=&lt;batch&gt;|&lt;converged fraction&gt;|p50 &lt;iterations&gt;, p99 &lt;iterations&gt;, max-iterations &lt;cap&gt;, &lt;matrices/s&gt;</pre>
 *
 * <p>{@link #run}: throughput, each method's defaults capped at {@value #CAP} iterations so that
 * the slow ones finish. One line per (method, n):
 * <pre>BENCH|refine_&lt;method&gt;|n=&lt;n&gt;|N=&lt;batch&gt;|&lt;matrices/s&gt;|&lt;iterations/s&gt; it/s, &lt;mean&gt; it/matrix, &lt;converged&gt; converged, direct &lt;rate&gt;/s (&lt;route&gt;)</pre>
 * The direct rate is the decomposition the method replaces, through the backend: the inverse by LU
 * (?gesv with n right-hand sides) for the inverse routes, the SVD for mixed-precision svd, and the
 * singular values (from which water-filling is exact) for covariance ascent.
 */
public final class RefineBench {
  static final int CAP = 2000;
  static final int[] SIZES = {4, 8, 16};
  /** The sizes at which the defaults' converged fractions are stated. */
  static final int[] CONVERGENCE_SIZES = {4, 8};

  private final LinalgBackend backend;
  private final int repeats;
  private final PrintStream out;

  public RefineBench(LinalgBackend backend, int repeats, PrintStream out) {
    this.backend = backend;
    this.repeats = repeats;
    this.out = out;
  }

  /** Runs every method at every size, {@code batch} matrices each. */
  public List<String> run(int batch) {
    List<String> lines = new ArrayList<>();
    for (int n : SIZES) {
      Inputs inputs = new Inputs(n, batch);
      double inverseRate = inputs.inverseRate();
      double svdRate = inputs.svdRate();
      for (RefineMethod m : RefineMethod.values()) {
        RefineSpec spec = spec(m);
        Refiner refiner = new Refiner(spec, backend, n, n, batch);
        List<RefineResult> result = refiner.run(inputs.in, HistorySink.NONE); // warm-up
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          result = refiner.run(inputs.in, HistorySink.NONE);
          best = Math.min(best, System.nanoTime() - t0);
        }
        RefineResult res = result.get(0);
        long iterations = 0;
        int converged = 0;
        for (int i = 0; i < batch; i++) {
          iterations += res.iterations(i);
          converged += res.status(i) == RefineStatus.CONVERGED ? 1 : 0;
        }
        double seconds = best / 1e9;
        boolean svd = m == RefineMethod.COVARIANCE_ASCENT;
        String line = String.format(Locale.ROOT,
            "BENCH|refine_%s|n=%d|N=%d|%.0f|%.0f it/s, %.1f it/matrix, %d/%d converged, direct %.0f/s (%s)",
            m.configName().replace('-', '_'), n, batch, batch / seconds, iterations / seconds,
            iterations / (double) batch, converged, batch, svd ? svdRate : inverseRate,
            svd ? "singular values" : "LU inverse");
        out.println(line);
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * Runs every method at its defaults once over {@code batch} matrices per size; the fraction that
   * converged, and the median and 99th percentile of the iterations.
   */
  public List<String> converged(int batch) {
    List<String> lines = new ArrayList<>();
    for (int n : CONVERGENCE_SIZES) {
      Inputs inputs = new Inputs(n, batch);
      for (RefineMethod m : RefineMethod.values()) {
        RefineSpec spec = RefineSpec.none().withMethods(m);
        Refiner refiner = new Refiner(spec, backend, n, n, batch);
        long t0 = System.nanoTime();
        RefineResult res = refiner.run(inputs.in, HistorySink.NONE).get(0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] iterations = new int[batch];
        int converged = 0;
        for (int i = 0; i < batch; i++) {
          iterations[i] = res.iterations(i);
          converged += res.status(i) == RefineStatus.CONVERGED ? 1 : 0;
        }
        java.util.Arrays.sort(iterations);
        String line = String.format(Locale.ROOT,
            "BENCH|refine_defaults|%s|n=%d|N=%d|%.4f|p50 %d, p99 %d, max-iterations %d, %.0f matrices/s",
            m.configName(), n, batch, converged / (double) batch, iterations[batch / 2],
            iterations[(int) (0.99 * (batch - 1))], maxIterations(spec, m), batch / seconds);
        out.println(line);
        lines.add(line);
      }
    }
    return lines;
  }

  private static int maxIterations(RefineSpec s, RefineMethod m) {
    return switch (m) {
      case GD_INVERSE -> s.gdInverse().maxIterations();
      case ADAM_MATCH -> s.adamMatch().maxIterations();
      case NEWTON_SCHULZ -> s.newtonSchulz().maxIterations();
      case MIXED_PRECISION -> s.mixedPrecision().maxIterations();
      case COVARIANCE_ASCENT -> s.covarianceAscent().maxIterations();
    };
  }

  private static RefineSpec spec(RefineMethod m) {
    RefineSpec d = RefineSpec.none();
    var g = d.gdInverse();
    GdInverse.Params gd = new GdInverse.Params(g.variant(), g.init(), g.step(), g.lr(), g.momentum(), g.tolerance(),
        Math.min(CAP, g.maxIterations()));
    var adam = d.adamMatch();
    adam = new org.mimobatch.pipeline.refine.AdamMatch.Params(adam.target(), adam.optimizer(), adam.objective(),
        adam.lr(), adam.beta1(), adam.beta2(), adam.epsilon(), adam.tolerance(), CAP, adam.startRank());
    var ascent = d.covarianceAscent();
    ascent = new org.mimobatch.pipeline.refine.CovarianceAscent.Params(ascent.snrDb(), ascent.tolerance(),
        Math.min(CAP, ascent.maxIterations()));
    return new RefineSpec(List.of(m), 0, gd, adam, d.newtonSchulz(), d.mixedPrecision(), ascent);
  }

  /** The matrices, their SVD and inverse through the backend, laid out as the refinements take them. */
  private final class Inputs {
    final RefineInput in = new RefineInput();
    private final ComplexBatch h;
    private final ComplexBatch identity;
    private final ComplexBatch inverse;
    private final RealBatch s;
    private final ComplexBatch u;
    private final ComplexBatch vh;
    private final byte[] status;

    Inputs(int n, int batch) {
      h = ComplexBatch.allocate(Precision.DOUBLE, n, n, batch);
      SplitMix rng = new SplitMix(n);
      rng.complexNormal(h.doubles(), 0, n * n * batch, 1.0);
      s = RealBatch.allocate(Precision.DOUBLE, n, batch);
      u = ComplexBatch.allocate(Precision.DOUBLE, n, n, batch);
      vh = ComplexBatch.allocate(Precision.DOUBLE, n, n, batch);
      identity = ComplexBatch.allocate(Precision.DOUBLE, n, n, batch);
      inverse = ComplexBatch.allocate(Precision.DOUBLE, n, n, batch);
      for (int i = 0; i < batch; i++) {
        for (int d = 0; d < n; d++) {
          identity.set(i, d, d, 1, 0);
        }
      }
      status = new byte[batch];
      backend.svd(h, s, u, vh, status);
      byte[] ok = new byte[batch];
      for (int i = 0; i < batch; i++) {
        ok[i] = status[i];
      }
      backend.solve(h, identity, inverse, status);
      for (int i = 0; i < batch; i++) {
        ok[i] = ok[i] == MatrixStatus.OK.code() ? status[i] : ok[i];
      }
      in.count = batch;
      in.rows = n;
      in.cols = n;
      in.h = h.doubles();
      in.s = s.doubles();
      in.u = u.doubles();
      in.vh = vh.doubles();
      in.inverse = inverse.doubles();
      in.status = ok;
      long[] keys = new long[batch];
      for (int i = 0; i < batch; i++) {
        keys[i] = i;
      }
      in.keys = keys;
      in.seed = 1;
    }

    double inverseRate() {
      return rate(() -> backend.solve(h, identity, inverse, status));
    }

    double svdRate() {
      return rate(() -> backend.svdValues(h, s, status));
    }

    private double rate(Runnable pass) {
      pass.run();
      long best = Long.MAX_VALUE;
      for (int r = 0; r < Math.max(3, repeats); r++) {
        long t0 = System.nanoTime();
        pass.run();
        best = Math.min(best, System.nanoTime() - t0);
      }
      return h.count() / (best / 1e9);
    }
  }
}
