package org.mimobatch.pipeline.refine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The per-matrix iterative refinements, by the names configurations use. */
public enum RefineMethod {
  /** The inverse by gradient descent (with heavy-ball momentum) on the mean squared residual. */
  GD_INVERSE("gd-inverse"),
  /** ‖A − B‖_F driven below a tolerance with Adam or SGD: A = X·M towards I, or A towards H. */
  ADAM_MATCH("adam-match"),
  /** The Newton–Schulz iteration for the inverse. */
  NEWTON_SCHULZ("newton-schulz"),
  /** complex64 solve or SVD refined to complex128 accuracy. */
  MIXED_PRECISION("mixed-precision"),
  /** The capacity-achieving transmit covariance by projected gradient ascent. */
  COVARIANCE_ASCENT("covariance-ascent");

  private final String configName;

  RefineMethod(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The prefix of this method's columns: refine_ and the name with '-' written '_'. */
  public String columnPrefix() {
    return "refine_" + configName.replace('-', '_');
  }

  public static RefineMethod fromConfigName(String name) {
    for (RefineMethod m : values()) {
      if (m.configName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown refinement '" + name + "'; allowed: " + allowed());
  }

  public static String allowed() {
    return Arrays.stream(values()).map(RefineMethod::configName).collect(Collectors.joining(", "));
  }
}
