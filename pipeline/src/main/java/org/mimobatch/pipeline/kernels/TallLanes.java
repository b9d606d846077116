package org.mimobatch.pipeline.kernels;

/**
 * A group of matrices loaded one per lane as tall ones (Aᴴ when wide), each scaled by its largest
 * entry: what {@link JacobiLanes} and {@link BidiagonalLanes} start from. Layout: lane l's entry
 * (i, j), real and imaginary part, at {@code ((j·rows + i)·2 + part)·lanes + l}.
 */
abstract class TallLanes {
  static final int LANES = Lanes.COUNT;

  /** The loaded group, reduced in place. */
  final double[] a;
  /** Per lane: the factor the loaded matrix was divided by. */
  final double[] scale = new double[LANES];

  TallLanes(int maxDim) {
    a = new double[2 * maxDim * maxDim * LANES];
  }

  /** Matrices per group. */
  public int lanes() {
    return LANES;
  }

  /** Loads the m×n matrix at {@code src[so ..]} (column-major, interleaved) into {@code lane}. */
  public void load(int lane, double[] src, int so, int m, int n) {
    scale[lane] = Lanes.loadTall(a, lane, src, so, m, n);
  }

  /** Fills {@code lane} with a zero matrix (a group with fewer matrices than lanes). */
  public void clear(int lane, int m, int n) {
    scale[lane] = 0;
    Lanes.clear(a, lane, m * n);
  }
}
