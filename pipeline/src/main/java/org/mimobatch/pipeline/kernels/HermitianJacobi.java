package org.mimobatch.pipeline.kernels;

/**
 * Eigendecomposition A = Z diag(w) Zᴴ of a complex Hermitian n×n matrix by cyclic Jacobi rotations,
 * in plain Java. Each rotation first turns the pivot a_pq real with a phase on column q, then zeroes
 * it with a real rotation (Rutishauser's formulas), so A stays exactly Hermitian in storage.
 * Eigenvalues ascend; eigenvectors are unitary to working precision. One instance per thread: the
 * work arrays are sized for n and reused.
 */
public final class HermitianJacobi {
  /** Sweeps after which a decomposition gives up (not converged). */
  public static final int MAX_SWEEPS = 60;
  private static final double EPS = Math.ulp(1.0);

  private final int n;
  private final int maxSweeps;
  private final double[] a;
  private final double[] v;
  private final double[] w;
  private final int[] order;

  /** The order of the matrices this instance decomposes. */
  public int order() {
    return n;
  }

  public HermitianJacobi(int n) {
    this(n, MAX_SWEEPS);
  }

  /** An instance that gives up after {@code maxSweeps} sweeps. */
  public HermitianJacobi(int n, int maxSweeps) {
    this.maxSweeps = maxSweeps;
    this.n = n;
    this.a = new double[2 * n * n];
    this.v = new double[2 * n * n];
    this.w = new double[n];
    this.order = new int[n];
  }

  /**
   * Decomposes the Hermitian matrix at {@code src[so ..]} (both triangles read, averaged); writes the
   * eigenvalues ascending to {@code values[vo ..]} and, when {@code vectors} is not null, the
   * eigenvectors as columns at {@code vectors[zo ..]}. Returns false if it did not converge.
   */
  public boolean decompose(double[] src, int so, double[] values, int vo, double[] vectors, int zo) {
    return decompose(src, so, values, vo, vectors, zo, false);
  }

  /**
   * As {@link #decompose(double[], int, double[], int, double[], int)}; with {@code lowerOnly} only
   * the lower triangle is read (the upper one mirrored from it, the diagonal's imaginary part
   * ignored), as LAPACK's ?heevd with uplo = 'L' does.
   */
  public boolean decompose(double[] src, int so, double[] values, int vo, double[] vectors, int zo, boolean lowerOnly) {
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        int x = 2 * (j * n + i);
        int t = 2 * (i * n + j);
        if (!lowerOnly) {
          a[x] = 0.5 * (src[so + x] + src[so + t]);
          a[x + 1] = 0.5 * (src[so + x + 1] - src[so + t + 1]);
        } else if (i >= j) {
          a[x] = src[so + x];
          a[x + 1] = i == j ? 0 : src[so + x + 1];
        } else {
          a[x] = src[so + t];
          a[x + 1] = -src[so + t + 1];
        }
      }
    }
    Cmat.setIdentity(v, 0, n);
    boolean converged = false;
    for (int sweep = 0; sweep < maxSweeps && !converged; sweep++) {
      converged = true;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          converged &= !rotate(p, q);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      w[i] = a[2 * (i * n + i)];
      order[i] = i;
    }
    // Insertion sort of the order by eigenvalue: n is small.
    for (int i = 1; i < n; i++) {
      int k = order[i];
      int j = i - 1;
      while (j >= 0 && w[order[j]] > w[k]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = k;
    }
    for (int i = 0; i < n; i++) {
      values[vo + i] = w[order[i]];
      if (vectors != null) {
        System.arraycopy(v, 2 * order[i] * n, vectors, zo + 2 * i * n, 2 * n);
      }
    }
    return converged;
  }

  /** One rotation in the (p, q) plane; returns false when the pivot was already negligible. */
  private boolean rotate(int p, int q) {
    int pq = 2 * (q * n + p);
    double re = a[pq];
    double im = a[pq + 1];
    // Not Math.hypot: it is several times slower, and entries of channel Gram matrices are far from
    // overflowing when squared.
    double mod = Math.sqrt(re * re + im * im);
    double app = a[2 * (p * n + p)];
    double aqq = a[2 * (q * n + q)];
    if (mod == 0 || mod <= EPS * 0.5 * Math.sqrt(Math.abs(app * aqq)) && mod <= EPS * (Math.abs(app) + Math.abs(aqq))) {
      return false;
    }
    // e^{-iα} with α = arg(a_pq): the phase that makes the pivot real.
    double er = re / mod;
    double ei = -im / mod;
    double theta = (aqq - app) / (2 * mod);
    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    // Columns p and q for every row r: a'_rp = c a_rp − s e a_rq, a'_rq = s a_rp + c e a_rq.
    for (int r = 0; r < n; r++) {
      if (r == p || r == q) {
        continue;
      }
      int rp = 2 * (p * n + r);
      int rq = 2 * (q * n + r);
      double xr = a[rp];
      double xi = a[rp + 1];
      double yr = a[rq] * er - a[rq + 1] * ei;
      double yi = a[rq] * ei + a[rq + 1] * er;
      double npr = c * xr - s * yr;
      double npi = c * xi - s * yi;
      double nqr = s * xr + c * yr;
      double nqi = s * xi + c * yi;
      a[rp] = npr;
      a[rp + 1] = npi;
      a[rq] = nqr;
      a[rq + 1] = nqi;
      // Hermitian mirror: a_pr = conj(a_rp), a_qr = conj(a_rq).
      int pr = 2 * (r * n + p);
      int qr = 2 * (r * n + q);
      a[pr] = npr;
      a[pr + 1] = -npi;
      a[qr] = nqr;
      a[qr + 1] = -nqi;
    }
    a[2 * (p * n + p)] = app - t * mod;
    a[2 * (p * n + p) + 1] = 0;
    a[2 * (q * n + q)] = aqq + t * mod;
    a[2 * (q * n + q) + 1] = 0;
    a[pq] = 0;
    a[pq + 1] = 0;
    a[2 * (p * n + q)] = 0;
    a[2 * (p * n + q) + 1] = 0;
    for (int r = 0; r < n; r++) {
      int rp = 2 * (p * n + r);
      int rq = 2 * (q * n + r);
      double xr = v[rp];
      double xi = v[rp + 1];
      double yr = v[rq] * er - v[rq + 1] * ei;
      double yi = v[rq] * ei + v[rq + 1] * er;
      v[rp] = c * xr - s * yr;
      v[rp + 1] = c * xi - s * yi;
      v[rq] = s * xr + c * yr;
      v[rq + 1] = s * xi + c * yi;
    }
    return true;
  }
}
