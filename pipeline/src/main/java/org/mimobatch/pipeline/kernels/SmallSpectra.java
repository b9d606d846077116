package org.mimobatch.pipeline.kernels;

/**
 * Eigenvalues of small Hermitian matrices and singular values of small complex matrices, without
 * vectors, by the direct route LAPACK takes — Householder reduction to a real tridiagonal
 * (?hetd2) or bidiagonal (?gebd2) form, then implicit QL on the tridiagonal or Golub–Kahan QR
 * sweeps on the bidiagonal — but with none of its per-call overhead. Both give the values with an
 * absolute error of a few ε·‖A‖.
 *
 * <p>Inputs are scaled by their largest entry first, so squares neither overflow nor underflow.
 * Layout as in {@link org.mimobatch.pipeline.batch.ComplexBatch}. One instance per thread; nothing
 * is allocated per matrix.
 */
public final class SmallSpectra {
  private static final int MAX_ITERATIONS = 60;
  private static final double EPS = Math.ulp(1.0) / 2;

  private final double[] a;
  private final double[] d;
  private final double[] e;
  private final double[] w;
  private final double[] rv;
  private final double[] tauq;
  private final double[] taup;
  /**
   * The accumulated transformations, one array per column: a rotation then combines two distinct
   * arrays at the same index, which C2 vectorises, where two offsets into one array defeat its
   * dependence analysis (about twice as fast at 8 complex rows).
   */
  private final double[][] q;
  private final double[][] p;
  private final int[] order;

  /** Work arrays for matrices with at most {@code maxDim} rows and columns. */
  public SmallSpectra(int maxDim) {
    this.a = new double[2 * maxDim * maxDim];
    this.d = new double[maxDim];
    this.e = new double[maxDim];
    this.w = new double[2 * maxDim];
    this.rv = new double[maxDim];
    this.tauq = new double[2 * maxDim];
    this.taup = new double[2 * maxDim];
    this.q = new double[maxDim][2 * maxDim];
    this.p = new double[maxDim][2 * maxDim];
    this.order = new int[maxDim];
  }

  /**
   * Eigenvalues, ascending, of the Hermitian n×n matrix at {@code src[so ..]}, reading only its
   * lower triangle, into {@code values[vo ..]}. Returns false when QL did not converge.
   */
  public boolean hermitianEigenvalues(double[] src, int so, int n, double[] values, int vo) {
    double scale = loadHermitian(src, so, n);
    tridiagonalize(n);
    return finishEigenvalues(n, scale, values, vo);
  }

  /**
   * As {@link #hermitianEigenvalues(double[], int, int, double[], int)} for lane {@code lane} of a
   * group already tridiagonalised by {@link TridiagonalLanes}: only QL and the ordering are left.
   */
  public boolean hermitianEigenvalues(TridiagonalLanes lanes, int lane, int n, double[] values, int vo) {
    return finishEigenvalues(n, lanes.extract(lane, n, d, e), values, vo);
  }

  /** Root-free QL on (d, e), then the eigenvalues, ascending and scaled back. */
  private boolean finishEigenvalues(int n, double scale, double[] values, int vo) {
    boolean ok = rootFreeQl(n);
    sortOrder(n, true);
    for (int i = 0; i < n; i++) {
      values[vo + i] = d[order[i]] * scale;
    }
    return ok;
  }

  /**
   * Eigendecomposition A = Z·diag(w)·Zᴴ of the Hermitian n×n matrix at {@code src[so ..]} (lower
   * triangle read): eigenvalues ascending to {@code values[vo ..]}, eigenvectors as the columns of
   * {@code z[zo ..]}. Tridiagonalisation A = Q·T·Qᴴ, Q formed from the reflectors, then implicit QL
   * on T with its rotations applied to Q's columns. Returns false when QL did not converge.
   */
  public boolean hermitianEigh(double[] src, int so, int n, double[] values, int vo, double[] z, int zo) {
    double scale = loadHermitian(src, so, n);
    tridiagonalize(n);
    return finishEigh(n, scale, values, vo, z, zo);
  }

