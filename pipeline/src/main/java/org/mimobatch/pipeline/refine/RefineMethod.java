package org.mimobatch.pipeline.refine;

import org.mimobatch.pipeline.ConfigName;

/** The per-matrix iterative refinements, by the names configurations use. */
public enum RefineMethod implements ConfigName {
  /** The inverse by gradient descent (with heavy-ball momentum) on the mean squared residual. */
  GD_INVERSE,
  /** ‖A − B‖_F driven below a tolerance with Adam or SGD: A = X·M towards I, or A towards H. */
  ADAM_MATCH,
  /** The Newton–Schulz iteration for the inverse. */
  NEWTON_SCHULZ,
  /** complex64 solve or SVD refined to complex128 accuracy. */
  MIXED_PRECISION,
  /** The capacity-achieving transmit covariance by projected gradient ascent. */
  COVARIANCE_ASCENT;

  /** The prefix of this method's columns: refine_ and the name with '-' written '_'. */
  public String columnPrefix() {
    return "refine_" + configName().replace('-', '_');
  }
}
