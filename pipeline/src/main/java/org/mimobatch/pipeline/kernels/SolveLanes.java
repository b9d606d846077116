package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A·X = B for small complex systems by Gaussian elimination with partial pivoting, one system per
 * lane of a SIMD register, as {@link Lu} does one system at a time. The pivot row differs from lane
 * to lane, so the pivot is found with comparisons and blends (the first row of largest
 * |re a_ik| + |im a_ik|, as LAPACK's izamax) and the row exchange is a blend of every candidate row
 * with row k; the pivot's reciprocal is taken with both parts scaled by the larger, so that no
 * square overflows or underflows (LAPACK's zladiv scales too); the rest —
 * eliminating on [A | B], then back substitution — is the same in every lane.
 *
 * <p>Layout as {@link JacobiLanes}: lane l's entry (i, j), real and imaginary part, at
 * {@code ((j·n + i)·2 + part)·lanes + l}, for A (n×n) and B (n×r, overwritten by X). A lane whose
 * pivot is exactly zero is singular ({@link #singular}); its X is meaningless. Needs the
 * {@code jdk.incubator.vector} module ({@link VectorModule#present()}); one instance per thread.
 */
public final class SolveLanes {
  private static final VectorSpecies<Double> SPECIES = Lanes.SPECIES;
  private static final int LANES = Lanes.COUNT;

  private final double[] a;
  private final double[] b;
  private final double[] inverse;
  private final double[] smallestPivot;

  /** Work arrays for systems of order at most {@code maxDim} with at most {@code maxRhs} right-hand sides. */
  public SolveLanes(int maxDim, int maxRhs) {
    a = new double[2 * maxDim * maxDim * LANES];
    b = new double[2 * maxDim * maxRhs * LANES];
    inverse = new double[2 * maxDim * LANES];
    smallestPivot = new double[LANES];
  }

  /** Systems per group. */
  public int lanes() {
    return LANES;
  }

  /** Loads A (n×n at {@code ad[ao ..]}) and B (n×r at {@code bd[bo ..]}) into {@code lane}. */
  public void load(int lane, double[] ad, int ao, double[] bd, int bo, int n, int r) {
    for (int e = 0; e < 2 * n * n; e++) {
      a[e * LANES + lane] = ad[ao + e];
    }
    for (int e = 0; e < 2 * n * r; e++) {
      b[e * LANES + lane] = bd[bo + e];
    }
  }

  /** Fills {@code lane} with the identity system I·X = 0 (a group with fewer systems than lanes). */
  public void clear(int lane, int n, int r) {
    for (int e = 0; e < 2 * n * n; e++) {
      a[e * LANES + lane] = 0;
    }
    for (int d = 0; d < n; d++) {
      a[2 * (d * n + d) * LANES + lane] = 1;
    }
    for (int e = 0; e < 2 * n * r; e++) {
      b[e * LANES + lane] = 0;
    }
  }

  /** X of {@code lane} (n×r) into {@code xd[xo ..]}. */
  public void solution(int lane, double[] xd, int xo, int n, int r) {
    for (int e = 0; e < 2 * n * r; e++) {
      xd[xo + e] = b[e * LANES + lane];
    }
  }

  /** Whether {@code lane} met an exactly zero pivot in the last {@link #solve}. */
  public boolean singular(int lane) {
    return !(smallestPivot[lane] > 0);
  }

  /** Solves every lane's n×n system for its r right-hand sides. */
  public void solve(int n, int r) {
    java.util.Arrays.fill(smallestPivot, Double.POSITIVE_INFINITY);
    for (int k = 0; k < n; k++) {
      pivot(k, n, r);
      eliminate(k, n, r);
    }
    backSubstitute(n, r);
  }

  /**
   * Brings the pivot row of column k to row k in every lane (columns k.. of A, all of B), stores
   * the pivot's reciprocal and keeps the smallest |re| + |im| of a pivot (zero in a singular lane). Vectors do
   * not leave this method, so that the JIT keeps them in registers.
   */
  private void pivot(int k, int n, int r) {
    DoubleVector best = abs1(a, 2 * (k * n + k) * LANES);
    DoubleVector row = DoubleVector.broadcast(SPECIES, k);
    for (int i = k + 1; i < n; i++) {
      DoubleVector m2 = abs1(a, 2 * (k * n + i) * LANES);
      VectorMask<Double> larger = m2.compare(VectorOperators.GT, best);
      best = best.blend(m2, larger);
      row = row.blend(i, larger);
    }
    if (row.reduceLanes(VectorOperators.MAX) > k) {
      for (int i = k + 1; i < n; i++) {
        VectorMask<Double> here = row.compare(VectorOperators.EQ, i);
        for (int j = k; j < n; j++) {
          exchange(a, 2 * (j * n + k) * LANES, 2 * (j * n + i) * LANES, here);
        }
        for (int c = 0; c < r; c++) {
          exchange(b, 2 * (c * n + k) * LANES, 2 * (c * n + i) * LANES, here);
        }
      }
    }
    int p = 2 * (k * n + k) * LANES;
    DoubleVector pr = DoubleVector.fromArray(SPECIES, a, p);
    DoubleVector pi = DoubleVector.fromArray(SPECIES, a, p + LANES);
    // 1/(pr + i·pi) = (a − i·b)/((a² + b²)·s) with a, b the parts over s = max(|pr|, |pi|).
    DoubleVector scale = pr.abs().max(pi.abs());
    DoubleVector sr = pr.div(scale);
    DoubleVector si = pi.div(scale);
    DoubleVector den = sr.fma(sr, si.mul(si)).mul(scale);
    sr.div(den).intoArray(inverse, 2 * k * LANES);
    si.neg().div(den).intoArray(inverse, (2 * k + 1) * LANES);
    DoubleVector.fromArray(SPECIES, smallestPivot, 0).min(best).intoArray(smallestPivot, 0);
  }

  /** Rows k and i of one column swap places in the lanes of {@code here}. */
  private static void exchange(double[] m, int x, int y, VectorMask<Double> here) {
    for (int part = 0; part < 2 * LANES; part += LANES) {
      DoubleVector u = DoubleVector.fromArray(SPECIES, m, x + part);
      DoubleVector v = DoubleVector.fromArray(SPECIES, m, y + part);
      u.blend(v, here).intoArray(m, x + part);
      v.blend(u, here).intoArray(m, y + part);
    }
  }

  /** Rows below k ← row − l·(row k), l = a_ik / a_kk, over columns k+1.. of A and all of B. */
  private void eliminate(int k, int n, int r) {
    DoubleVector ir = DoubleVector.fromArray(SPECIES, inverse, 2 * k * LANES);
    DoubleVector ii = DoubleVector.fromArray(SPECIES, inverse, (2 * k + 1) * LANES);
    for (int i = k + 1; i < n; i++) {
      int x = 2 * (k * n + i) * LANES;
      DoubleVector xr = DoubleVector.fromArray(SPECIES, a, x);
      DoubleVector xi = DoubleVector.fromArray(SPECIES, a, x + LANES);
      DoubleVector lr = xr.fma(ir, xi.neg().mul(ii));
      DoubleVector li = xr.fma(ii, xi.mul(ir));
      for (int j = k + 1; j < n; j++) {
        subtractProduct(a, 2 * (j * n + i) * LANES, lr, li, a, 2 * (j * n + k) * LANES);
      }
      for (int c = 0; c < r; c++) {
        subtractProduct(b, 2 * (c * n + i) * LANES, lr, li, b, 2 * (c * n + k) * LANES);
      }
    }
  }

  /** U·X = B' from the bottom: x_k = b_k / u_kk, then b_i −= u_ik·x_k above it. */
  private void backSubstitute(int n, int r) {
    for (int c = 0; c < r; c++) {
      for (int k = n - 1; k >= 0; k--) {
        int x = 2 * (c * n + k) * LANES;
        DoubleVector br = DoubleVector.fromArray(SPECIES, b, x);
        DoubleVector bi = DoubleVector.fromArray(SPECIES, b, x + LANES);
        DoubleVector ir = DoubleVector.fromArray(SPECIES, inverse, 2 * k * LANES);
        DoubleVector ii = DoubleVector.fromArray(SPECIES, inverse, (2 * k + 1) * LANES);
        DoubleVector xr = br.fma(ir, bi.neg().mul(ii));
        DoubleVector xi = br.fma(ii, bi.mul(ir));
        xr.intoArray(b, x);
        xi.intoArray(b, x + LANES);
        for (int i = 0; i < k; i++) {
          subtractProduct(b, 2 * (c * n + i) * LANES, xr, xi, a, 2 * (k * n + i) * LANES);
        }
      }
    }
  }

  /** m[t] −= (fr + i·fi)·m2[s], complex, in every lane. */
  private static void subtractProduct(double[] m, int t, DoubleVector fr, DoubleVector fi, double[] m2, int s) {
    DoubleVector sr = DoubleVector.fromArray(SPECIES, m2, s);
    DoubleVector si = DoubleVector.fromArray(SPECIES, m2, s + LANES);
    DoubleVector tr = DoubleVector.fromArray(SPECIES, m, t);
    DoubleVector ti = DoubleVector.fromArray(SPECIES, m, t + LANES);
    fr.neg().fma(sr, fi.fma(si, tr)).intoArray(m, t);
    fr.neg().fma(si, fi.neg().fma(sr, ti)).intoArray(m, t + LANES);
  }

  /** |re| + |im| in every lane. */
  private static DoubleVector abs1(double[] m, int x) {
    DoubleVector re = DoubleVector.fromArray(SPECIES, m, x);
    DoubleVector im = DoubleVector.fromArray(SPECIES, m, x + LANES);
    return re.abs().add(im.abs());
  }
}
