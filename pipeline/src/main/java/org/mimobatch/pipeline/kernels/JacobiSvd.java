package org.mimobatch.pipeline.kernels;

/**
 * Singular value decomposition of a small complex matrix by one-sided (Hestenes) Jacobi, in plain
 * Java: columns of W = A (Aᴴ when A is wide) are rotated pairwise until every pair is orthogonal to
 * working precision; then σ_j = ‖w_j‖, U's columns are w_j / σ_j, and V accumulates the rotations.
 * Like LAPACK's ?gesvj it computes small singular values to high relative accuracy. For a 2×2
 * matrix one rotation does it, which makes this the closed form there.
 *
 * <p>Each rotation makes the pair's inner product γ = w_pᴴ w_q real with a phase on w_q, then
 * zeroes it with a real rotation (tan θ from Rutishauser's formula); the column norms are carried
 * through the sweep and recomputed at the start of the next. The matrix is scaled by its largest
 * entry first, so squares neither overflow nor underflow.
 *
 * <p>Layout as in {@link org.mimobatch.pipeline.batch.ComplexBatch}: column-major, interleaved
 * (re, im). One instance per thread, sized for the largest order it will see; nothing is allocated
 * per matrix.
 */
public final class JacobiSvd {
  /** Sweeps before giving up; random complex matrices up to 64×64 need 6–10. */
  public static final int MAX_SWEEPS = 40;
  private static final double EPS = Math.ulp(1.0) / 2;

  private final double[] w;
  private final double[] v;
  private final double[] norms;
  private final double[] sigma;
  private final int[] order;

  /** Work arrays for matrices with at most {@code maxDim} rows and columns. */
  public JacobiSvd(int maxDim) {
    this.w = new double[2 * maxDim * maxDim];
    this.v = new double[2 * maxDim * maxDim];
    this.norms = new double[maxDim];
    this.sigma = new double[maxDim];
    this.order = new int[maxDim];
  }

  /**
   * Decomposes the m×n matrix at {@code a[ao ..]} (not modified). Writes the k = min(m, n) singular
   * values, descending, to {@code s[so ..]}; when {@code u} is not null, also the thin U (m×k) to
   * {@code u[uo ..]} and Vᴴ (k×n) to {@code vh[vo ..]}. Returns false when the sweeps ran out
   * before convergence (outputs are then the last iterate).
   */
  public boolean decompose(int m, int n, double[] a, int ao, double[] s, int so, double[] u, int uo, double[] vh,
      int vo) {
    boolean wide = m < n;
    int rows = wide ? n : m;
    int cols = wide ? m : n;
    double scale = load(a, ao, m, n, wide);
    boolean vectors = u != null;
    if (vectors) {
      Cmat.setIdentity(v, 0, cols);
    }
    boolean converged = scale == 0 || sweep(rows, cols, vectors);
    finish(rows, cols, scale, vectors);
    for (int j = 0; j < cols; j++) {
      s[so + j] = sigma[order[j]];
    }
    if (vectors) {
      // W's normalised columns are the left vectors of what was loaded, V the right ones; for a
      // wide A (loaded as Aᴴ) the roles swap: U_A = V and V_A = W.
      if (wide) {
        writeColumns(v, cols, cols, u, uo, m, false);      // U (m×m): columns of V
        writeColumns(w, rows, cols, vh, vo, cols, true);  // Vᴴ (m×n): rows are conj(columns of W)
      } else {
        writeColumns(w, rows, cols, u, uo, m, false);      // U (m×n)
        writeColumns(v, cols, cols, vh, vo, cols, true);  // Vᴴ (n×n)
      }
    }
    return converged;
  }

