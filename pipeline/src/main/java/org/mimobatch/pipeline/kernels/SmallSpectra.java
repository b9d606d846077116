package org.mimobatch.pipeline.kernels;

/**
 * Eigenvalues of small Hermitian matrices and singular values of small complex matrices, without
 * vectors, by the direct route LAPACK takes — Householder reduction to a real tridiagonal
 * (?hetd2) or bidiagonal (?gebd2) form, then implicit QL on a real symmetric tridiagonal — but with
 * none of its per-call overhead. Singular values come from the Golub–Kahan form of the bidiagonal
 * B: the symmetric tridiagonal of order 2k with zero diagonal and off-diagonal (d₁, e₁, d₂, …, d_k)
 * has eigenvalues ±σ_i, so the same QL gives them with an absolute error of a few ε·‖A‖.
 *
 * <p>Inputs are scaled by their largest entry first, so squares neither overflow nor underflow.
 * Layout as in {@link org.mimobatch.pipeline.batch.ComplexBatch}. One instance per thread; nothing
 * is allocated per matrix.
 */
public final class SmallSpectra {
  private static final int MAX_QL_ITERATIONS = 60;
  private static final double EPS = Math.ulp(1.0) / 2;

  private final double[] a;
  private final double[] d;
  private final double[] e;
  private final double[] w;
  private final double[] t;

  /** Work arrays for matrices with at most {@code maxDim} rows and columns. */
  public SmallSpectra(int maxDim) {
    this.a = new double[2 * maxDim * maxDim];
    this.d = new double[2 * maxDim];
    this.e = new double[2 * maxDim];
    this.w = new double[2 * maxDim];
    this.t = new double[2 * maxDim];
  }

