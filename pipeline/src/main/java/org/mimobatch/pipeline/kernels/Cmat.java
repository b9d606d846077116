package org.mimobatch.pipeline.kernels;

/**
 * Small dense complex matrix operations in plain Java, on the layout of
 * {@link org.mimobatch.pipeline.batch.ComplexBatch}: column-major, interleaved (re, im), a matrix
 * starting at an offset into a shared {@code double[]}. Entry (i, j) of an m-row matrix at offset
 * {@code o} is at {@code o + 2 (j m + i)}.
 *
 * <p>Used inside iteration loops, where a native call per matrix and iteration would cost more than
 * the arithmetic of a small matrix; nothing here allocates. Outputs must not overlap inputs.
 */
public final class Cmat {
  private Cmat() {}

  /** c = a · b, with a m×k, b k×n, c m×n. */
  public static void multiply(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
    scaledColumns(a, ao, b, bo, 1, k, 1, c, co, m, k, n);
  }

  /** c = aᴴ · b, with a k×m, b k×n, c m×n. */
  public static void multiplyAdjointLeft(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double sr = 0;
        double si = 0;
        int ai0 = ao + 2 * i * k;
        int bj0 = bo + 2 * j * k;
        for (int p = 0; p < k; p++) {
          double ar = a[ai0 + 2 * p];
          double ai = -a[ai0 + 2 * p + 1];
          double br = b[bj0 + 2 * p];
          double bi = b[bj0 + 2 * p + 1];
          sr += ar * br - ai * bi;
          si += ar * bi + ai * br;
        }
        c[co + 2 * (j * m + i)] = sr;
        c[co + 2 * (j * m + i) + 1] = si;
      }
    }
  }

  /** c = a · bᴴ, with a m×k, b n×k, c m×n. */
  public static void multiplyAdjointRight(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n) {
    scaledColumns(a, ao, b, bo, n, 1, -1, c, co, m, k, n);
  }

  /** c = a · bᵀ, with a m×k, b n×k, c m×n. */
  public static void multiplyTransposeRight(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k,
      int n) {
    scaledColumns(a, ao, b, bo, n, 1, 1, c, co, m, k, n);
  }

  /**
   * c = a · B for a m×k and the k×n matrix B whose entry (p, j) is b[bo + 2 (p·pStride + j·jStride)],
   * its imaginary part times {@code conjugate} (±1): b itself, bᵀ or bᴴ. Column j of c is built as
   * the sum of a's columns scaled by B's column j, two of them per pass: the innermost loop runs
   * down contiguous columns with independent iterations, where a dot product per entry would wait
   * on its own sum at every step, and c is loaded and stored half as often.
   */
  private static void scaledColumns(double[] a, int ao, double[] b, int bo, int pStride, int jStride, double conjugate,
      double[] c, int co, int m, int k, int n) {
    for (int j = 0; j < n; j++) {
      int cj = co + 2 * j * m;
      java.util.Arrays.fill(c, cj, cj + 2 * m, 0);
      int p = 0;
      for (; p + 1 < k; p += 2) {
        int b0 = bo + 2 * (p * pStride + j * jStride);
        int b1 = b0 + 2 * pStride;
        double br0 = b[b0];
        double bi0 = conjugate * b[b0 + 1];
        double br1 = b[b1];
        double bi1 = conjugate * b[b1 + 1];
        int a0 = ao + 2 * p * m;
        int a1 = a0 + 2 * m;
        for (int i = 0; i < 2 * m; i += 2) {
          double ar0 = a[a0 + i];
          double ai0 = a[a0 + i + 1];
          double ar1 = a[a1 + i];
          double ai1 = a[a1 + i + 1];
          c[cj + i] += ar0 * br0 - ai0 * bi0 + ar1 * br1 - ai1 * bi1;
          c[cj + i + 1] += ar0 * bi0 + ai0 * br0 + ar1 * bi1 + ai1 * br1;
        }
      }
      if (p < k) {
        int b0 = bo + 2 * (p * pStride + j * jStride);
        double br0 = b[b0];
        double bi0 = conjugate * b[b0 + 1];
        int a0 = ao + 2 * p * m;
        for (int i = 0; i < 2 * m; i += 2) {
          double ar0 = a[a0 + i];
          double ai0 = a[a0 + i + 1];
          c[cj + i] += ar0 * br0 - ai0 * bi0;
          c[cj + i + 1] += ar0 * bi0 + ai0 * br0;
        }
      }
    }
  }

  /** Subtracts the identity from the square n×n matrix at {@code o}, in place. */
  public static void subtractIdentity(double[] a, int o, int n) {
    for (int i = 0; i < n; i++) {
      a[o + 2 * (i * n + i)] -= 1;
    }
  }

  /** Sets the n×n matrix at {@code o} to the identity. */
  public static void setIdentity(double[] a, int o, int n) {
    for (int x = 0; x < 2 * n * n; x++) {
      a[o + x] = 0;
    }
    for (int i = 0; i < n; i++) {
      a[o + 2 * (i * n + i)] = 1;
    }
  }

  /** ‖a‖_F² of {@code entries} complex numbers at {@code o}. */
  public static double normSquared(double[] a, int o, int entries) {
    double s = 0;
    for (int x = o; x < o + 2 * entries; x++) {
      s += a[x] * a[x];
    }
    return s;
  }

  /** ‖a − b‖_F² over {@code entries} complex numbers. */
  public static double distanceSquared(double[] a, int ao, double[] b, int bo, int entries) {
    double s = 0;
    for (int x = 0; x < 2 * entries; x++) {
      double d = a[ao + x] - b[bo + x];
      s += d * d;
    }
    return s;
  }

  /** Max column sum of moduli (the 1-norm) of an m×n matrix. */
  public static double norm1(double[] a, int o, int m, int n) {
    return maxLineSum(a, o, n, m, 2 * m, 2);
  }

  /** Max row sum of moduli (the ∞-norm) of an m×n matrix. */
  public static double normInf(double[] a, int o, int m, int n) {
    return maxLineSum(a, o, m, n, 2, 2 * m);
  }

  /** The largest sum of moduli over {@code lines} lines of {@code length} entries, lines and entries a stride apart. */
  private static double maxLineSum(double[] a, int o, int lines, int length, int lineStride, int entryStride) {
    double best = 0;
    for (int l = 0; l < lines; l++) {
      double s = 0;
      for (int e = 0; e < length; e++) {
        int x = o + l * lineStride + e * entryStride;
        s += Math.hypot(a[x], a[x + 1]);
      }
      best = Math.max(best, s);
    }
    return best;
  }

  /** b = aᴴ for an m×n matrix a (b is n×m). */
  public static void adjoint(double[] a, int ao, double[] b, int bo, int m, int n) {
    transpose(a, ao, b, bo, m, n, true);
  }

  /** b = aᵀ, or aᴴ when {@code conjugate}, for an m×n matrix a (b is n×m). */
  public static void transpose(double[] a, int ao, double[] b, int bo, int m, int n, boolean conjugate) {
    double sign = conjugate ? -1 : 1;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        b[bo + 2 * (i * n + j)] = a[ao + 2 * (j * m + i)];
        b[bo + 2 * (i * n + j) + 1] = sign * a[ao + 2 * (j * m + i) + 1];
      }
    }
  }

  /** Are all {@code entries} complex numbers at {@code o} finite? */
  public static boolean isFinite(double[] a, int o, int entries) {
    for (int x = o; x < o + 2 * entries; x++) {
      if (!Double.isFinite(a[x])) {
        return false;
      }
    }
    return true;
  }
}
