package org.mimobatch.pipeline.refine;

/**
 * The columns every configured refinement adds to the metrics, in order, named
 * {@code <method prefix><suffix>} (refine_gd_inverse_status, …): the one declaration from which
 * their schema, their row encoding and README's table are derived, as {@link
 * org.mimobatch.pipeline.analysis.Metric} is for the direct metrics.
 */
public enum RefineColumn {
  STATUS("_status", Type.STATUS,
      "converged, not-converged, non-finite, degenerate, not-applicable; null when the matrix's analysis failed"),
  ITERATIONS("_iterations", Type.INT, "updates applied when it stopped"),
  LOSS("_loss", Type.DOUBLE, "the final loss, in the method's own measure"),
  CONVERGED("_converged", Type.BOOLEAN, "whether the loss fell below the tolerance"),
  ERROR("_error", Type.DOUBLE, "the final iterate against the direct result"),
  ERROR_BEFORE("_error_before", Type.DOUBLE, "mixed-precision only: the complex64 start against the direct result");

  /** The stored type: a status label, or a number or flag. */
  public enum Type {
    STATUS, INT, DOUBLE, BOOLEAN
  }

  private final String suffix;
  private final Type type;
  private final String description;

  RefineColumn(String suffix, Type type, String description) {
    this.suffix = suffix;
    this.type = type;
    this.description = description;
  }

  public String suffix() {
    return suffix;
  }

  public Type type() {
    return type;
  }

  /** One line for README's refinement table. */
  public String description() {
    return description;
  }

  /** Does method m have this column? */
  public boolean appliesTo(RefineMethod m) {
    return this != ERROR_BEFORE || m == RefineMethod.MIXED_PRECISION;
  }

  /** The column of method m. */
  public String column(RefineMethod m) {
    return m.columnPrefix() + suffix;
  }

  /**
   * The value of this column for matrix i: a {@link RefineStatus}, Integer, Double or Boolean, or
   * null. A method that did not run on the matrix (its analysis failed) has only nulls; iterations
   * are kept for every method that ran, also one that stopped non-finite; loss and errors only for
   * a method that ended with a result, and only where finite.
   */
  public Object value(RefineResult r, int i) {
    RefineStatus status = r.status(i);
    boolean ran = status != RefineStatus.NONE;
    boolean result = status.hasResult();
    return switch (this) {
      case STATUS -> ran ? status : null;
      case ITERATIONS -> ran && (result || status == RefineStatus.NON_FINITE) ? (Object) r.iterations(i) : null;
      case LOSS -> result ? (Object) r.loss(i) : null;
      case CONVERGED -> ran ? (Object) (status == RefineStatus.CONVERGED) : null;
      case ERROR -> result ? finite(r.error(i)) : null;
      case ERROR_BEFORE -> result ? finite(r.errorBefore(i)) : null;
    };
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
