package org.mimobatch.pipeline.refine;

import org.mimobatch.pipeline.batch.MatrixStatus;

/**
 * What the refinements of one chunk start from, in double precision and the layout of
 * {@link org.mimobatch.pipeline.kernels.Cmat}: the channels, their thin SVD from the backend, and
 * the direct inverse of square channels. Filled by the chunk analyzer; the arrays are shared with it
 * and only read.
 */
public final class RefineInput {
  /** Matrices in the chunk. */
  public int count;
  public int rows;
  public int cols;
  /** Channels, 2·rows·cols reals each. */
  public double[] h;
  /** Singular values, descending, min(rows, cols) each. */
  public double[] s;
  /** Thin U (rows × k) and Vᴴ (k × cols) from the backend. */
  public double[] u;
  public double[] vh;
  /** M⁻¹ of square channels from the backend's solve, or null when no method needs it. */
  public double[] inverse;
  /** The analysis status of every matrix; refinements run only on OK ones. */
  public byte[] status;
  /**
   * Whether each matrix has full numerical rank, min(rows, cols); methods that need an inverse
   * report the others not-applicable.
   */
  public boolean[] fullRank;
  /** Per-matrix keys, for the seeded random starts. */
  public long[] keys;
  /** Seed of the random starts. */
  public long seed;

  public int rank() {
    return Math.min(rows, cols);
  }

  public boolean square() {
    return rows == cols;
  }

  /** Offset of channel i in {@link #h}. */
  public int hOffset(int i) {
    return 2 * rows * cols * i;
  }

  public boolean ok(int i) {
    return status[i] == MatrixStatus.OK.code();
  }

  /** Does matrix i have full numerical rank (every matrix, where no ranks were given)? */
  public boolean fullRank(int i) {
    return fullRank == null || fullRank[i];
  }
}