  /**
   * As {@link #hermitianEigh(double[], int, int, double[], int, double[], int)} for lane {@code
   * lane} of a group already tridiagonalised by {@link TridiagonalLanes}: Q from its reflectors,
   * QL with the rotations applied to Q, and the ordering are left.
   */
  public boolean hermitianEigh(TridiagonalLanes lanes, int lane, int n, double[] values, int vo, double[] z,
      int zo) {
    return finishEigh(n, lanes.extract(lane, n, d, e, a, tauq), values, vo, z, zo);
  }

  private boolean finishEigh(int n, double scale, double[] values, int vo, double[] z, int zo) {
    // Q = H₀·…·H_{n−2}; H_k acts on indices k+1.. with v (v₀ = 1) in column k below the diagonal.
    identity(q, n, n);
    for (int k = n - 2; k >= 0; k--) {
      reflectColumns(q, k + 1, k + 1, n, 2 * (k * n + k + 1), 2, n - k - 1, tauq[2 * k], tauq[2 * k + 1]);
    }
    boolean ok = tridiagonalQl(n, true);
    sortOrder(n, true);
    for (int j = 0; j < n; j++) {
      values[vo + j] = d[order[j]] * scale;
      System.arraycopy(q[order[j]], 0, z, zo + 2 * j * n, 2 * n);
    }
    return ok;
  }

  /**
   * Singular values, descending, of the m×n matrix at {@code src[so ..]} into {@code s[off ..]}
   * (min(m, n) of them). Returns false when the sweeps did not converge.
   */
  public boolean singularValues(double[] src, int so, int m, int n, double[] s, int off) {
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    double scale = loadTall(src, so, m, n);
    bidiagonalize(rows, cols);
    return finishValues(rows, cols, scale, s, off);
  }

  /**
   * As {@link #singularValues(double[], int, int, int, double[], int)} for lane {@code lane} of a
   * group already bidiagonalised by {@link BidiagonalLanes}: only the sweeps and the ordering are
   * left.
   */
  public boolean singularValues(BidiagonalLanes lanes, int lane, int m, int n, double[] s, int off) {
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    double scale = lanes.extract(lane, rows, cols, d, e, null, null);
    return finishValues(rows, cols, scale, s, off);
  }

  /** The sweeps on (d, e), then the values, descending and scaled back. */
  private boolean finishValues(int rows, int cols, double scale, double[] s, int off) {
    boolean ok = bidiagonalSweeps(rows, cols, false);
    sortOrder(cols, false);
    for (int i = 0; i < cols; i++) {
      s[off + i] = d[order[i]] * scale;
    }
    return ok;
  }

  /**
   * Thin SVD of the m×n matrix at {@code src[so ..]}: the k = min(m, n) singular values,
   * descending, to {@code s[off ..]}, U (m×k) to {@code u[uo ..]} and Vᴴ (k×n) to {@code vh[vo ..]}.
   * A = Q·B·Pᴴ by Householder bidiagonalisation, Q and P formed from the reflectors, then the
   * Golub–Kahan sweeps on B with their rotations applied to Q's and P's columns. Returns false
   * when the sweeps did not converge.
   */
  public boolean svd(double[] src, int so, int m, int n, double[] s, int off, double[] u, int uo, double[] vh,
      int vo) {
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    double scale = loadTall(src, so, m, n);
    bidiagonalize(rows, cols);
    // Q = H₀·…·H_{cols−1} (rows×cols), P = G₀·…·G_{cols−2} (cols×cols), accumulated backwards.
    identity(q, rows, cols);
    for (int k = cols - 1; k >= 0; k--) {
      reflectColumns(q, k, k, cols, 2 * (k * rows + k), 2, rows - k, tauq[2 * k], tauq[2 * k + 1]);
    }
    identity(p, cols, cols);
    for (int k = cols - 2; k >= 0; k--) {
      reflectColumns(p, k + 1, k + 1, cols, 2 * ((k + 1) * rows + k), 2 * rows, cols - k - 1, taup[2 * k],
          taup[2 * k + 1]);
    }
    return finishSvd(m, n, scale, s, off, u, uo, vh, vo);
  }