  /**
   * Eigenvalues, ascending, of the Hermitian n×n matrix at {@code src[so ..]}, reading only its
   * lower triangle, into {@code values[vo ..]}. Returns false when QL did not converge.
   */
  public boolean hermitianEigenvalues(double[] src, int so, int n, double[] values, int vo) {
    double scale = 0;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int x = so + 2 * (j * n + i);
        scale = Math.max(scale, Math.max(Math.abs(src[x]), Math.abs(src[x + 1])));
      }
    }
    if (scale == 0) {
      for (int i = 0; i < n; i++) {
        values[vo + i] = 0;
      }
      return true;
    }
    double inv = 1 / scale;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int x = 2 * (j * n + i);
        a[x] = src[so + x] * inv;
        a[x + 1] = i == j ? 0 : src[so + x + 1] * inv;
        int y = 2 * (i * n + j);
        a[y] = a[x];
        a[y + 1] = -a[x + 1];
      }
    }
    tridiagonalize(n);
    boolean ok = tridiagonalQl(d, e, n);
    sortAscending(d, n);
    for (int i = 0; i < n; i++) {
      values[vo + i] = d[i] * scale;
    }
    return ok;
  }

  /**
   * Singular values, descending, of the m×n matrix at {@code src[so ..]} into {@code s[off ..]}
   * (min(m, n) of them). Returns false when QL did not converge.
   */
  public boolean singularValues(double[] src, int so, int m, int n, double[] s, int off) {
    boolean wide = m < n;
    int rows = wide ? n : m;
    int cols = wide ? m : n;
    double scale = 0;
    for (int x = 0; x < 2 * m * n; x++) {
      scale = Math.max(scale, Math.abs(src[so + x]));
    }
    if (scale == 0) {
      for (int i = 0; i < cols; i++) {
        s[off + i] = 0;
      }
      return true;
    }
    double inv = 1 / scale;
    if (!wide) {
      for (int x = 0; x < 2 * m * n; x++) {
        a[x] = src[so + x] * inv;
      }
    } else {
      // Aᴴ has the same singular values and is tall.
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          int from = so + 2 * (j * m + i);
          int to = 2 * (i * n + j);
          a[to] = src[from] * inv;
          a[to + 1] = -src[from + 1] * inv;
        }
      }
    }
    bidiagonalize(rows, cols);
    // Golub–Kahan tridiagonal: zero diagonal, off-diagonal d₀, e₀, d₁, e₁, …, d_{k−1}.
    int len = 2 * cols;
    for (int i = 0; i < len; i++) {
      w[i] = 0;
      t[i] = 0;
    }
    for (int i = 0; i < cols; i++) {
      t[2 * i] = d[i];
      if (i < cols - 1) {
        t[2 * i + 1] = e[i];
      }
    }
    boolean ok = tridiagonalQl(w, t, len);
    sortAscending(w, len);
    // The largest k of ±σ are the σ (the rest their negatives).
    for (int i = 0; i < cols; i++) {
      s[off + i] = Math.max(0, w[len - 1 - i]) * scale;
    }
    return ok;
  }

  /**
   * Householder reduction of the Hermitian matrix in {@link #a} (both triangles stored) to the
   * real symmetric tridiagonal (d, e), as LAPACK's zhetd2 with uplo = 'L': step k finds H with
   * Hᴴ·x = (β, 0, …) for x = A[k+1.., k] and applies A₂₂ ← Hᴴ A₂₂ H as a rank-2 update.
   */
  private void tridiagonalize(int n) {
    for (int k = 0; k < n - 1; k++) {
      int len = n - k - 1;
      int col = 2 * (k * n + k + 1);
      d[k] = a[2 * (k * n + k)];
      double[] tau = reflector(col, 2, len);
      e[k] = beta;
      if (tau == null) {
        continue;
      }
      double tauRe = tau[0];
      double tauIm = tau[1];
      // w = τ·A₂₂·v over the trailing block (rows and columns k+1 .. n−1).
      int base = k + 1;
      for (int i = 0; i < len; i++) {
        double sumRe = 0;
        double sumIm = 0;
        for (int j = 0; j < len; j++) {
          int aij = 2 * ((base + j) * n + base + i);
          double ar = a[aij];
          double ai = a[aij + 1];
          double vr = a[col + 2 * j];
          double vi = a[col + 2 * j + 1];
          sumRe += ar * vr - ai * vi;
          sumIm += ar * vi + ai * vr;
        }
        w[2 * i] = tauRe * sumRe - tauIm * sumIm;
        w[2 * i + 1] = tauRe * sumIm + tauIm * sumRe;
      }
      // α₂ = −½·τ·(wᴴ v); w ← w + α₂·v.
      double dotRe = 0;
      double dotIm = 0;
      for (int i = 0; i < len; i++) {
        double wr = w[2 * i];
        double wi = w[2 * i + 1];
        double vr = a[col + 2 * i];
        double vi = a[col + 2 * i + 1];
        dotRe += wr * vr + wi * vi;
        dotIm += wr * vi - wi * vr;
      }
      double a2Re = -0.5 * (tauRe * dotRe - tauIm * dotIm);
      double a2Im = -0.5 * (tauRe * dotIm + tauIm * dotRe);
      for (int i = 0; i < len; i++) {
        double vr = a[col + 2 * i];
        double vi = a[col + 2 * i + 1];
        w[2 * i] += a2Re * vr - a2Im * vi;
        w[2 * i + 1] += a2Re * vi + a2Im * vr;
      }
      // A₂₂ ← A₂₂ − v·wᴴ − w·vᴴ.
      for (int j = 0; j < len; j++) {
        double vjr = a[col + 2 * j];
        double vji = a[col + 2 * j + 1];
        double wjr = w[2 * j];
        double wji = w[2 * j + 1];
        for (int i = 0; i < len; i++) {
          double vir = a[col + 2 * i];
          double vii = a[col + 2 * i + 1];
          double wir = w[2 * i];
          double wii = w[2 * i + 1];
          int aij = 2 * ((base + j) * n + base + i);
          // v_i·conj(w_j) + w_i·conj(v_j)
          a[aij] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
          a[aij + 1] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
        }
      }
    }
    d[n - 1] = a[2 * ((n - 1) * n + n - 1)];
    e[n - 1] = 0;
  }

  /**
   * Householder bidiagonalisation of the rows×cols (rows ≥ cols) matrix in {@link #a} to the real
   * upper bidiagonal (d, e), as LAPACK's zgebd2: a reflector from the left clears column k below
   * the diagonal, one from the right clears row k beyond the superdiagonal.
   */
  private void bidiagonalize(int rows, int cols) {
    for (int k = 0; k < cols; k++) {
      // Left: H with Hᴴ·A[k.., k] = (β, 0, …); apply Hᴴ = I − conj(τ)·v·vᴴ to A[k.., k+1..].
      int col = 2 * (k * rows + k);
      int len = rows - k;
      double[] tau = reflector(col, 2, len);
      d[k] = beta;
      if (tau != null && k < cols - 1) {
        applyLeft(col, len, k + 1, cols, rows, tau[0], -tau[1]);
      }
      if (k < cols - 1) {
        // Right: the conjugated row A[k, k+1..] gets its own reflector G, applied as A ← A·G with
        // G = I − τ·u·uᴴ for u the (conjugated) reflector vector.
        int row = 2 * ((k + 1) * rows + k);
        int rlen = cols - k - 1;
        for (int j = 0; j < rlen; j++) {
          a[row + 2 * j * rows + 1] = -a[row + 2 * j * rows + 1];
        }
        double[] taup = reflector(row, 2 * rows, rlen);
        e[k] = beta;
        if (taup != null) {
          applyRight(row, rlen, k + 1, rows, rows, taup[0], taup[1]);
        }
      }
    }
  }

  /** The β of the last {@link #reflector} call. */
  private double beta;
  private final double[] tauPair = new double[2];

  /**
   * zlarfg on the {@code len} entries at {@code a[at]}, {@code step} doubles apart: leaves v (v₀ = 1)
   * in place, sets {@link #beta}, and returns τ (re, im), or null when no reflection is needed.
   */
  private double[] reflector(int at, int step, int len) {
    double alphaRe = a[at];
    double alphaIm = a[at + 1];
    double xnorm2 = 0;
    for (int i = 1; i < len; i++) {
      int x = at + i * step;
      xnorm2 += a[x] * a[x] + a[x + 1] * a[x + 1];
    }
    if (xnorm2 == 0 && alphaIm == 0) {
      beta = alphaRe;
      a[at] = 1;
      return null;
    }
    beta = -Math.copySign(Math.sqrt(alphaRe * alphaRe + alphaIm * alphaIm + xnorm2), alphaRe);
    tauPair[0] = (beta - alphaRe) / beta;
    tauPair[1] = -alphaIm / beta;
    double dr = alphaRe - beta;
    double di = alphaIm;
    double den = dr * dr + di * di;
    double sr = dr / den;
    double si = -di / den;
    for (int i = 1; i < len; i++) {
      int x = at + i * step;
      double xr = a[x];
      double xi = a[x + 1];
      a[x] = xr * sr - xi * si;
      a[x + 1] = xr * si + xi * sr;
    }
    a[at] = 1;
    a[at + 1] = 0;
    return tauPair;
  }

  /** C ← C − τ·v·(vᴴ·C) for C = A[k.., from..to), v the column reflector at {@code a[v]}. */
  private void applyLeft(int v, int len, int from, int to, int rows, double tauRe, double tauIm) {
    int k = rows - len;
    for (int j = from; j < to; j++) {
      int c = 2 * (j * rows + k);
      double sr = 0;
      double si = 0;
      for (int i = 0; i < len; i++) {
        double vr = a[v + 2 * i];
        double vi = a[v + 2 * i + 1];
        double cr = a[c + 2 * i];
        double ci = a[c + 2 * i + 1];
        sr += vr * cr + vi * ci;
        si += vr * ci - vi * cr;
      }
      double fr = tauRe * sr - tauIm * si;
      double fi = tauRe * si + tauIm * sr;
      for (int i = 0; i < len; i++) {
        double vr = a[v + 2 * i];
        double vi = a[v + 2 * i + 1];
        a[c + 2 * i] -= vr * fr - vi * fi;
        a[c + 2 * i + 1] -= vr * fi + vi * fr;
      }
    }
  }

  /**
   * C ← C − τ·(C·u)·uᴴ for C = A[k+1.., k+1..] (rows below the reflector's row), u the row
   * reflector at {@code a[u]} with entries {@code rows} complex apart.
   */
  private void applyRight(int u, int len, int firstCol, int rows, int stride, double tauRe, double tauIm) {
    int k = firstCol - 1;
    for (int i = k + 1; i < rows; i++) {
      double sr = 0;
      double si = 0;
      for (int j = 0; j < len; j++) {
        int c = 2 * ((firstCol + j) * rows + i);
        double ur = a[u + 2 * j * stride];
        double ui = a[u + 2 * j * stride + 1];
        sr += a[c] * ur - a[c + 1] * ui;
        si += a[c] * ui + a[c + 1] * ur;
      }
      double fr = tauRe * sr - tauIm * si;
      double fi = tauRe * si + tauIm * sr;
      for (int j = 0; j < len; j++) {
        int c = 2 * ((firstCol + j) * rows + i);
        double ur = a[u + 2 * j * stride];
        double ui = -a[u + 2 * j * stride + 1];
        a[c] -= fr * ur - fi * ui;
        a[c + 1] -= fr * ui + fi * ur;
      }
    }
  }

  /**
   * Eigenvalues of the real symmetric tridiagonal with diagonal {@code dd[0..n)} and off-diagonal
   * {@code ee[0..n−1)} ({@code ee[n−1]} is scratch), by implicit QL with Wilkinson-type shifts;
   * overwrites {@code dd} with them, unordered. False if an eigenvalue took too many iterations.
   */
  static boolean tridiagonalQl(double[] dd, double[] ee, int n) {
    if (n > 0) {
      ee[n - 1] = 0;
    }
    for (int l = 0; l < n; l++) {
      int iter = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          double scale = Math.abs(dd[m]) + Math.abs(dd[m + 1]);
          if (Math.abs(ee[m]) <= EPS * scale) {
            break;
          }
        }
        if (m != l) {
          if (iter++ == MAX_QL_ITERATIONS) {
            return false;
          }
          double g = (dd[l + 1] - dd[l]) / (2 * ee[l]);
          // Math.hypot is exact but slow; the inputs are scaled, so plain square roots are safe here.
          double r = Math.abs(g) > 1e150 ? Math.abs(g) : Math.sqrt(g * g + 1);
          g = dd[m] - dd[l] + ee[l] / (g + Math.copySign(r, g));
          double s = 1;
          double c = 1;
          double p = 0;
          int i;
          boolean underflow = false;
          for (i = m - 1; i >= l; i--) {
            double f = s * ee[i];
            double b = c * ee[i];
            r = Math.sqrt(f * f + g * g);
            ee[i + 1] = r;
            if (r == 0) {
              dd[i + 1] -= p;
              ee[m] = 0;
              underflow = true;
              break;
            }
            s = f / r;
            c = g / r;
            g = dd[i + 1] - p;
            r = (dd[i] - g) * s + 2 * c * b;
            p = s * r;
            dd[i + 1] = g + p;
            g = c * r - b;
          }
          if (underflow) {
            continue;
          }
          dd[l] -= p;
          ee[l] = g;
          ee[m] = 0;
        }
      } while (m != l);
    }
    return true;
  }

  private static void sortAscending(double[] v, int n) {
    for (int i = 1; i < n; i++) {
      double x = v[i];
      int j = i - 1;
      while (j >= 0 && v[j] > x) {
        v[j + 1] = v[j];
        j--;
      }
      v[j + 1] = x;
    }
  }
}
