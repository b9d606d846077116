package org.mimobatch.pipeline.batch;

/**
 * What happened to one matrix of a batch. Numerical trouble is data, not an exception: every kernel
 * writes one status code per matrix into a {@code byte[]}, and a row whose status is not {@link #OK}
 * keeps its keys and gets null metrics.
 *
 * <p>The byte code of a status is its ordinal; codes are stable because they only travel inside a
 * JVM, while the {@link #label()} is what datasets store.
 */
public enum MatrixStatus {
  /** Computed; results are valid. */
  OK("ok"),
  /**
   * A zero pivot in a solve, or a solution that overflows: the results that need an inverse are
   * undefined. The analysis never reports it: a rank-deficient channel is ok, with its rank.
   */
  SINGULAR("singular"),
  /** Every entry is zero. */
  ZERO("zero"),
  /** An iterative routine did not converge. */
  NOT_CONVERGED("not-converged"),
  /** The input holds NaN or an infinity, or the computation overflowed. */
  NON_FINITE("non-finite"),
  /** The stored entries do not match the declared rows × cols. */
  SHAPE_ERROR("shape-error");

  private static final MatrixStatus[] BY_CODE = values();

  private final String label;

  MatrixStatus(String label) {
    this.label = label;
  }

  /** The name datasets store in their {@code status} column. */
  public String label() {
    return label;
  }

  /** The code kernels write into status arrays. */
  public byte code() {
    return (byte) ordinal();
  }

  /** The status a kernel wrote as {@code code}. */
  public static MatrixStatus ofCode(byte code) {
    return BY_CODE[code];
  }

  /** Convenience for status arrays: is the code {@link #OK}? */
  public static boolean isOk(byte code) {
    return code == 0;
  }
}
