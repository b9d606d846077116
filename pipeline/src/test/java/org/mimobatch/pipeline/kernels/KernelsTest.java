package org.mimobatch.pipeline.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mimobatch.pipeline.backend.Dense;
import org.mimobatch.pipeline.backend.Reference;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;

/** The plain-Java kernels against the test reference. */
class KernelsTest {

  /** A matrix in the kernels' layout at an offset, to catch offset mistakes. */
  private static double[] store(Dense d, int offset) {
    ComplexBatch b = ComplexBatch.allocate(Precision.DOUBLE, d.rows, d.cols, 1);
    d.into(b, 0);
    double[] a = new double[offset + 2 * d.rows * d.cols];
    System.arraycopy(b.doubles(), 0, a, offset, 2 * d.rows * d.cols);
    return a;
  }

  private static Dense load(double[] a, int offset, int rows, int cols) {
    ComplexBatch b = ComplexBatch.allocate(Precision.DOUBLE, rows, cols, 1);
    System.arraycopy(a, offset, b.doubles(), 0, 2 * rows * cols);
    return Dense.of(b, 0);
  }

  @Test
  void productsMatchTheReference() {
    SplittableRandom rng = new SplittableRandom(1);
    Dense a = Dense.gaussian(3, 5, rng);
    Dense b = Dense.gaussian(5, 4, rng);
    double[] c = new double[6 + 2 * 12];
    Cmat.multiply(store(a, 2), 2, store(b, 4), 4, c, 6, 3, 5, 4);
    assertTrue(load(c, 6, 3, 4).minus(a.times(b)).frobenius() < 1e-13);

    Dense at = Dense.gaussian(5, 3, rng); // aᴴ is 3×5
    Cmat.multiplyAdjointLeft(store(at, 0), 0, store(b, 0), 0, c, 6, 3, 5, 4);
    assertTrue(load(c, 6, 3, 4).minus(at.conjugateTranspose().times(b)).frobenius() < 1e-13);

    Dense bt = Dense.gaussian(4, 5, rng); // bᴴ is 5×4
    Cmat.multiplyAdjointRight(store(a, 0), 0, store(bt, 0), 0, c, 6, 3, 5, 4);
    assertTrue(load(c, 6, 3, 4).minus(a.times(bt.conjugateTranspose())).frobenius() < 1e-13);

    double[] adj = new double[2 * 15];
    Cmat.adjoint(store(a, 0), 0, adj, 0, 3, 5);
    assertEquals(0, load(adj, 0, 5, 3).minus(a.conjugateTranspose()).frobenius());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 8, 16})
  void luSolvesInBothPrecisions(int n) {
    SplittableRandom rng = new SplittableRandom(n);
    Dense a = Dense.gaussian(n, n, rng);
    Dense b = Dense.gaussian(n, 3, rng);
    double[] lu = store(a, 4);
    int[] piv = new int[n + 1];
    assertTrue(Lu.factor(lu, 4, n, piv, 1));
    double[] x = store(b, 0);
    Lu.solve(lu, 4, n, piv, 1, x, 0, 3);
    Dense xd = load(x, 0, n, 3);
    assertTrue(backwardError(a, xd, b) <= 10 * n * Precision.DOUBLE.epsilon(), "complex128 " + backwardError(a, xd, b));

    float[] luf = toFloat(store(a, 0));
    assertTrue(Lu.factor(luf, 0, n, piv, 0));
    float[] xf = toFloat(store(b, 0));
    Lu.solve(luf, 0, n, piv, 0, xf, 0, 3);
    Dense xs = load(toDouble(xf), 0, n, 3);
    double bound = 10 * n * Precision.SINGLE.epsilon();
    assertTrue(backwardError(a, xs, b) <= bound, "complex64 " + backwardError(a, xs, b));
    // The bound is tight enough to catch a solution 1 % off.
    Dense off = xd.minus(xd.scaleColumns(new double[] {0.01, 0.01, 0.01}));
    assertTrue(backwardError(a, off, b) > bound, "a 1 % error passes: " + backwardError(a, off, b));

    double det = Math.exp(Lu.logAbsDeterminant(lu, 4, n));
    double product = 1;
    for (double s : Reference.singularValues(a)) {
      product *= s;
    }
    assertEquals(product, det, 1e-10 * product, "|det A| = Π σ_i");
  }

  @Test
  void luReportsAnExactlySingularMatrix() {
    Dense a = new Dense(3, 3).set(0, 0, 1, 0).set(1, 1, 1, 0); // third row and column zero
    assertFalse(Lu.factor(store(a, 0), 0, 3, new int[3], 0));
    assertFalse(Lu.factor(toFloat(store(a, 0)), 0, 3, new int[3], 0));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 6, 8, 16, 32})
  void jacobiDiagonalisesHermitianMatrices(int n) {
    SplittableRandom rng = new SplittableRandom(10 + n);
    Dense g = Dense.gaussian(n + 1, n, rng);
    Dense h = g.conjugateTranspose().times(g);
    assertDecomposes(h, n);
  }

  @Test
  void jacobiHandlesRepeatedZeroAndIndefiniteSpectra() {
    assertDecomposes(Dense.identity(5), 5);
    assertDecomposes(new Dense(4, 4), 4);
    Dense repeated = Dense.diagonal(3, 3, 2, 1, 2);
    SplittableRandom rng = new SplittableRandom(3);
    Dense q = Dense.unitary(3, rng);
    assertDecomposes(q.times(repeated).times(q.conjugateTranspose()), 3);
    Dense swap = new Dense(2, 2).set(0, 1, 0, 1).set(1, 0, 0, -1); // eigenvalues ±1
    double[] w = assertDecomposes(swap, 2);
    assertArrayEquals(new double[] {-1, 1}, w, 1e-15);
  }

  private static double[] assertDecomposes(Dense h, int n) {
    HermitianJacobi jacobi = new HermitianJacobi(n);
    double[] w = new double[n + 2];
    double[] z = new double[3 + 2 * n * n];
    assertTrue(jacobi.decompose(store(h, 7), 7, w, 2, z, 3));
    double[] values = new double[n];
    System.arraycopy(w, 2, values, 0, n);
    for (int i = 1; i < n; i++) {
      assertTrue(values[i - 1] <= values[i], "ascending");
    }
    double scale = Math.max(1, h.frobenius());
    assertArrayEquals(Reference.hermitianEigenvalues(h), values, 1e-13 * n * scale);
    Dense zd = load(z, 3, n, n);
    assertTrue(h.times(zd).minus(zd.scaleColumns(values)).frobenius() <= 1e-13 * n * scale, "HZ = ZΛ");
    assertTrue(zd.conjugateTranspose().times(zd).minus(Dense.identity(n)).maxAbs() <= 1e-13 * n, "ZᴴZ = I");
    return values;
  }

  /** ‖AX − B‖_F / (‖A‖_F ‖X‖_F): what a backward-stable solve keeps at a small multiple of n·ε. */
  private static double backwardError(Dense a, Dense x, Dense b) {
    return a.times(x).minus(b).frobenius() / (a.frobenius() * x.frobenius());
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void complexAxpyInLanesIsTheScalarLoopBitForBit() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int n : new int[] {2, 6, 8, 16, 30, 128, 130}) {
      double[] x = new double[n + 4];
      double[] y = new double[n + 6];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextGaussian();
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = rng.nextGaussian();
      }
      double ar = rng.nextGaussian();
      double ai = rng.nextGaussian();
      double[] expected = y.clone();
      for (int e = 0; e < n; e += 2) {
        double xr = x[4 + e];
        double xi = x[4 + e + 1];
        expected[2 + e] += xr * ar - xi * ai;
        expected[2 + e + 1] += xr * ai + xi * ar;
      }
      ComplexAxpyLanes.axpy(ar, ai, x, 4, y, 2, n);
      assertArrayEquals(expected, y, 0.0, "n = " + n);
    }
  }
}