  /**
   * As {@link #svd(double[], int, int, int, double[], int, double[], int, double[], int)} for lane
   * {@code lane} of a group already bidiagonalised, with Q and P formed, by {@link BidiagonalLanes}:
   * only the Golub–Kahan sweeps and the ordering are left.
   */
  public boolean svd(BidiagonalLanes lanes, int lane, int m, int n, double[] s, int off, double[] u, int uo,
      double[] vh, int vo) {
    double scale = lanes.extract(lane, Math.max(m, n), Math.min(m, n), d, e, q, p);
    return finishSvd(m, n, scale, s, off, u, uo, vh, vo);
  }

  /** The sweeps on (d, e) with their rotations applied to Q and P, then the ordered output. */
  private boolean finishSvd(int m, int n, double scale, double[] s, int off, double[] u, int uo, double[] vh,
      int vo) {
    boolean wide = m < n;
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    boolean ok = bidiagonalSweeps(rows, cols, true);
    sortOrder(cols, false);
    for (int j = 0; j < cols; j++) {
      s[off + j] = d[order[j]] * scale;
    }
    // Tall: U = Q·U_B, V = P·V_B. Wide (Aᴴ was decomposed): U_A = P·V_B, V_A = Q·U_B.
    double[][] left = wide ? p : q;
    int leftRows = wide ? cols : rows;
    double[][] right = wide ? q : p;
    int rightRows = wide ? rows : cols;
    for (int j = 0; j < cols; j++) {
      System.arraycopy(left[order[j]], 0, u, uo + 2 * j * leftRows, 2 * leftRows);
      double[] v = right[order[j]];
      for (int i = 0; i < rightRows; i++) {
        // Vᴴ (cols×rightRows): row j is conj(column j of V).
        int to = vo + 2 * (i * cols + j);
        vh[to] = v[2 * i];
        vh[to + 1] = -v[2 * i + 1];
      }
    }
    return ok;
  }

