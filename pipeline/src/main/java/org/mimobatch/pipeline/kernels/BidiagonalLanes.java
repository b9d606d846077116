package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Householder bidiagonalisation of small complex matrices, A = Q·B·Pᴴ with Q and P formed, one
 * matrix per lane of a SIMD register, as {@link SmallSpectra#svd} does one matrix at a time
 * (LAPACK's zgebd2 and zungbr). The reduction has no data-dependent control flow — a column or row
 * that needs no reflection gets τ = 0 in its lane — so a group of {@link #lanes()} matrices goes
 * through it in lockstep; the Golub–Kahan sweeps that follow converge differently and run one
 * matrix at a time ({@link SmallSpectra#svd(BidiagonalLanes, int, int, int, double[], int, double[],
 * int, double[], int)}).
 *
 * <p>Layout as {@link JacobiLanes}: lane l's entry (i, j), real and imaginary part, at
 * {@code ((j·rows + i)·2 + part)·lanes + l}. Matrices are decomposed as tall ones (Aᴴ when wide),
 * scaled by their largest entry. Needs the {@code jdk.incubator.vector} module
 * ({@link VectorModule#present()}); one instance per thread.
 */
public final class BidiagonalLanes extends TallLanes {
  private static final VectorSpecies<Double> SPECIES = Lanes.SPECIES;

  private final double[] q;
  private final double[] p;
  private final double[] tauq;
  private final double[] taup;
  private final double[] diagonal;
  private final double[] superdiagonal;

  /** Work arrays for matrices with at most {@code maxDim} rows and columns. */
  public BidiagonalLanes(int maxDim) {
    super(maxDim);
    q = new double[2 * maxDim * maxDim * LANES];
    p = new double[2 * maxDim * maxDim * LANES];
    tauq = new double[2 * maxDim * LANES];
    taup = new double[2 * maxDim * LANES];
    diagonal = new double[maxDim * LANES];
    superdiagonal = new double[maxDim * LANES];
  }

  /**
   * Reduces every lane's matrix (rows ≥ cols after {@link #load}) and, with {@code vectors}, forms
   * Q (rows×cols) and P (cols×cols).
   */
  public void reduce(int rows, int cols, boolean vectors) {
    for (int k = 0; k < cols; k++) {
      int col = 2 * (k * rows + k) * LANES;
      Lanes.reflector(a, col, 2 * LANES, rows - k, tauq, 2 * k * LANES, diagonal, k * LANES);
      if (k < cols - 1) {
        for (int j = k + 1; j < cols; j++) {
          reflect(a, 2 * (j * rows + k) * LANES, col, 2 * LANES, rows - k, tauq, k, true);
        }
        int row = 2 * ((k + 1) * rows + k) * LANES;
        int rlen = cols - k - 1;
        for (int j = 0; j < rlen; j++) {
          int x = row + (2 * j * rows + 1) * LANES;
          DoubleVector.fromArray(SPECIES, a, x).neg().intoArray(a, x);
        }
        Lanes.reflector(a, row, 2 * rows * LANES, rlen, taup, 2 * k * LANES, superdiagonal, k * LANES);
        applyRight(row, rlen, k + 1, rows);
      }
    }
    if (!vectors) {
      return;
    }
    // Q = H₀·…·H_{cols−1} and P = G₀·…·G_{cols−2}, accumulated backwards from the identity.
    identity(q, rows, cols);
    for (int k = cols - 1; k >= 0; k--) {
      for (int j = k; j < cols; j++) {
        reflect(q, 2 * (j * rows + k) * LANES, 2 * (k * rows + k) * LANES, 2 * LANES, rows - k, tauq, k, false);
      }
    }
    identity(p, cols, cols);
    for (int k = cols - 2; k >= 0; k--) {
      for (int j = k + 1; j < cols; j++) {
        reflect(p, 2 * (j * cols + k + 1) * LANES, 2 * ((k + 1) * rows + k) * LANES, 2 * rows * LANES,
            cols - k - 1, taup, k, false);
      }
    }
  }

  /**
   * Lane {@code lane}'s bidiagonal (d, e) and, unless {@code qColumns} is null, Q's columns (rows
   * long) and P's (cols long), as {@link SmallSpectra} keeps them; returns the factor the matrix
   * was divided by.
   */
  double extract(int lane, int rows, int cols, double[] d, double[] e, double[][] qColumns, double[][] pColumns) {
    for (int k = 0; k < cols; k++) {
      d[k] = diagonal[k * LANES + lane];
      e[k] = k < cols - 1 ? superdiagonal[k * LANES + lane] : 0;
      if (qColumns == null) {
        continue;
      }
      for (int x = 0; x < 2 * rows; x++) {
        qColumns[k][x] = q[(2 * k * rows + x) * LANES + lane];
      }
      for (int x = 0; x < 2 * cols; x++) {
        pColumns[k][x] = p[(2 * k * cols + x) * LANES + lane];
      }
    }
    return scale[lane];
  }

  private static void identity(double[] m, int rows, int cols) {
    java.util.Arrays.fill(m, 0, 2 * rows * cols * LANES, 0);
    for (int j = 0; j < cols; j++) {
      DoubleVector.broadcast(SPECIES, 1).intoArray(m, 2 * (j * rows + j) * LANES);
    }
  }

  /**
   * x ← x − τ·v·(vᴴx) for the {@code len} entries of the column of {@code m} at {@code c}, v the
   * reflector in {@link #a} at {@code v}, {@code step} apart; with {@code adjoint}, conj(τ) (that is,
   * Hᴴ) instead of τ.
   */
  private void reflect(double[] m, int c, int v, int step, int len, double[] tau, int k, boolean adjoint) {
    DoubleVector sr = DoubleVector.zero(SPECIES);
    DoubleVector si = DoubleVector.zero(SPECIES);
    for (int i = 0; i < len; i++) {
      DoubleVector vr = DoubleVector.fromArray(SPECIES, a, v + i * step);
      DoubleVector vi = DoubleVector.fromArray(SPECIES, a, v + i * step + LANES);
      DoubleVector xr = DoubleVector.fromArray(SPECIES, m, c + 2 * i * LANES);
      DoubleVector xi = DoubleVector.fromArray(SPECIES, m, c + (2 * i + 1) * LANES);
      sr = vr.fma(xr, vi.fma(xi, sr));
      si = vr.fma(xi, vi.neg().fma(xr, si));
    }
    DoubleVector tr = DoubleVector.fromArray(SPECIES, tau, 2 * k * LANES);
    DoubleVector ti = DoubleVector.fromArray(SPECIES, tau, (2 * k + 1) * LANES);
    if (adjoint) {
      ti = ti.neg();
    }
    DoubleVector fr = tr.fma(sr, ti.neg().mul(si));
    DoubleVector fi = tr.fma(si, ti.mul(sr));
    for (int i = 0; i < len; i++) {
      DoubleVector vr = DoubleVector.fromArray(SPECIES, a, v + i * step);
      DoubleVector vi = DoubleVector.fromArray(SPECIES, a, v + i * step + LANES);
      int x = c + 2 * i * LANES;
      DoubleVector xr = DoubleVector.fromArray(SPECIES, m, x);
      DoubleVector xi = DoubleVector.fromArray(SPECIES, m, x + LANES);
      vr.neg().fma(fr, vi.fma(fi, xr)).intoArray(m, x);
      vr.neg().fma(fi, vi.neg().fma(fr, xi)).intoArray(m, x + LANES);
    }
  }

  /**
   * C ← C − τ·(C·u)·uᴴ for C = A[k+1.., k+1..] (the rows below row k), u the row reflector of row k
   * at {@code u}, its entries {@code rows} complex apart, τ = taup[k].
   */
  private void applyRight(int u, int len, int firstCol, int rows) {
    int k = firstCol - 1;
    DoubleVector tr = DoubleVector.fromArray(SPECIES, taup, 2 * k * LANES);
    DoubleVector ti = DoubleVector.fromArray(SPECIES, taup, (2 * k + 1) * LANES);
    for (int i = k + 1; i < rows; i++) {
      DoubleVector sr = DoubleVector.zero(SPECIES);
      DoubleVector si = DoubleVector.zero(SPECIES);
      for (int j = 0; j < len; j++) {
        int c = 2 * ((firstCol + j) * rows + i) * LANES;
        int x = u + 2 * j * rows * LANES;
        DoubleVector cr = DoubleVector.fromArray(SPECIES, a, c);
        DoubleVector ci = DoubleVector.fromArray(SPECIES, a, c + LANES);
        DoubleVector ur = DoubleVector.fromArray(SPECIES, a, x);
        DoubleVector ui = DoubleVector.fromArray(SPECIES, a, x + LANES);
        sr = cr.fma(ur, ci.neg().fma(ui, sr));
        si = cr.fma(ui, ci.fma(ur, si));
      }
      DoubleVector fr = tr.fma(sr, ti.neg().mul(si));
      DoubleVector fi = tr.fma(si, ti.mul(sr));
      for (int j = 0; j < len; j++) {
        int c = 2 * ((firstCol + j) * rows + i) * LANES;
        int x = u + 2 * j * rows * LANES;
        DoubleVector ur = DoubleVector.fromArray(SPECIES, a, x);
        DoubleVector ui = DoubleVector.fromArray(SPECIES, a, x + LANES).neg();
        DoubleVector cr = DoubleVector.fromArray(SPECIES, a, c);
        DoubleVector ci = DoubleVector.fromArray(SPECIES, a, c + LANES);
        fr.neg().fma(ur, fi.fma(ui, cr)).intoArray(a, c);
        fr.neg().fma(ui, fi.neg().fma(ur, ci)).intoArray(a, c + LANES);
      }
    }
  }
}
