package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Householder reduction of small Hermitian matrices to real symmetric tridiagonal form, one matrix
 * per lane of a SIMD register, as {@link SmallSpectra} does one matrix at a time (LAPACK's zhetd2,
 * lower triangle). The reduction has no data-dependent control flow — a column that needs no
 * reflection gets τ = 0 in its lane — so a group of {@link #lanes()} matrices goes through it in
 * lockstep; the tridiagonal eigenproblems that follow converge differently and are left to
 * {@link SmallSpectra}, one matrix at a time, with the reflectors for the eigenvectors' Q where
 * they are wanted.
 *
 * <p>Layout as {@link JacobiLanes}: lane l's entry (i, j), real and imaginary part, at
 * {@code ((j·n + i)·2 + part)·lanes + l}. Each matrix is scaled by its largest entry first. Needs
 * the {@code jdk.incubator.vector} module ({@link VectorModule#present()}); one instance per thread.
 */
public final class TridiagonalLanes {
  private static final VectorSpecies<Double> SPECIES = Lanes.SPECIES;
  private static final int LANES = Lanes.COUNT;

  private final double[] a;
  private final double[] w;
  /** Step k's τ at 2k·lanes, (re, im) lanes apart: kept for the eigenvectors' Q. */
  private final double[] taus;
  private final double[] scale;
  private final double[] diagonal;
  private final double[] offDiagonal;

  /** Work arrays for matrices of order at most {@code maxDim}. */
  public TridiagonalLanes(int maxDim) {
    a = new double[2 * maxDim * maxDim * LANES];
    w = new double[2 * maxDim * LANES];
    taus = new double[2 * maxDim * LANES];
    scale = new double[LANES];
    diagonal = new double[maxDim * LANES];
    offDiagonal = new double[maxDim * LANES];
  }

  /** Matrices per group. */
  public int lanes() {
    return LANES;
  }

  /**
   * Loads the lower triangle of the Hermitian n×n matrix at {@code src[so ..]} (its diagonal taken
   * real) into {@code lane}, divided by its largest entry.
   */
  public void load(int lane, double[] src, int so, int n) {
    double max = 0;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int x = so + 2 * (j * n + i);
        max = Math.max(max, Math.max(Math.abs(src[x]), Math.abs(src[x + 1])));
      }
    }
    scale[lane] = max;
    double inv = max == 0 ? 0 : 1 / max;
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        int e = j * n + i;
        a[2 * e * LANES + lane] = src[so + 2 * e] * inv;
        a[(2 * e + 1) * LANES + lane] = i == j ? 0 : src[so + 2 * e + 1] * inv;
      }
    }
  }

  /** Fills {@code lane} with a zero matrix (a group with fewer matrices than lanes). */
  public void clear(int lane, int n) {
    scale[lane] = 0;
    Lanes.clear(a, lane, n * n);
  }

  /**
   * The diagonal (n) and off-diagonal (n − 1) of lane's tridiagonal form, scaled, into d and e, as
   * {@link SmallSpectra} keeps them; returns the factor the matrix was divided by.
   */
  double extract(int lane, int n, double[] d, double[] e) {
    for (int k = 0; k < n; k++) {
      d[k] = diagonal[k * LANES + lane];
      e[k] = k < n - 1 ? offDiagonal[k * LANES + lane] : 0;
    }
    return scale[lane];
  }

  /**
   * As {@link #extract(int, int, double[], double[])}, also copying lane's reflectors for Q = H₀·…·H_{n−2}
   * as {@link SmallSpectra} keeps them: v of step k (v₀ = 1) in column k of {@code v} below the
   * diagonal (n×n, column-major, interleaved complex), τ_k at {@code tau[2k ..]}.
   */
  double extract(int lane, int n, double[] d, double[] e, double[] v, double[] tau) {
    for (int k = 0; k < n - 1; k++) {
      for (int i = k + 1; i < n; i++) {
        int x = 2 * (k * n + i);
        v[x] = a[x * LANES + lane];
        v[x + 1] = a[(x + 1) * LANES + lane];
      }
      tau[2 * k] = taus[2 * k * LANES + lane];
      tau[2 * k + 1] = taus[(2 * k + 1) * LANES + lane];
    }
    return extract(lane, n, d, e);
  }

  /** Reduces every lane's n×n matrix. */
  public void reduce(int n) {
    for (int k = 0; k < n - 1; k++) {
      step(k, n);
    }
    DoubleVector.fromArray(SPECIES, a, 2 * ((n - 1) * n + n - 1) * LANES).intoArray(diagonal, (n - 1) * LANES);
  }

  /**
   * Step k: the reflector H with Hᴴ·x = (β, 0, …) for x = A[k+1.., k] (zlarfg), then
   * A₂₂ ← Hᴴ A₂₂ H as a rank-2 update of the lower triangle. v (v₀ = 1) is left in column k.
   */
  private void step(int k, int n) {
    int len = n - k - 1;
    int col = 2 * (k * n + k + 1) * LANES;
    int base = k + 1;
    DoubleVector.fromArray(SPECIES, a, 2 * (k * n + k) * LANES).intoArray(diagonal, k * LANES);
    int t = 2 * k * LANES;
    Lanes.reflector(a, col, 2 * LANES, len, taus, t, offDiagonal, k * LANES);
    DoubleVector tauRe = DoubleVector.fromArray(SPECIES, taus, t);
    DoubleVector tauIm = DoubleVector.fromArray(SPECIES, taus, t + LANES);

    // w = A₂₂·v from the lower triangle: A_ij·v_j to w_i and conj(A_ij)·v_i to w_j (i > j).
    java.util.Arrays.fill(w, 0, 2 * len * LANES, 0);
    for (int j = 0; j < len; j++) {
      int cj = 2 * ((base + j) * n + base) * LANES;
      DoubleVector vjr = DoubleVector.fromArray(SPECIES, a, col + 2 * j * LANES);
      DoubleVector vji = DoubleVector.fromArray(SPECIES, a, col + (2 * j + 1) * LANES);
      DoubleVector ajj = DoubleVector.fromArray(SPECIES, a, cj + 2 * j * LANES);
      DoubleVector sumRe = ajj.mul(vjr);
      DoubleVector sumIm = ajj.mul(vji);
      for (int i = j + 1; i < len; i++) {
        DoubleVector ar = DoubleVector.fromArray(SPECIES, a, cj + 2 * i * LANES);
        DoubleVector ai = DoubleVector.fromArray(SPECIES, a, cj + (2 * i + 1) * LANES);
        DoubleVector vir = DoubleVector.fromArray(SPECIES, a, col + 2 * i * LANES);
        DoubleVector vii = DoubleVector.fromArray(SPECIES, a, col + (2 * i + 1) * LANES);
        int wi = 2 * i * LANES;
        DoubleVector wr = DoubleVector.fromArray(SPECIES, w, wi);
        DoubleVector wim = DoubleVector.fromArray(SPECIES, w, wi + LANES);
        ar.fma(vjr, ai.neg().fma(vji, wr)).intoArray(w, wi);
        ar.fma(vji, ai.fma(vjr, wim)).intoArray(w, wi + LANES);
        sumRe = ar.fma(vir, ai.fma(vii, sumRe));
        sumIm = ar.fma(vii, ai.neg().fma(vir, sumIm));
      }
      int wj = 2 * j * LANES;
      DoubleVector.fromArray(SPECIES, w, wj).add(sumRe).intoArray(w, wj);
      DoubleVector.fromArray(SPECIES, w, wj + LANES).add(sumIm).intoArray(w, wj + LANES);
    }
    // w ← τ·w; α₂ = −½·τ·(wᴴ v); w ← w + α₂·v.
    DoubleVector dotRe = DoubleVector.zero(SPECIES);
    DoubleVector dotIm = DoubleVector.zero(SPECIES);
    for (int i = 0; i < len; i++) {
      int wi = 2 * i * LANES;
      DoubleVector pr = DoubleVector.fromArray(SPECIES, w, wi);
      DoubleVector pi = DoubleVector.fromArray(SPECIES, w, wi + LANES);
      DoubleVector wr = tauRe.fma(pr, tauIm.neg().mul(pi));
      DoubleVector wim = tauRe.fma(pi, tauIm.mul(pr));
      wr.intoArray(w, wi);
      wim.intoArray(w, wi + LANES);
      DoubleVector vr = DoubleVector.fromArray(SPECIES, a, col + 2 * i * LANES);
      DoubleVector vi = DoubleVector.fromArray(SPECIES, a, col + (2 * i + 1) * LANES);
      dotRe = wr.fma(vr, wim.fma(vi, dotRe));
      dotIm = wr.fma(vi, wim.neg().fma(vr, dotIm));
    }
    DoubleVector a2Re = tauRe.fma(dotRe, tauIm.neg().mul(dotIm)).mul(-0.5);
    DoubleVector a2Im = tauRe.fma(dotIm, tauIm.mul(dotRe)).mul(-0.5);
    for (int i = 0; i < len; i++) {
      int wi = 2 * i * LANES;
      DoubleVector vr = DoubleVector.fromArray(SPECIES, a, col + 2 * i * LANES);
      DoubleVector vi = DoubleVector.fromArray(SPECIES, a, col + (2 * i + 1) * LANES);
      DoubleVector wr = DoubleVector.fromArray(SPECIES, w, wi);
      DoubleVector wim = DoubleVector.fromArray(SPECIES, w, wi + LANES);
      a2Re.fma(vr, a2Im.neg().fma(vi, wr)).intoArray(w, wi);
      a2Re.fma(vi, a2Im.fma(vr, wim)).intoArray(w, wi + LANES);
    }
    // A₂₂ ← A₂₂ − v·wᴴ − w·vᴴ on and below the diagonal.
    for (int j = 0; j < len; j++) {
      DoubleVector vjr = DoubleVector.fromArray(SPECIES, a, col + 2 * j * LANES);
      DoubleVector vji = DoubleVector.fromArray(SPECIES, a, col + (2 * j + 1) * LANES);
      DoubleVector wjr = DoubleVector.fromArray(SPECIES, w, 2 * j * LANES);
      DoubleVector wji = DoubleVector.fromArray(SPECIES, w, (2 * j + 1) * LANES);
      int cj = 2 * ((base + j) * n + base) * LANES;
      for (int i = j; i < len; i++) {
        DoubleVector vir = DoubleVector.fromArray(SPECIES, a, col + 2 * i * LANES);
        DoubleVector vii = DoubleVector.fromArray(SPECIES, a, col + (2 * i + 1) * LANES);
        DoubleVector wir = DoubleVector.fromArray(SPECIES, w, 2 * i * LANES);
        DoubleVector wii = DoubleVector.fromArray(SPECIES, w, (2 * i + 1) * LANES);
        int x = cj + 2 * i * LANES;
        // v_i·conj(w_j) + w_i·conj(v_j)
        DoubleVector re = vir.fma(wjr, vii.fma(wji, wir.fma(vjr, wii.mul(vji))));
        DoubleVector im = vii.fma(wjr, vir.neg().fma(wji, wii.fma(vjr, wir.neg().mul(vji))));
        DoubleVector.fromArray(SPECIES, a, x).sub(re).intoArray(a, x);
        DoubleVector.fromArray(SPECIES, a, x + LANES).sub(im).intoArray(a, x + LANES);
      }
    }
  }
}