  /**
   * Copies the Hermitian matrix (lower triangle; the diagonal taken real) into {@link #a}
   * divided by its largest entry, which it returns (0 for a zero matrix, which stays zero).
   */
  private double loadHermitian(double[] src, int so, int n) {
    double scale = 0;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int x = so + 2 * (j * n + i);
        scale = Math.max(scale, Math.max(Math.abs(src[x]), Math.abs(src[x + 1])));
      }
    }
    double inv = scale == 0 ? 0 : 1 / scale;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int x = 2 * (j * n + i);
        a[x] = src[so + x] * inv;
        a[x + 1] = i == j ? 0 : src[so + x + 1] * inv;
      }
    }
    return scale;
  }

  /**
   * Copies the m×n matrix into {@link #a} as a tall one — itself, or Aᴴ when it is wide (same
   * singular values) — divided by its largest entry, which it returns.
   */
  private double loadTall(double[] src, int so, int m, int n) {
    double scale = 0;
    for (int x = 0; x < 2 * m * n; x++) {
      scale = Math.max(scale, Math.abs(src[so + x]));
    }
    double inv = scale == 0 ? 0 : 1 / scale;
    if (m >= n) {
      for (int x = 0; x < 2 * m * n; x++) {
        a[x] = src[so + x] * inv;
      }
    } else {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          int from = so + 2 * (j * m + i);
          int to = 2 * (i * n + j);
          a[to] = src[from] * inv;
          a[to + 1] = -src[from + 1] * inv;
        }
      }
    }
    return scale;
  }

  /** The first {@code cols} columns of the rows×rows identity into {@code m}. */
  private static void identity(double[][] m, int rows, int cols) {
    for (int j = 0; j < cols; j++) {
      java.util.Arrays.fill(m[j], 0, 2 * rows, 0);
      m[j][2 * j] = 1;
    }
  }

  /**
   * M[first.., firstCol..cols) ← H·M[first.., firstCol..cols) for H = I − τ·v·vᴴ, v the reflector
   * of {@code len} entries stored in {@link #a} at {@code v}, {@code step} doubles between entries;
   * M has {@code ld} rows. With Hᴴ's τ it is the left step of the bidiagonalisation.
   */
  private void reflectColumns(double[] m, int ld, int first, int firstCol, int cols, int v, int step, double tr,
      double ti) {
    if (tr == 0 && ti == 0) {
      return;
    }
    for (int j = firstCol; j < cols; j++) {
      reflect(m, 2 * (j * ld + first), v, step, ld - first, tr, ti);
    }
  }

  /**
   * As {@link #reflectColumns(double[], int, int, int, int, int, int, double, double)} on a matrix
   * stored as column arrays. With M = Q and firstCol = first, applied from the last reflector to
   * the first, this forms Q = H₀·H₁·… as LAPACK's ?ungbr does.
   */
  private void reflectColumns(double[][] m, int first, int firstCol, int cols, int v, int step, int len, double tr,
      double ti) {
    if (tr == 0 && ti == 0) {
      return;
    }
    for (int j = firstCol; j < cols; j++) {
      reflect(m[j], 2 * first, v, step, len, tr, ti);
    }
  }

  /** x ← x − τ·v·(vᴴx) for the {@code len} complex entries of x at {@code m[c ..]}. */
  private void reflect(double[] m, int c, int v, int step, int len, double tr, double ti) {
    double sr = 0;
    double si = 0;
    for (int i = 0; i < len; i++) {
      double vr = a[v + i * step];
      double vi = a[v + i * step + 1];
      sr += vr * m[c + 2 * i] + vi * m[c + 2 * i + 1];
      si += vr * m[c + 2 * i + 1] - vi * m[c + 2 * i];
    }
    double fr = tr * sr - ti * si;
    double fi = tr * si + ti * sr;
    for (int i = 0; i < len; i++) {
      double vr = a[v + i * step];
      double vi = a[v + i * step + 1];
      m[c + 2 * i] -= vr * fr - vi * fi;
      m[c + 2 * i + 1] -= vr * fi + vi * fr;
    }
  }

  /**
   * Householder reduction of the Hermitian matrix in {@link #a} (lower triangle and real diagonal
   * read) to the real symmetric tridiagonal (d, e), as LAPACK's zhetd2 with uplo = 'L': step k
   * finds H with Hᴴ·x = (β, 0, …) for x = A[k+1.., k] and applies A₂₂ ← Hᴴ A₂₂ H as a rank-2
   * update. Only the lower triangle of A₂₂ is read and updated, which halves the update.
   */
  private void tridiagonalize(int n) {
    for (int k = 0; k < n - 1; k++) {
      int len = n - k - 1;
      int col = 2 * (k * n + k + 1);
      d[k] = a[2 * (k * n + k)];
      double[] tau = reflector(col, 2, len);
      e[k] = beta;
      tauq[2 * k] = tau == null ? 0 : tau[0];
      tauq[2 * k + 1] = tau == null ? 0 : tau[1];
      if (tau == null) {
        continue;
      }
      double tauRe = tau[0];
      double tauIm = tau[1];
      int base = k + 1;
      // w = A₂₂·v from the lower triangle: A_ij·v_j goes to w_i and conj(A_ij)·v_i to w_j (i > j).
      java.util.Arrays.fill(w, 0, 2 * len, 0);
      for (int j = 0; j < len; j++) {
        int cj = 2 * ((base + j) * n + base);
        double vjr = a[col + 2 * j];
        double vji = a[col + 2 * j + 1];
        double ajj = a[cj + 2 * j];
        double sumRe = ajj * vjr;
        double sumIm = ajj * vji;
        for (int i = j + 1; i < len; i++) {
          double ar = a[cj + 2 * i];
          double ai = a[cj + 2 * i + 1];
          double vir = a[col + 2 * i];
          double vii = a[col + 2 * i + 1];
          w[2 * i] += ar * vjr - ai * vji;
          w[2 * i + 1] += ar * vji + ai * vjr;
          sumRe += ar * vir + ai * vii;
          sumIm += ar * vii - ai * vir;
        }
        w[2 * j] += sumRe;
        w[2 * j + 1] += sumIm;
      }
      // w ← τ·w; α₂ = −½·τ·(wᴴ v); w ← w + α₂·v.
      double dotRe = 0;
      double dotIm = 0;
      for (int i = 0; i < len; i++) {
        double sr = w[2 * i];
        double si = w[2 * i + 1];
        double wr = tauRe * sr - tauIm * si;
        double wi = tauRe * si + tauIm * sr;
        w[2 * i] = wr;
        w[2 * i + 1] = wi;
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
      // A₂₂ ← A₂₂ − v·wᴴ − w·vᴴ on and below the diagonal.
      for (int j = 0; j < len; j++) {
        double vjr = a[col + 2 * j];
        double vji = a[col + 2 * j + 1];
        double wjr = w[2 * j];
        double wji = w[2 * j + 1];
        int cj = 2 * ((base + j) * n + base);
        for (int i = j; i < len; i++) {
          double vir = a[col + 2 * i];
          double vii = a[col + 2 * i + 1];
          double wir = w[2 * i];
          double wii = w[2 * i + 1];
          // v_i·conj(w_j) + w_i·conj(v_j)
          a[cj + 2 * i] -= vir * wjr + vii * wji + wir * vjr + wii * vji;
          a[cj + 2 * i + 1] -= vii * wjr - vir * wji + wii * vjr - wir * vji;
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
      tauq[2 * k] = tau == null ? 0 : tau[0];
      tauq[2 * k + 1] = tau == null ? 0 : tau[1];
      if (tau != null && k < cols - 1) {
        reflectColumns(a, rows, k, k + 1, cols, col, 2, tau[0], -tau[1]);
      }
      if (k < cols - 1) {
        // Right: the conjugated row A[k, k+1..] gets its own reflector G, applied as A ← A·G with
        // G = I − τ·u·uᴴ for u the (conjugated) reflector vector.
        int row = 2 * ((k + 1) * rows + k);
        int rlen = cols - k - 1;
        for (int j = 0; j < rlen; j++) {
          a[row + 2 * j * rows + 1] = -a[row + 2 * j * rows + 1];
        }
        double[] tp = reflector(row, 2 * rows, rlen);
        e[k] = beta;
        taup[2 * k] = tp == null ? 0 : tp[0];
        taup[2 * k + 1] = tp == null ? 0 : tp[1];
        if (tp != null) {
          applyRight(row, rlen, k + 1, rows, rows, tp[0], tp[1]);
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
    if (xnorm2 == 0 && alphaIm == 0 || alphaRe * alphaRe + alphaIm * alphaIm + xnorm2 < Lanes.NEGLIGIBLE) {
      // Nothing to reflect, or a vector so small against the scaled matrix that its reflector
      // would divide by an underflowed |α − β|²: taken as (real α, 0, …).
      beta = alphaRe;
      a[at] = 1;
      for (int i = 1; i < len; i++) {
        a[at + i * step] = 0;
        a[at + i * step + 1] = 0;
      }
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
   * The singular values of the upper bidiagonal (d[0..n), e[0..n−1)) by Golub–Kahan implicit-shift
   * QR sweeps, deflating where a superdiagonal entry falls below ε·‖B‖ and first chasing out a
   * negligible diagonal entry; leaves them, non-negative and unordered, in d. With
   * {@code vectors}, every rotation from the left is applied to the columns of Q (rows long) and
   * every one from the right to those of P (n long). The accuracy is absolute, ε·‖B‖, as LAPACK's
   * ?bdsqr without its relative-accuracy mode. False if a value took too many sweeps.
   */
  private boolean bidiagonalSweeps(int rows, int n, boolean vectors) {
    // rv[i] couples i−1 and i (rv[0] = 0), as the classical formulation indexes it.
    rv[0] = 0;
    double anorm = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        rv[i] = e[i - 1];
      }
      anorm = Math.max(anorm, Math.abs(d[i]) + Math.abs(rv[i]));
    }
    double tiny = EPS * anorm;
    for (int k = n - 1; k >= 0; k--) {
      for (int its = 0; ; its++) {
        boolean cancel = true;
        int l;
        int nm = 0;
        for (l = k; l >= 0; l--) {
          nm = l - 1;
          if (l == 0 || Math.abs(rv[l]) <= tiny) {
            cancel = false;
            break;
          }
          if (Math.abs(d[nm]) <= tiny) {
            break;
          }
        }
        if (cancel) {
          // d[nm] is negligible: rotate rv[l] away against the rows below.
          double c = 0;
          double sn = 1;
          for (int i = l; i <= k; i++) {
            double f = sn * rv[i];
            rv[i] = c * rv[i];
            if (Math.abs(f) <= tiny) {
              break;
            }
            double g = d[i];
            double h = Math.sqrt(f * f + g * g);
            d[i] = h;
            c = g / h;
            sn = -f / h;
            if (vectors) {
              rotate(q[nm], q[i], 2 * rows, c, sn);
            }
          }
        }
        double z = d[k];
        if (l == k) {
          if (z < 0) {
            d[k] = -z;
            if (vectors) {
              double[] column = p[k];
              for (int x = 0; x < 2 * n; x++) {
                column[x] = -column[x];
              }
            }
          }
          break;
        }
        if (its == MAX_ITERATIONS) {
          return false;
        }
        // Shift from the trailing 2×2 of BᵀB, then one implicit QR sweep from l to k.
        double x = d[l];
        nm = k - 1;
        double y = d[nm];
        double g = rv[nm];
        double h = rv[k];
        double f = ((y - z) * (y + z) + (g - h) * (g + h)) / (2 * h * y);
        // Math.hypot is exact but slow; the inputs are scaled, so plain square roots are safe here.
        g = Math.abs(f) > 1e150 ? Math.abs(f) : Math.sqrt(f * f + 1);
        f = ((x - z) * (x + z) + h * ((y / (f + Math.copySign(g, f))) - h)) / x;
        double c = 1;
        double sn = 1;
        for (int j = l; j <= nm; j++) {
          int i = j + 1;
          g = rv[i];
          y = d[i];
          h = sn * g;
          g = c * g;
          z = Math.sqrt(f * f + h * h);
          rv[j] = z;
          c = f / z;
          sn = h / z;
          f = x * c + g * sn;
          g = g * c - x * sn;
          h = y * sn;
          y *= c;
          if (vectors) {
            rotate(p[j], p[i], 2 * n, c, sn);
          }
          z = Math.sqrt(f * f + h * h);
          d[j] = z;
          if (z != 0) {
            c = f / z;
            sn = h / z;
          }
          f = c * g + sn * y;
          x = c * y - sn * g;
          if (vectors) {
            rotate(q[j], q[i], 2 * rows, c, sn);
          }
        }
        rv[l] = 0;
        rv[k] = f;
        d[k] = x;
      }
    }
    return true;
  }

  /** Two columns (x, y), {@code len} doubles each, ← (x·c + y·s, y·c − x·s). */
  private static void rotate(double[] x, double[] y, int len, double c, double s) {
    for (int i = 0; i < len; i++) {
      double u = x[i];
      double v = y[i];
      x[i] = u * c + v * s;
      y[i] = v * c - u * s;
    }
  }

  /**
   * The eigenvalues of the real symmetric tridiagonal (d[0..n), e[0..n−1)), unordered, into d, by
   * implicit QL with Wilkinson-type shifts; with {@code vectors}, every rotation is also applied to
   * the columns of Q (n×n). False if an eigenvalue took too many iterations.
   */
  private boolean tridiagonalQl(int n, boolean vectors) {
    e[n - 1] = 0;
    for (int l = 0; l < n; l++) {
      int iter = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          if (Math.abs(e[m]) <= EPS * (Math.abs(d[m]) + Math.abs(d[m + 1]))) {
            break;
          }
        }
        if (m != l) {
          if (iter++ == MAX_ITERATIONS) {
            return false;
          }
          double g = (d[l + 1] - d[l]) / (2 * e[l]);
          double r = Math.abs(g) > 1e150 ? Math.abs(g) : Math.sqrt(g * g + 1);
          g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
          double sn = 1;
          double c = 1;
          double shift = 0;
          boolean underflow = false;
          for (int i = m - 1; i >= l; i--) {
            double f = sn * e[i];
            double b = c * e[i];
            r = Math.sqrt(f * f + g * g);
            e[i + 1] = r;
            if (r == 0) {
              d[i + 1] -= shift;
              e[m] = 0;
              underflow = true;
              break;
            }
            sn = f / r;
            c = g / r;
            g = d[i + 1] - shift;
            r = (d[i] - g) * sn + 2 * c * b;
            shift = sn * r;
            d[i + 1] = g + shift;
            g = c * r - b;
            if (vectors) {
              // Columns i, i+1 of Q: (x, y) ← (c·x − s·y, s·x + c·y).
              rotate(q[i], q[i + 1], 2 * n, c, -sn);
            }
          }
          if (underflow) {
            continue;
          }
          d[l] -= shift;
          e[l] = g;
          e[m] = 0;
        }
      } while (m != l);
    }
    return true;
  }

  /**
   * The eigenvalues of the real symmetric tridiagonal (d, e), unordered, into d, by the
   * Pal–Walker–Kahan root-free variant of implicit QL (LAPACK's ?sterf): it iterates on the squares
   * of the off-diagonal, so a rotation costs two divisions and no square root. An off-diagonal
   * entry is dropped once its square is below ε²·|d_m·d_{m+1}| (relative) or ε²·‖T‖² (absolute,
   * which is all the contract asks and keeps zero eigenvalues from stalling). False if an
   * eigenvalue took too many iterations.
   */
  private boolean rootFreeQl(int n) {
    double norm = 0;
    for (int i = 0; i < n; i++) {
      norm = Math.max(norm, Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0) + (i > 0 ? Math.abs(e[i - 1]) : 0));
    }
    double eps2 = EPS * EPS;
    double absolute = eps2 * norm * norm;
    for (int i = 0; i < n - 1; i++) {
      e[i] *= e[i];
    }
    e[n - 1] = 0;
    int l = 0;
    int iterations = 0;
    while (l < n) {
      int m;
      for (m = l; m < n - 1; m++) {
        if (e[m] <= eps2 * Math.abs(d[m] * d[m + 1]) || e[m] <= absolute) {
          break;
        }
      }
      if (m < n - 1) {
        e[m] = 0;
      }
      if (m == l) {
        l++;
        continue;
      }
      if (m == l + 1) {
        // A 2×2 block: its eigenvalues in closed form.
        double a = d[l];
        double c = d[l + 1];
        double half = 0.5 * (a - c);
        double root = Math.sqrt(half * half + e[l]);
        double mid = 0.5 * (a + c);
        d[l] = mid + root;
        d[l + 1] = mid - root;
        e[l] = 0;
        l += 2;
        continue;
      }
      if (iterations++ == MAX_ITERATIONS * n) {
        return false;
      }
      double p = d[l];
      double rte = Math.sqrt(e[l]);
      double sigma = (d[l + 1] - p) / (2 * rte);
      double r = Math.abs(sigma) > 1e150 ? Math.abs(sigma) : Math.sqrt(sigma * sigma + 1);
      sigma = p - rte / (sigma + Math.copySign(r, sigma));
      double c = 1;
      double s = 0;
      double gamma = d[m] - sigma;
      p = gamma * gamma;
      for (int i = m - 1; i >= l; i--) {
        double bb = e[i];
        r = p + bb;
        if (i != m - 1) {
          e[i + 1] = s * r;
        }
        double oldc = c;
        c = p / r;
        s = bb / r;
        // γ²/c = γ²·(r/p): r/p is divided alongside c instead of after γ, off the critical path.
        double rOverP = r / p;
        double oldgam = gamma;
        double alpha = d[i];
        gamma = c * (alpha - sigma) - s * oldgam;
        d[i + 1] = oldgam + (alpha - gamma);
        p = rOverP <= Double.MAX_VALUE ? gamma * gamma * rOverP : oldc * bb;
      }
      e[l] = s * p;
      d[l] = sigma + gamma;
    }
    return true;
  }

  /** {@link #order} = 0..n−1 sorted by d, ascending or descending. */
  private void sortOrder(int n, boolean ascending) {
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    for (int i = 1; i < n; i++) {
      int k = order[i];
      int j = i - 1;
      while (j >= 0 && (ascending ? d[order[j]] > d[k] : d[order[j]] < d[k])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = k;
    }
  }
}