  /** Copies A (or Aᴴ) into W scaled by 1 / max |entry|; returns that scale (0 for a zero matrix). */
  private double load(double[] a, int ao, int m, int n, boolean transpose) {
    double max = 0;
    for (int x = 0; x < 2 * m * n; x++) {
      max = Math.max(max, Math.abs(a[ao + x]));
    }
    double inv = max == 0 ? 0 : 1 / max;
    if (!transpose) {
      for (int x = 0; x < 2 * m * n; x++) {
        w[x] = a[ao + x] * inv;
      }
    } else {
      // W = Aᴴ (n×m): W[j][i] = conj(A[i][j]).
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          int src = ao + 2 * (j * m + i);
          int dst = 2 * (i * n + j);
          w[dst] = a[src] * inv;
          w[dst + 1] = -a[src + 1] * inv;
        }
      }
    }
    return max;
  }

  /** Cyclic sweeps over all column pairs; true once a sweep rotates nothing. */
  private boolean sweep(int rows, int cols, boolean vectors) {
    double tol = Math.sqrt(rows) * EPS;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      for (int j = 0; j < cols; j++) {
        norms[j] = columnNorm2(w, rows, j);
      }
      boolean rotated = false;
      for (int p = 0; p < cols - 1; p++) {
        for (int q = p + 1; q < cols; q++) {
          double alpha = norms[p];
          double beta = norms[q];
          if (alpha == 0 || beta == 0) {
            continue;
          }
          // γ = w_pᴴ w_q
          int op = 2 * p * rows;
          int oq = 2 * q * rows;
          double gr = 0;
          double gi = 0;
          for (int i = 0; i < 2 * rows; i += 2) {
            double xr = w[op + i];
            double xi = w[op + i + 1];
            double yr = w[oq + i];
            double yi = w[oq + i + 1];
            gr += xr * yr + xi * yi;
            gi += xr * yi - xi * yr;
          }
          double g = Math.sqrt(gr * gr + gi * gi); // scaled input: no overflow, and far cheaper than hypot
          if (g <= tol * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * g);
          double t = Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          double c = 1 / Math.sqrt(1 + t * t);
          double sn = c * t;
          // e^{−iφ} = conj(γ) / |γ|
          double er = gr / g;
          double ei = -gi / g;
          rotate(w, op, oq, rows, c, sn, er, ei);
          if (vectors) {
            rotate(v, 2 * p * cols, 2 * q * cols, cols, c, sn, er, ei);
          }
          norms[p] = alpha - t * g;
          norms[q] = beta + t * g;
        }
      }
      if (!rotated) {
        return true;
      }
    }
    return false;
  }

  /** [x, y] ← [c·x − s·e·y, s·x + c·e·y] over {@code len} complex entries, e = er + i·ei. */
  private static void rotate(double[] m, int ox, int oy, int len, double c, double s, double er, double ei) {
    for (int i = 0; i < 2 * len; i += 2) {
      double xr = m[ox + i];
      double xi = m[ox + i + 1];
      double yr = m[oy + i];
      double yi = m[oy + i + 1];
      double eyr = er * yr - ei * yi;
      double eyi = er * yi + ei * yr;
      m[ox + i] = c * xr - s * eyr;
      m[ox + i + 1] = c * xi - s * eyi;
      m[oy + i] = s * xr + c * eyr;
      m[oy + i + 1] = s * xi + c * eyi;
    }
  }

  private static double columnNorm2(double[] m, int rows, int j) {
    int o = 2 * j * rows;
    double sum = 0;
    for (int i = 0; i < 2 * rows; i++) {
      sum += m[o + i] * m[o + i];
    }
    return sum;
  }

  /**
   * σ_j = ‖w_j‖ (times the scale), the descending order, and — for vectors — W's columns
   * normalised, with those of zero σ completed to an orthonormal set.
   */
  private void finish(int rows, int cols, double scale, boolean vectors) {
    for (int j = 0; j < cols; j++) {
      double nrm = Math.sqrt(columnNorm2(w, rows, j));
      sigma[j] = nrm * scale;
      order[j] = j;
      if (vectors && nrm > 0) {
        double inv = 1 / nrm;
        int o = 2 * j * rows;
        for (int i = 0; i < 2 * rows; i++) {
          w[o + i] *= inv;
        }
      }
    }
    for (int i = 1; i < cols; i++) {
      int k = order[i];
      int j = i - 1;
      while (j >= 0 && sigma[order[j]] < sigma[k]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = k;
    }
    if (vectors) {
      for (int j = 0; j < cols; j++) {
        if (sigma[j] == 0) {
          complete(rows, cols, j);
        }
      }
    }
  }

  /**
   * Replaces column {@code j} (of a zero singular value) by a unit vector orthogonal to every column
   * with a nonzero σ and to the completed ones before it: the unit vector e_i that keeps the most
   * norm after two Gram–Schmidt passes.
   */
  private void complete(int rows, int cols, int j) {
    int oj = 2 * j * rows;
    double best = -1;
    int bestI = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < rows; i++) {
        if (pass == 1 && i != bestI) {
          continue;
        }
        for (int x = 0; x < 2 * rows; x++) {
          w[oj + x] = 0;
        }
        w[oj + 2 * i] = 1;
        for (int round = 0; round < 2; round++) {
          for (int c = 0; c < cols; c++) {
            if (c == j || (sigma[c] == 0 && c > j)) {
              continue;
            }
            int oc = 2 * c * rows;
            double pr = 0;
            double pi = 0;
            for (int x = 0; x < 2 * rows; x += 2) {
              pr += w[oc + x] * w[oj + x] + w[oc + x + 1] * w[oj + x + 1];
              pi += w[oc + x] * w[oj + x + 1] - w[oc + x + 1] * w[oj + x];
            }
            for (int x = 0; x < 2 * rows; x += 2) {
              w[oj + x] -= pr * w[oc + x] - pi * w[oc + x + 1];
              w[oj + x + 1] -= pr * w[oc + x + 1] + pi * w[oc + x];
            }
          }
        }
        double nrm = Math.sqrt(columnNorm2(w, rows, j));
        if (pass == 0 && nrm > best) {
          best = nrm;
          bestI = i;
        }
      }
    }
    double inv = 1 / Math.sqrt(columnNorm2(w, rows, j));
    for (int x = 0; x < 2 * rows; x++) {
      w[oj + x] *= inv;
    }
  }

  /**
   * Writes the columns of {@code src} (rows × k, ordered by {@link #order}) to {@code dst}: as
   * columns of a rows-row matrix, or, with {@code conjugateRows}, as rows (conjugated) of a
   * k×rows matrix whose leading dimension is {@code dstRows}.
   */
  private void writeColumns(double[] src, int rows, int k, double[] dst, int off, int dstRows, boolean conjugateRows) {
    for (int j = 0; j < k; j++) {
      int o = 2 * order[j] * rows;
      if (!conjugateRows) {
        System.arraycopy(src, o, dst, off + 2 * j * rows, 2 * rows);
      } else {
        for (int i = 0; i < rows; i++) {
          // (row j, column i) of a k×rows matrix, column-major with leading dimension k.
          int d = off + 2 * (i * dstRows + j);
          dst[d] = src[o + 2 * i];
          dst[d + 1] = -src[o + 2 * i + 1];
        }
      }
    }
  }
}
