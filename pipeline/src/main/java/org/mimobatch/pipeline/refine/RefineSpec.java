package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import java.util.List;

/**
 * Which refinements run on every matrix of a chunk, in order, with their parameters, and how many
 * matrices record their loss histories.
 *
 * @param methods the refinements to run (empty: none)
 * @param historySample how many matrices of the whole dataset record a loss per iteration
 */
public record RefineSpec(
    List<RefineMethod> methods,
    int historySample,
    GdInverse.Params gdInverse,
    AdamMatch.Params adamMatch,
    NewtonSchulz.Params newtonSchulz,
    MixedPrecision.Params mixedPrecision,
    CovarianceAscent.Params covarianceAscent) implements Serializable {

  public RefineSpec {
    methods = List.copyOf(methods);
    if (historySample < 0) {
      throw new IllegalArgumentException("the history sample must be 0 or more, got " + historySample);
    }
  }

  /** No refinement, with every method's defaults in place. */
  public static RefineSpec none() {
    return new RefineSpec(List.of(), 0, GdInverse.Params.DEFAULTS, AdamMatch.Params.DEFAULTS, NewtonSchulz.Params.DEFAULTS,
        MixedPrecision.Params.DEFAULTS, CovarianceAscent.Params.DEFAULTS);
  }

  /** These settings running {@code chosen} instead. */
  public RefineSpec withMethods(RefineMethod... chosen) {
    return new RefineSpec(List.of(chosen), historySample, gdInverse, adamMatch, newtonSchulz, mixedPrecision,
        covarianceAscent);
  }

  public boolean isEmpty() {
    return methods.isEmpty();
  }

  /** Does any configured method compare against the direct inverse? */
  boolean needsInverse() {
    return methods.stream().anyMatch(this::needsInverse);
  }

  /**
   * Does method m, with these parameters, iterate towards the inverse (and so cannot run on a
   * rank-deficient matrix)?
   */
  boolean needsInverse(RefineMethod m) {
    return switch (m) {
      case GD_INVERSE, NEWTON_SCHULZ -> true;
      case ADAM_MATCH -> adamMatch.target() == AdamMatch.Target.INVERSE;
      case MIXED_PRECISION -> mixedPrecision.mode() == MixedPrecision.Mode.SOLVE;
      case COVARIANCE_ASCENT -> false;
    };
  }
}
