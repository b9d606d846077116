package org.mimobatch.pipeline.batch;

import org.mimobatch.pipeline.ConfigName;

/** Floating-point precision of a batch: complex128 (two doubles per entry) or complex64 (two floats). */
public enum Precision implements ConfigName {
  /** complex128: real and imaginary parts as IEEE doubles. */
  DOUBLE(Math.ulp(1.0) / 2),
  /** complex64: real and imaginary parts as IEEE floats. */
  SINGLE(Math.ulp(1.0f) / 2);

  private final double epsilon;

  Precision(double epsilon) {
    this.epsilon = epsilon;
  }

  /** Unit roundoff: half the distance from 1.0 to the next representable number. */
  public double epsilon() {
    return epsilon;
  }

  /** Machine epsilon: the distance from 1.0 to the next representable number (NumPy's finfo.eps). */
  public double machineEpsilon() {
    return 2 * epsilon;
  }
}
