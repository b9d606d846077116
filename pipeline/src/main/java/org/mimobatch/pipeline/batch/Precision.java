package org.mimobatch.pipeline.batch;

/** Floating-point precision of a batch: complex128 (two doubles per entry) or complex64 (two floats). */
public enum Precision {
  /** complex128: real and imaginary parts as IEEE doubles. */
  DOUBLE("double", Math.ulp(1.0) / 2),
  /** complex64: real and imaginary parts as IEEE floats. */
  SINGLE("single", Math.ulp(1.0f) / 2);

  private final String configName;
  private final double epsilon;

  Precision(String configName, double epsilon) {
    this.configName = configName;
    this.epsilon = epsilon;
  }

  /** The name used in configuration files and on the command line. */
  public String configName() {
    return configName;
  }

  /** Unit roundoff: half the distance from 1.0 to the next representable number. */
  public double epsilon() {
    return epsilon;
  }

  /** The precision whose configuration name is {@code name}, or an exception naming the allowed values. */
  public static Precision fromConfigName(String name) {
    for (Precision p : values()) {
      if (p.configName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + name + "'; allowed: double, single");
  }
}
