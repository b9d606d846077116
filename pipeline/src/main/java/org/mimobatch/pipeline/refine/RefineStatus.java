package org.mimobatch.pipeline.refine;

/** How a refinement ended for one matrix. The byte code of a status is its ordinal. */
public enum RefineStatus {
  /** Not run: the matrix's own analysis failed, so its refinement columns are null. */
  NONE(null),
  /** The loss fell below the tolerance. */
  CONVERGED("converged"),
  /** max-iterations ran out first. */
  NOT_CONVERGED("not-converged"),
  /** The iterate or its loss stopped being finite; the matrix was frozen, the rest went on. */
  NON_FINITE("non-finite"),
  /** Repeated or nearly repeated singular values make the update undefined (the 1/(σ_j² − σ_i²) poles). */
  DEGENERATE("degenerate"),
  /** The method does not apply to this shape (an inverse of a non-square matrix). */
  NOT_APPLICABLE("not-applicable");

  private static final RefineStatus[] BY_CODE = values();
  private final String label;

  RefineStatus(String label) {
    this.label = label;
  }

  /** The name datasets store, or null for {@link #NONE}. */
  public String label() {
    return label;
  }

  public byte code() {
    return (byte) ordinal();
  }

  public static RefineStatus ofCode(byte code) {
    return BY_CODE[code];
  }

  /** Did the method produce an iterate whose loss and error are worth reporting? */
  public boolean hasResult() {
    return this == CONVERGED || this == NOT_CONVERGED;
  }
}
