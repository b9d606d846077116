package org.mimobatch.pipeline.kernels;

/**
 * Complex LU factorisation with partial pivoting, P·A = L·U, in place, in double or single
 * precision, on the layout of {@link Cmat}. The mixed-precision refinement factors in single
 * precision once and then solves repeatedly with the same factors.
 *
 * <p>As LAPACK's zgetrf and zgetrs: the pivot is the first entry of largest |re| + |im| (izamax),
 * and every division by a pivot goes through its reciprocal by Smith's algorithm, which never
 * forms re² + im² (it would overflow for entries near 1e155 and underflow to a false zero pivot
 * near 1e-155, where LAPACK's scaled zladiv does not).
 */
public final class Lu {
  private Lu() {}

  /**
   * Factors the n×n matrix at {@code o} in place (L below the diagonal with unit diagonal, U on and
   * above it) and writes the row swaps to {@code pivots[po .. po + n)}; returns false on an exactly
   * zero pivot (singular).
   */
  public static boolean factor(float[] a, int o, int n, int[] pivots, int po) {
    for (int k = 0; k < n; k++) {
      int p = k;
      double best = -1;
      for (int i = k; i < n; i++) {
        double m = abs1(a[o + 2 * (k * n + i)], a[o + 2 * (k * n + i) + 1]);
        if (m > best) {
          best = m;
          p = i;
        }
      }
      pivots[po + k] = p;
      if (best == 0) {
        return false;
      }
      if (p != k) {
        for (int j = 0; j < n; j++) {
          swap(a, o + 2 * (j * n + k), o + 2 * (j * n + p));
        }
      }
      float pr = a[o + 2 * (k * n + k)];
      float pi = a[o + 2 * (k * n + k) + 1];
      float ir = reciprocalRe(pr, pi);
      float ii = reciprocalIm(pr, pi);
      for (int i = k + 1; i < n; i++) {
        int x = o + 2 * (k * n + i);
        float lr = a[x] * ir - a[x + 1] * ii;
        float li = a[x] * ii + a[x + 1] * ir;
        a[x] = lr;
        a[x + 1] = li;
      }
      for (int j = k + 1; j < n; j++) {
        float ur = a[o + 2 * (j * n + k)];
        float ui = a[o + 2 * (j * n + k) + 1];
        for (int i = k + 1; i < n; i++) {
          int l = o + 2 * (k * n + i);
          int x = o + 2 * (j * n + i);
          a[x] -= a[l] * ur - a[l + 1] * ui;
          a[x + 1] -= a[l] * ui + a[l + 1] * ur;
        }
      }
    }
    return true;
  }

  /**
   * Solves A·X = B in place for the n×r right-hand sides at {@code bo}, from factors of
   * {@link #factor(float[], int, int, int[], int)}.
   */
  public static void solve(float[] lu, int o, int n, int[] pivots, int po, float[] b, int bo, int r) {
    for (int c = 0; c < r; c++) {
      int col = bo + 2 * c * n;
      for (int k = 0; k < n; k++) {
        int p = pivots[po + k];
        if (p != k) {
          swap(b, col + 2 * k, col + 2 * p);
        }
      }
      for (int k = 0; k < n; k++) { // L y = P b, unit diagonal
        float yr = b[col + 2 * k];
        float yi = b[col + 2 * k + 1];
        for (int i = k + 1; i < n; i++) {
          int l = o + 2 * (k * n + i);
          b[col + 2 * i] -= lu[l] * yr - lu[l + 1] * yi;
          b[col + 2 * i + 1] -= lu[l] * yi + lu[l + 1] * yr;
        }
      }
      for (int k = n - 1; k >= 0; k--) { // U x = y
        int d = o + 2 * (k * n + k);
        float ir = reciprocalRe(lu[d], lu[d + 1]);
        float ii = reciprocalIm(lu[d], lu[d + 1]);
        float br = b[col + 2 * k];
        float bi = b[col + 2 * k + 1];
        float xr = br * ir - bi * ii;
        float xi = br * ii + bi * ir;
        b[col + 2 * k] = xr;
        b[col + 2 * k + 1] = xi;
        for (int i = 0; i < k; i++) {
          int u = o + 2 * (k * n + i);
          b[col + 2 * i] -= lu[u] * xr - lu[u + 1] * xi;
          b[col + 2 * i + 1] -= lu[u] * xi + lu[u + 1] * xr;
        }
      }
    }
  }

