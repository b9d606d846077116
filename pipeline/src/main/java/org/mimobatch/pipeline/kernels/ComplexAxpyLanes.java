package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * y ← y + a·x for a complex scalar a and interleaved complex vectors x and y, several entries per
 * SIMD vector. Each entry's arithmetic is the scalar loop's, operation for operation (re: xr·ar −
 * xi·ai, im: xi·ar + xr·ai, then the sum), so the results are the same bit for bit.
 */
public final class ComplexAxpyLanes {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int COUNT = SPECIES.length();
  /** (re, im) pairs swapped: (x0, x1, x2, x3, …) → (x1, x0, x3, x2, …). */
  private static final VectorShuffle<Double> SWAP = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
  /** −1 on real parts, +1 on imaginary ones. */
  private static final DoubleVector SIGN = DoubleVector.fromArray(SPECIES, signs(), 0);

  private ComplexAxpyLanes() {}

  private static double[] signs() {
    double[] s = new double[COUNT];
    for (int i = 0; i < COUNT; i++) {
      s[i] = i % 2 == 0 ? -1 : 1;
    }
    return s;
  }

  /** y[yo .. yo + n) ← y + (ar + i·ai)·x[xo ..), n doubles (n/2 complex entries). */
  public static void axpy(double ar, double ai, double[] x, int xo, double[] y, int yo, int n) {
    int e = 0;
    for (; e + COUNT <= n; e += COUNT) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xo + e);
      DoubleVector product = v.mul(ar).add(v.rearrange(SWAP).mul(ai).mul(SIGN));
      DoubleVector.fromArray(SPECIES, y, yo + e).add(product).intoArray(y, yo + e);
    }
    for (; e < n; e += 2) {
      double xr = x[xo + e];
      double xi = x[xo + e + 1];
      y[yo + e] += xr * ar - xi * ai;
      y[yo + e + 1] += xr * ai + xi * ar;
    }
  }
}
