package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Householder reduction of small Hermitian matrices to real symmetric tridiagonal form, one matrix
 * per lane of a SIMD register, as {@link SmallSpectra} does one matrix at a time (LAPACK's zhetd2,
 * lower triangle). The reduction has no data-dependent control flow — a column that needs no
 * reflection gets τ = 0 in its lane — so a group of {@link #lanes()} matrices goes through it in
 * lockstep. The eigenvalues alone of small orders are found in lockstep too, by bisection
 * ({@link #bisect}); otherwise the tridiagonal eigenproblems, which converge differently, are left
 * to {@link SmallSpectra}, one matrix at a time, with the reflectors for the eigenvectors' Q where
 * they are wanted.
 *
 * <p>Layout as {@link JacobiLanes}: lane l's entry (i, j), real and imaginary part, at
 * {@code ((j·n + i)·2 + part)·lanes + l}. Each matrix is scaled by its largest entry first. Needs
 * the {@code jdk.incubator.vector} module ({@link VectorModule#present()}); one instance per thread.
 */
public final class TridiagonalLanes {
  /** The largest order {@link #bisect} takes. */
  public static final int BISECTION_MAX = 16;
  private static final VectorSpecies<Double> SPECIES = Lanes.SPECIES;
  private static final int LANES = Lanes.COUNT;

  private final double[] a;
  private final double[] w;
  /** Step k's τ at 2k·lanes, (re, im) lanes apart: kept for the eigenvectors' Q. */
  private final double[] taus;
  private final double[] scale;
  private final double[] diagonal;
  private final double[] offDiagonal;
  /** Bisection: the scaled diagonal, the negated squared scaled off-diagonal, and each eigenvalue's bracket. */
  private final double[] bisectD;
  private final double[] bisectE2;
  private final double[] lower;
  private final double[] upper;

  /** Work arrays for matrices of order at most {@code maxDim}. */
  public TridiagonalLanes(int maxDim) {
    a = new double[2 * maxDim * maxDim * LANES];
    w = new double[2 * maxDim * LANES];
    taus = new double[2 * maxDim * LANES];
    scale = new double[LANES];
    diagonal = new double[maxDim * LANES];
    offDiagonal = new double[maxDim * LANES];
    bisectD = new double[maxDim * LANES];
    bisectE2 = new double[maxDim * LANES];
    lower = new double[maxDim * LANES];
    upper = new double[maxDim * LANES];
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

  /** Halvings of each bracket: from [−1, 1] (the scaled Gershgorin bound) to below one ulp of 1. */
  private static final int BISECTIONS = 54;
  /**
   * The least squared off-diagonal the Sturm counts see: with every e² > 0 two consecutive minors
   * are never both zero, so a zero minor needs no special case (one sign change is counted across
   * it whichever sign it takes). Large enough that a product of {@link #BISECTION_MAX} / 2 of them
   * stays a normal number, so that minors of decoupled blocks do not underflow to zero either;
   * small enough to move an eigenvalue of the scaled tridiagonal by at most its square root, 2^-60,
   * far below one ulp of the bound.
   */
  private static final double LEAST_E2 = 0x1p-120;

  /**
   * Every lane's eigenvalues, ascending, of its tridiagonal form (after {@link #reduce}), into
   * {@code values[k·lanes + lane]} for k = 0..n−1, in the scale of the matrix loaded. Bisection on
   * Sturm counts, all lanes and four eigenvalues in lockstep: the count of eigenvalues below x is
   * the number of sign changes along the leading minors p_i = (d_i − x)·p_{i−1} − e²_{i−1}·p_{i−2},
   * which needs neither a division (one per step, as ?stebz takes, costs more than the whole QL it
   * replaces) nor a branch. The tridiagonal is first divided by its
   * Gershgorin bound, so |p_i| ≤ 3^i: orders up to {@link #BISECTION_MAX} stay far from overflow,
   * and from underflow unless x lies within 10^-16 of more than a dozen roots of one leading minor.
   * Each eigenvalue ends within one ulp of the bound of the exact one of the computed tridiagonal,
   * which is the absolute accuracy QL gives.
   */
  public void bisect(int n, double[] values) {
    if (n > BISECTION_MAX) {
      throw new IllegalArgumentException("bisection is for orders up to " + BISECTION_MAX + ", not " + n);
    }
    DoubleVector bound = DoubleVector.zero(SPECIES);
    for (int i = 0; i < n; i++) {
      DoubleVector r = DoubleVector.fromArray(SPECIES, diagonal, i * LANES).abs();
      if (i > 0) {
        r = r.add(DoubleVector.fromArray(SPECIES, offDiagonal, (i - 1) * LANES).abs());
      }
      if (i < n - 1) {
        r = r.add(DoubleVector.fromArray(SPECIES, offDiagonal, i * LANES).abs());
      }
      bound = bound.max(r);
    }
    // A zero tridiagonal (a cleared lane, a zero matrix) is bisected as it is, on [−1, 1].
    bound = bound.blend(1, bound.compare(VectorOperators.EQ, 0));
    DoubleVector inv = DoubleVector.broadcast(SPECIES, 1).div(bound);
    DoubleVector least = DoubleVector.broadcast(SPECIES, LEAST_E2);
    for (int i = 0; i < n; i++) {
      DoubleVector.fromArray(SPECIES, diagonal, i * LANES).mul(inv).intoArray(bisectD, i * LANES);
      DoubleVector e = i < n - 1 ? DoubleVector.fromArray(SPECIES, offDiagonal, i * LANES).mul(inv)
          : DoubleVector.zero(SPECIES);
      e.mul(e).max(least).neg().intoArray(bisectE2, i * LANES);
      DoubleVector.broadcast(SPECIES, -1).intoArray(lower, i * LANES);
      DoubleVector.broadcast(SPECIES, 1).intoArray(upper, i * LANES);
    }
    for (int k = 0; k < n; k += 4) {
      bisectFour(n, k);
    }
    // Back by the bound, then by the scale: their product alone can overflow where no eigenvalue does.
    DoubleVector loaded = DoubleVector.fromArray(SPECIES, scale, 0);
    for (int k = 0; k < n; k++) {
      DoubleVector lo = DoubleVector.fromArray(SPECIES, lower, k * LANES);
      DoubleVector hi = DoubleVector.fromArray(SPECIES, upper, k * LANES);
      lo.add(hi).mul(0.5).mul(bound).mul(loaded).intoArray(values, k * LANES);
    }
  }

  /**
   * Bisects eigenvalues k..k+3 (those below n; a repeated index is bisected twice, alike) of every
   * lane: four independent Sturm sequences per step keep the floating-point units busy while each
   * waits on its own multiply-add.
   */
  private void bisectFour(int n, int k) {
    int k1 = Math.min(k + 1, n - 1);
    int k2 = Math.min(k + 2, n - 1);
    int k3 = Math.min(k + 3, n - 1);
    DoubleVector lo0 = DoubleVector.fromArray(SPECIES, lower, k * LANES);
    DoubleVector hi0 = DoubleVector.fromArray(SPECIES, upper, k * LANES);
    DoubleVector lo1 = DoubleVector.fromArray(SPECIES, lower, k1 * LANES);
    DoubleVector hi1 = DoubleVector.fromArray(SPECIES, upper, k1 * LANES);
    DoubleVector lo2 = DoubleVector.fromArray(SPECIES, lower, k2 * LANES);
    DoubleVector hi2 = DoubleVector.fromArray(SPECIES, upper, k2 * LANES);
    DoubleVector lo3 = DoubleVector.fromArray(SPECIES, lower, k3 * LANES);
    DoubleVector hi3 = DoubleVector.fromArray(SPECIES, upper, k3 * LANES);
    DoubleVector zero = DoubleVector.zero(SPECIES);
    DoubleVector one = DoubleVector.broadcast(SPECIES, 1);
    DoubleVector minusOne = DoubleVector.broadcast(SPECIES, -1);
    // The signs s_i = ±1 of the minors give the sign changes as (n − Σ s_i·s_{i−1}) / 2, so more than k
    // eigenvalues lie below x where Σ s_i·s_{i−1} < n − 2k.
    DoubleVector below0 = DoubleVector.broadcast(SPECIES, n - 2 * k);
    DoubleVector below1 = DoubleVector.broadcast(SPECIES, n - 2 * k1);
    DoubleVector below2 = DoubleVector.broadcast(SPECIES, n - 2 * k2);
    DoubleVector below3 = DoubleVector.broadcast(SPECIES, n - 2 * k3);
    for (int it = 0; it < BISECTIONS; it++) {
      DoubleVector x0 = lo0.add(hi0).mul(0.5);
      DoubleVector x1 = lo1.add(hi1).mul(0.5);
      DoubleVector x2 = lo2.add(hi2).mul(0.5);
      DoubleVector x3 = lo3.add(hi3).mul(0.5);
      DoubleVector d = DoubleVector.fromArray(SPECIES, bisectD, 0);
      // p_0 = d_0 − x after p_{−1} = 1 (s = +1).
      DoubleVector p0 = d.sub(x0);
      DoubleVector p1 = d.sub(x1);
      DoubleVector p2 = d.sub(x2);
      DoubleVector p3 = d.sub(x3);
      DoubleVector s0 = one.blend(minusOne, p0.compare(VectorOperators.LT, zero));
      DoubleVector s1 = one.blend(minusOne, p1.compare(VectorOperators.LT, zero));
      DoubleVector s2 = one.blend(minusOne, p2.compare(VectorOperators.LT, zero));
      DoubleVector s3 = one.blend(minusOne, p3.compare(VectorOperators.LT, zero));
      DoubleVector sum0 = s0;
      DoubleVector sum1 = s1;
      DoubleVector sum2 = s2;
      DoubleVector sum3 = s3;
      DoubleVector q0 = one;
      DoubleVector q1 = one;
      DoubleVector q2 = one;
      DoubleVector q3 = one;
      for (int i = 1; i < n; i++) {
        d = DoubleVector.fromArray(SPECIES, bisectD, i * LANES);
        DoubleVector minusE2 = DoubleVector.fromArray(SPECIES, bisectE2, (i - 1) * LANES);
        DoubleVector r0 = minusE2.fma(q0, d.sub(x0).mul(p0));
        DoubleVector r1 = minusE2.fma(q1, d.sub(x1).mul(p1));
        DoubleVector r2 = minusE2.fma(q2, d.sub(x2).mul(p2));
        DoubleVector r3 = minusE2.fma(q3, d.sub(x3).mul(p3));
        DoubleVector t0 = one.blend(minusOne, r0.compare(VectorOperators.LT, zero));
        DoubleVector t1 = one.blend(minusOne, r1.compare(VectorOperators.LT, zero));
        DoubleVector t2 = one.blend(minusOne, r2.compare(VectorOperators.LT, zero));
        DoubleVector t3 = one.blend(minusOne, r3.compare(VectorOperators.LT, zero));
        sum0 = t0.fma(s0, sum0);
        sum1 = t1.fma(s1, sum1);
        sum2 = t2.fma(s2, sum2);
        sum3 = t3.fma(s3, sum3);
        s0 = t0;
        s1 = t1;
        s2 = t2;
        s3 = t3;
        q0 = p0;
        q1 = p1;
        q2 = p2;
        q3 = p3;
        p0 = r0;
        p1 = r1;
        p2 = r2;
        p3 = r3;
      }
      VectorMask<Double> b0 = sum0.compare(VectorOperators.LT, below0);
      VectorMask<Double> b1 = sum1.compare(VectorOperators.LT, below1);
      VectorMask<Double> b2 = sum2.compare(VectorOperators.LT, below2);
      VectorMask<Double> b3 = sum3.compare(VectorOperators.LT, below3);
      hi0 = hi0.blend(x0, b0);
      lo0 = x0.blend(lo0, b0);
      hi1 = hi1.blend(x1, b1);
      lo1 = x1.blend(lo1, b1);
      hi2 = hi2.blend(x2, b2);
      lo2 = x2.blend(lo2, b2);
      hi3 = hi3.blend(x3, b3);
      lo3 = x3.blend(lo3, b3);
    }
    lo0.intoArray(lower, k * LANES);
    hi0.intoArray(upper, k * LANES);
    lo1.intoArray(lower, k1 * LANES);
    hi1.intoArray(upper, k1 * LANES);
    lo2.intoArray(lower, k2 * LANES);
    hi2.intoArray(upper, k2 * LANES);
    lo3.intoArray(lower, k3 * LANES);
    hi3.intoArray(upper, k3 * LANES);
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