  /** As {@link #factor(float[], int, int, int[], int)}, in double precision. */
  public static boolean factor(double[] a, int o, int n, int[] pivots, int po) {
    for (int k = 0; k < n; k++) {
      int p = k;
      double best = -1;
      for (int i = k; i < n; i++) {
        double m = abs1(a[o + 2 * (k * n + i)], a[o + 2 * (k * n + i) + 1]);
        if (m > best) {
          best = m;
          p = i;
        }
      }
      pivots[po + k] = p;
      if (best == 0) {
        return false;
      }
      if (p != k) {
        for (int j = 0; j < n; j++) {
          swap(a, o + 2 * (j * n + k), o + 2 * (j * n + p));
        }
      }
      double pr = a[o + 2 * (k * n + k)];
      double pi = a[o + 2 * (k * n + k) + 1];
      double ir = reciprocalRe(pr, pi);
      double ii = reciprocalIm(pr, pi);
      int lc = o + 2 * k * n;
      for (int i = k + 1; i < n; i++) {
        int x = lc + 2 * i;
        double lr = a[x] * ir - a[x + 1] * ii;
        double li = a[x] * ii + a[x + 1] * ir;
        a[x] = lr;
        a[x + 1] = li;
      }
      // Two trailing columns per pass, so each multiplier is loaded once for both.
      int j = k + 1;
      for (; j + 1 < n; j += 2) {
        int c0 = o + 2 * j * n;
        int c1 = c0 + 2 * n;
        double u0r = a[c0 + 2 * k];
        double u0i = a[c0 + 2 * k + 1];
        double u1r = a[c1 + 2 * k];
        double u1i = a[c1 + 2 * k + 1];
        for (int i = k + 1; i < n; i++) {
          double lr = a[lc + 2 * i];
          double li = a[lc + 2 * i + 1];
          a[c0 + 2 * i] -= lr * u0r - li * u0i;
          a[c0 + 2 * i + 1] -= lr * u0i + li * u0r;
          a[c1 + 2 * i] -= lr * u1r - li * u1i;
          a[c1 + 2 * i + 1] -= lr * u1i + li * u1r;
        }
      }
      if (j < n) {
        int c0 = o + 2 * j * n;
        double ur = a[c0 + 2 * k];
        double ui = a[c0 + 2 * k + 1];
        for (int i = k + 1; i < n; i++) {
          double lr = a[lc + 2 * i];
          double li = a[lc + 2 * i + 1];
          a[c0 + 2 * i] -= lr * ur - li * ui;
          a[c0 + 2 * i + 1] -= lr * ui + li * ur;
        }
      }
    }
    return true;
  }

  /**
   * As {@link #solve(float[], int, int, int[], int, float[], int, int)}, in double precision. The
   * substitutions run a row of the factors at a time across every right-hand side, so each pivot's
   * reciprocal is computed once rather than divided by once per column.
   */
  public static void solve(double[] lu, int o, int n, int[] pivots, int po, double[] b, int bo, int r) {
    for (int k = 0; k < n; k++) {
      int p = pivots[po + k];
      if (p != k) {
        for (int c = 0; c < r; c++) {
          swap(b, bo + 2 * (c * n + k), bo + 2 * (c * n + p));
        }
      }
    }
    for (int k = 0; k < n; k++) {
      for (int c = 0; c < r; c++) {
        int col = bo + 2 * c * n;
        double yr = b[col + 2 * k];
        double yi = b[col + 2 * k + 1];
        for (int i = k + 1; i < n; i++) {
          int l = o + 2 * (k * n + i);
          b[col + 2 * i] -= lu[l] * yr - lu[l + 1] * yi;
          b[col + 2 * i + 1] -= lu[l] * yi + lu[l + 1] * yr;
        }
      }
    }
    for (int k = n - 1; k >= 0; k--) {
      int d = o + 2 * (k * n + k);
      double ir = reciprocalRe(lu[d], lu[d + 1]);
      double ii = reciprocalIm(lu[d], lu[d + 1]);
      for (int c = 0; c < r; c++) {
        int col = bo + 2 * c * n;
        double br = b[col + 2 * k];
        double bi = b[col + 2 * k + 1];
        double xr = br * ir - bi * ii;
        double xi = br * ii + bi * ir;
        b[col + 2 * k] = xr;
        b[col + 2 * k + 1] = xi;
        for (int i = 0; i < k; i++) {
          int u = o + 2 * (k * n + i);
          b[col + 2 * i] -= lu[u] * xr - lu[u + 1] * xi;
          b[col + 2 * i + 1] -= lu[u] * xi + lu[u + 1] * xr;
        }
      }
    }
  }

  /** log |det A| from factors: Σ log |u_kk|. */
  public static double logAbsDeterminant(double[] lu, int o, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += Math.log(Math.hypot(lu[o + 2 * (k * n + k)], lu[o + 2 * (k * n + k) + 1]));
    }
    return s;
  }

  /** |re| + |im|, LAPACK's cabs1: orders entries as |z| does within a factor √2, and never overflows. */
  private static double abs1(double r, double i) {
    return Math.abs(r) + Math.abs(i);
  }

  /** Re 1/(re + i·im), by Smith's algorithm. */
  public static double reciprocalRe(double re, double im) {
    if (Math.abs(re) >= Math.abs(im)) {
      double t = im / re;
      return 1 / (re + im * t);
    }
    double t = re / im;
    return t / (im + re * t);
  }

  /** Im 1/(re + i·im), by Smith's algorithm. */
  public static double reciprocalIm(double re, double im) {
    if (Math.abs(re) >= Math.abs(im)) {
      double t = im / re;
      return -t / (re + im * t);
    }
    double t = re / im;
    return -1 / (im + re * t);
  }

  private static float reciprocalRe(float re, float im) {
    if (Math.abs(re) >= Math.abs(im)) {
      float t = im / re;
      return 1 / (re + im * t);
    }
    float t = re / im;
    return t / (im + re * t);
  }

  private static float reciprocalIm(float re, float im) {
    if (Math.abs(re) >= Math.abs(im)) {
      float t = im / re;
      return -t / (re + im * t);
    }
    float t = re / im;
    return -1 / (im + re * t);
  }

  private static void swap(float[] a, int x, int y) {
    float r = a[x];
    float i = a[x + 1];
    a[x] = a[y];
    a[x + 1] = a[y + 1];
    a[y] = r;
    a[y + 1] = i;
  }

  private static void swap(double[] a, int x, int y) {
    double r = a[x];
    double i = a[x + 1];
    a[x] = a[y];
    a[x + 1] = a[y + 1];
    a[y] = r;
    a[y + 1] = i;
  }
}
