package org.mimobatch.pipeline.refine;

import java.util.ArrayList;
import java.util.List;
import org.mimobatch.pipeline.backend.LinalgBackend;

/** Runs the configured refinements, in order, over chunks of one matrix shape. */
public final class Refiner {
  private final List<IterativeRefinement> refinements = new ArrayList<>();
  private final List<RefineResult> results = new ArrayList<>();

  public Refiner(RefineSpec spec, LinalgBackend backend, int rows, int cols, int capacity) {
    for (RefineMethod m : spec.methods()) {
      IterativeRefinement refinement = switch (m) {
        case GD_INVERSE -> new GdInverse(spec.gdInverse(), rows, cols);
        case ADAM_MATCH -> new AdamMatch(spec.adamMatch(), rows, cols);
        case NEWTON_SCHULZ -> new NewtonSchulz(spec.newtonSchulz(), rows, cols);
        case MIXED_PRECISION -> new MixedPrecision(spec.mixedPrecision(), backend, rows, cols);
        case COVARIANCE_ASCENT -> new CovarianceAscent(spec.covarianceAscent(), rows, cols);
      };
      refinement.needsInverse(spec.needsInverse(m));
      refinements.add(refinement);
      results.add(new RefineResult(m, capacity));
    }
  }

  /** Does any configured refinement compare against the direct inverse? */
  public static boolean needsInverse(RefineSpec spec) {
    return spec.needsInverse();
  }

  /** Runs every refinement on the chunk; the results, one per configured method, in order. */
  public List<RefineResult> run(RefineInput in, HistorySink history) {
    for (int m = 0; m < refinements.size(); m++) {
      refinements.get(m).run(in, results.get(m), history);
    }
    return results;
  }

  /** The results of the last run, one per configured method, in order. */
  public List<RefineResult> results() {
    return results;
  }
}
