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
import org.mimobatch.pipeline.refine.Refiner;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * Throughput of every refinement on one thread: complex128 i.i.d. CN(0, 1) square matrices, the
 * method's default parameters except gd-inverse with lr = optimal, and every method capped at
 * {@value #CAP} iterations so that the slow ones finish. One line per (method, n):
 * <pre>BENCH|refine_&lt;method&gt;|n=&lt;n&gt;|N=&lt;batch&gt;|&lt;matrices/s&gt;|&lt;iterations/s&gt; it/s, &lt;mean&gt; it/matrix, &lt;converged&gt; converged, direct &lt;rate&gt;/s (&lt;route&gt;)</pre>
 * The direct rate is the decomposition the method replaces, through the backend: the inverse by LU
 * (?gesv with n right-hand sides) for the inverse routes, the SVD for mixed-precision svd, and the
 * singular values (from which water-filling is exact) for covariance ascent.
 */
public final class RefineBench {
  static final int CAP = 2000;
  static final int[] SIZES = {4, 8, 16};

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
          converged += res.status(i).label().equals("converged") ? 1 : 0;
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

  private static RefineSpec spec(RefineMethod m) {
    RefineSpec d = RefineSpec.none();
    GdInverse.Params gd = new GdInverse.Params(GdInverse.Variant.LEFT, GdInverse.Init.ZERO, GdInverse.Step.OPTIMAL, 0, 0,
        d.gdInverse().tolerance(), CAP);
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
