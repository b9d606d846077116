package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the lane-parallel kernels share: the vector shape, the layout (lane l's entry (i, j) of a
 * rows-row matrix, real and imaginary part, at {@code ((j·rows + i)·2 + part)·COUNT + l}), loading a
 * matrix into a lane, and the Householder reflector. Methods take and return arrays, never
 * vectors: a vector that crosses a call the JIT does not inline is boxed.
 */
final class Lanes {
  static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  /** Matrices per group: the preferred vector's doubles (4 with AVX2, 8 with AVX-512). */
  static final int COUNT = SPECIES.length();

  private Lanes() {}

  /**
   * Loads the m×n matrix at {@code src[so ..]} (column-major, interleaved) into {@code lane} of
   * {@code dst} as a tall one — itself, or Aᴴ when it is wide (same singular values) — divided by its
   * largest entry, which it returns (0 for a zero matrix).
   */
  static double loadTall(double[] dst, int lane, double[] src, int so, int m, int n) {
    double max = 0;
    for (int x = 0; x < 2 * m * n; x++) {
      max = Math.max(max, Math.abs(src[so + x]));
    }
    double inv = max == 0 ? 0 : 1 / max;
    int rows = Math.max(m, n);
    if (m >= n) {
      for (int e = 0; e < m * n; e++) {
        dst[2 * e * COUNT + lane] = src[so + 2 * e] * inv;
        dst[(2 * e + 1) * COUNT + lane] = src[so + 2 * e + 1] * inv;
      }
    } else {
      // Aᴴ: entry (i, j) is conj(A[j][i]).
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < n; i++) {
          int from = so + 2 * (i * m + j);
          int to = 2 * (j * rows + i) * COUNT + lane;
          dst[to] = src[from] * inv;
          dst[to + COUNT] = -src[from + 1] * inv;
        }
      }
    }
    return max;
  }

  /** Zeroes the first {@code entries} complex entries of {@code lane}. */
  static void clear(double[] dst, int lane, int entries) {
    for (int e = 0; e < 2 * entries; e++) {
      dst[e * COUNT + lane] = 0;
    }
  }

  /**
   * A squared norm below which a vector of a matrix scaled to a largest entry of 1 is negligible
   * (far below ε²) and gets no reflector: the reflector of such a vector divides by |α − β|², which
   * underflows to zero for entries near 1e-154, as the trailing entries of a rank-deficient
   * matrix's reduction become after a few steps.
   */
  public static final double NEGLIGIBLE = 1e-200;

  /**
   * zlarfg in every lane on the {@code len} entries of {@code a} at {@code at}, {@code step}
   * doubles apart: leaves v (v₀ = 1) in place, β at {@code beta[betaAt ..]} and τ (re, im) at
   * {@code tau[tauAt ..]} (lanes apart); τ = 0 and v = e₀ in lanes whose vector is already
   * (real α, 0, …) or negligible ({@link #NEGLIGIBLE}; its entries after α become zero).
   */
  static void reflector(double[] a, int at, int step, int len, double[] tau, int tauAt, double[] beta, int betaAt) {
    DoubleVector alphaRe = DoubleVector.fromArray(SPECIES, a, at);
    DoubleVector alphaIm = DoubleVector.fromArray(SPECIES, a, at + COUNT);
    DoubleVector xnorm2 = DoubleVector.zero(SPECIES);
    for (int i = 1; i < len; i++) {
      DoubleVector xr = DoubleVector.fromArray(SPECIES, a, at + i * step);
      DoubleVector xi = DoubleVector.fromArray(SPECIES, a, at + i * step + COUNT);
      xnorm2 = xr.fma(xr, xi.fma(xi, xnorm2));
    }
    DoubleVector norm2 = alphaRe.fma(alphaRe, alphaIm.fma(alphaIm, xnorm2));
    VectorMask<Double> none = xnorm2.add(alphaIm.abs()).compare(VectorOperators.EQ, 0)
        .or(norm2.compare(VectorOperators.LT, NEGLIGIBLE));
    DoubleVector norm = norm2.sqrt();
    DoubleVector b = norm.blend(norm.neg(), alphaRe.compare(VectorOperators.GE, 0)).blend(alphaRe, none);
    DoubleVector safe = b.blend(1, none);
    b.intoArray(beta, betaAt);
    b.sub(alphaRe).div(safe).blend(0, none).intoArray(tau, tauAt);
    alphaIm.neg().div(safe).blend(0, none).intoArray(tau, tauAt + COUNT);
    // v_i = x_i / (α − β) for i ≥ 1.
    DoubleVector dr = alphaRe.sub(b).blend(1, none);
    DoubleVector den = dr.fma(dr, alphaIm.mul(alphaIm));
    DoubleVector sr = dr.div(den).blend(0, none);
    DoubleVector si = alphaIm.neg().div(den).blend(0, none);
    for (int i = 1; i < len; i++) {
      int x = at + i * step;
      DoubleVector xr = DoubleVector.fromArray(SPECIES, a, x);
      DoubleVector xi = DoubleVector.fromArray(SPECIES, a, x + COUNT);
      xr.fma(sr, xi.neg().mul(si)).intoArray(a, x);
      xr.fma(si, xi.mul(sr)).intoArray(a, x + COUNT);
    }
    DoubleVector.broadcast(SPECIES, 1).intoArray(a, at);
    DoubleVector.zero(SPECIES).intoArray(a, at + COUNT);
  }
}
