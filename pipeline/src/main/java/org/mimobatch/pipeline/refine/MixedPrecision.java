package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import org.mimobatch.pipeline.ConfigName;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.mimobatch.pipeline.kernels.Cmat;
import org.mimobatch.pipeline.kernels.Lu;

/**
 * A complex64 result refined to complex128 accuracy: what makes a fast single-precision pass
 * trustworthy. Square channels only.
 *
 * <ul>
 *   <li>{@code mode = solve}: the inverse. M is rounded to complex64 and LU-factored once (partial
 *       pivoting, in single precision); X₀ solves M X = I with those factors; then classical
 *       iterative refinement: R = I − M·X in double, D from the single-precision factors, X ← X + D.
 *       Converges whenever κ(M)·ε_single &lt; 1. Loss mean|M·X − I|²; errors
 *       ‖X − M⁻¹‖_F / ‖M⁻¹‖_F before (X₀) and after.</li>
 *   <li>{@code mode = svd}: the SVD. U, σ, V start from the backend's complex64 SVD; each step is
 *       Ogita and Aishima's refinement (2020) written for complex matrices: with R = I − UᴴU,
 *       S = I − VᴴV, T = UᴴMV, the new σ_i = Re t_ii / (1 − (r_ii + s_ii)/2), and U ← U(I + F),
 *       V ← V(I + G) with off-diagonal corrections that carry 1/(σ_j² − σ_i²). Repeated or nearly
 *       repeated singular values (relative gap of σ² below 64·ε_single) make those corrections
 *       undefined: such matrices are reported {@link RefineStatus#DEGENERATE} and not iterated.
 *       Loss max(‖R‖_F, ‖S‖_F, ‖offdiag T‖_F / σ_max); errors max_i |σ_i − σ_i(complex128)| / σ_max.</li>
 * </ul>
 */
public final class MixedPrecision extends IterativeRefinement {
  private static final double GAP = 64 * Precision.SINGLE.epsilon();

  public enum Mode implements ConfigName {
    SOLVE, SVD
  }

  /** @param tolerance the loss to reach; NaN picks the mode's default (1e-26 for solve, 1e-13 for svd) */
  public record Params(Mode mode, double tolerance, int maxIterations) implements Serializable {
    public static final Params DEFAULTS = new Params(Mode.SOLVE, Double.NaN, 10);

    double effectiveTolerance() {
      return Double.isNaN(tolerance) ? (mode == Mode.SOLVE ? 1e-26 : 1e-13) : tolerance;
    }
  }

  private final Params params;
  private final LinalgBackend backend;
  private final int n;
  private final int entries;
  // solve: single-precision factors and the double iterate.
  private final float[] lu;
  private final int[] pivots;
  private final float[] correction;
  private final double[] x;
  private final double[] residual;
  // svd: the complex64 start for the whole chunk, then per-slot U, V, σ and the step's products.
  private ComplexBatch single;
  private RealBatch singleValues;
  private ComplexBatch singleU;
  private ComplexBatch singleVh;
  private byte[] singleStatus;
  private final double[] u;
  private final double[] v;
  private final double[] sigma;
  private final double[] rr;
  private final double[] ss;
  private final double[] tt;
  private final double[] work;
  private final double[] f;

  MixedPrecision(Params params, LinalgBackend backend, int rows, int cols) {
    super(params.effectiveTolerance(), params.maxIterations());
    this.params = params;
    this.backend = backend;
    this.n = rows;
    this.entries = rows * cols;
    boolean solve = params.mode() == Mode.SOLVE;
    int block = 2 * entries * BLOCK;
    this.lu = solve ? new float[block] : null;
    this.pivots = solve ? new int[n * BLOCK] : null;
    this.correction = solve ? new float[2 * entries] : null;
    this.x = solve ? new double[block] : null;
    this.residual = new double[2 * entries];
    this.u = solve ? null : new double[block];
    this.v = solve ? null : new double[block];
    this.sigma = solve ? null : new double[n * BLOCK];
    this.rr = solve ? null : new double[block];
    this.ss = solve ? null : new double[block];
    this.tt = solve ? null : new double[block];
    this.work = new double[2 * entries];
    this.f = solve ? null : new double[2 * entries];
  }

  @Override
  public RefineMethod method() {
    return RefineMethod.MIXED_PRECISION;
  }

  @Override
  void prepareChunk(RefineInput in) {
    if (params.mode() != Mode.SVD || !in.square()) {
      return;
    }
    if (single == null || single.capacity() < in.count) {
      single = ComplexBatch.allocate(Precision.SINGLE, n, n, in.count);
      singleValues = RealBatch.allocate(Precision.SINGLE, n, in.count);
      singleU = ComplexBatch.allocate(Precision.SINGLE, n, n, in.count);
      singleVh = ComplexBatch.allocate(Precision.SINGLE, n, n, in.count);
      singleStatus = new byte[in.count];
    }
    float[] dst = single.floats();
    for (int e = 0; e < 2 * entries * in.count; e++) {
      dst[e] = (float) in.h[e];
    }
    single.setCount(in.count);
    backend.svd(single, singleValues, singleU, singleVh, singleStatus);
  }

  @Override
  RefineStatus prepare(RefineInput in, int i, int slot) {
    if (!in.square()) {
      return RefineStatus.NOT_APPLICABLE;
    }
    return params.mode() == Mode.SOLVE ? prepareSolve(in, i, slot) : prepareSvd(in, i, slot);
  }

  private RefineStatus prepareSolve(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    int h = in.hOffset(i);
    for (int e = 0; e < 2 * entries; e++) {
      lu[o + e] = (float) in.h[h + e];
    }
    if (!Lu.factor(lu, o, n, pivots, slot * n)) {
      return RefineStatus.NON_FINITE; // exactly singular once rounded to complex64
    }
    java.util.Arrays.fill(correction, 0f);
    for (int d = 0; d < n; d++) {
      correction[2 * (d * n + d)] = 1f;
    }
    Lu.solve(lu, o, n, pivots, slot * n, correction, 0, n);
    for (int e = 0; e < 2 * entries; e++) {
      x[o + e] = correction[e];
    }
    return null;
  }

  private RefineStatus prepareSvd(RefineInput in, int i, int slot) {
    if (singleStatus[i] != MatrixStatus.OK.code()) {
      return RefineStatus.NON_FINITE;
    }
    int o = slot * 2 * entries;
    float[] su = singleU.floats();
    float[] svh = singleVh.floats();
    int so = singleU.offset(i);
    for (int e = 0; e < 2 * entries; e++) {
      u[o + e] = su[so + e];
    }
    // V = (Vᴴ)ᴴ
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        v[o + 2 * (c * n + r)] = svh[so + 2 * (r * n + c)];
        v[o + 2 * (c * n + r) + 1] = -svh[so + 2 * (r * n + c) + 1];
      }
    }
    double smax = singleValues.get(i, 0);
    for (int j = 0; j < n; j++) {
      sigma[slot * n + j] = singleValues.get(i, j);
    }
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        double gap = Math.abs(sigma[slot * n + a] * sigma[slot * n + a] - sigma[slot * n + b] * sigma[slot * n + b]);
        if (gap <= GAP * smax * smax) {
          return RefineStatus.DEGENERATE;
        }
      }
    }
    return null;
  }

  @Override
  double loss(RefineInput in, int i, int slot) {
    return params.mode() == Mode.SOLVE ? lossSolve(in, i, slot) : lossSvd(in, i, slot);
  }

  private double lossSolve(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    Cmat.multiply(in.h, in.hOffset(i), x, o, residual, 0, n, n, n);
    Cmat.subtractIdentity(residual, 0, n); // M·X − I; the step negates it
    return Cmat.normSquared(residual, 0, entries) / (n * (double) n);
  }

  private double lossSvd(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    // rr = I − UᴴU, ss = I − VᴴV, tt = Uᴴ M V
    Cmat.multiplyAdjointLeft(u, o, u, o, rr, o, n, n, n);
    Cmat.multiplyAdjointLeft(v, o, v, o, ss, o, n, n, n);
    for (int e = 0; e < 2 * entries; e++) {
      rr[o + e] = -rr[o + e];
      ss[o + e] = -ss[o + e];
    }
    for (int d = 0; d < n; d++) {
      rr[o + 2 * (d * n + d)] += 1;
      ss[o + 2 * (d * n + d)] += 1;
    }
    Cmat.multiply(in.h, in.hOffset(i), v, o, work, 0, n, n, n);
    Cmat.multiplyAdjointLeft(u, o, work, 0, tt, o, n, n, n);
    double smax = 0;
    double off = 0;
    for (int j = 0; j < n; j++) {
      int d = o + 2 * (j * n + j);
      double s = tt[d] / (1 - 0.5 * (rr[d] + ss[d]));
      sigma[slot * n + j] = s;
      smax = Math.max(smax, s);
    }
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        if (r != c) {
          int e = o + 2 * (c * n + r);
          off += tt[e] * tt[e] + tt[e + 1] * tt[e + 1];
        }
      }
    }
    double orth = Math.max(Math.sqrt(Cmat.normSquared(rr, o, entries)), Math.sqrt(Cmat.normSquared(ss, o, entries)));
    return Math.max(orth, Math.sqrt(off) / smax);
  }

  @Override
  void step(RefineInput in, int i, int slot, int iteration) {
    if (params.mode() == Mode.SOLVE) {
      int o = slot * 2 * entries;
      for (int e = 0; e < 2 * entries; e++) {
        correction[e] = (float) -residual[e]; // I − M·X
      }
      Lu.solve(lu, o, n, pivots, slot * n, correction, 0, n);
      for (int e = 0; e < 2 * entries; e++) {
        x[o + e] += correction[e];
      }
    } else {
      stepSvd(slot);
    }
  }

  /** U ← U(I + F), V ← V(I + G) from the products of the last loss. */
  private void stepSvd(int slot) {
    int o = slot * 2 * entries;
    // F into f, G into residual (as scratch); both n×n.
    double[] g = residual;
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        int e = 2 * (c * n + r);
        int t = 2 * (r * n + c); // the transposed position, for conj(t_ji)
        if (r == c) {
          double sr = sigma[slot * n + r];
          f[e] = 0.5 * rr[o + e];
          f[e + 1] = 0;
          g[e] = 0.5 * ss[o + e];
          g[e + 1] = -tt[o + e + 1] / sr;
          continue;
        }
        double si = sigma[slot * n + r];
        double sj = sigma[slot * n + c];
        double den = sj * sj - si * si;
        double tijR = tt[o + e];
        double tijI = tt[o + e + 1];
        double tjiR = tt[o + t];
        double tjiI = -tt[o + t + 1]; // conj(t_ji)
        double rijR = rr[o + e];
        double rijI = rr[o + e + 1];
        double sijR = ss[o + e];
        double sijI = ss[o + e + 1];
        f[e] = (sj * tijR + rijR * sj * sj + si * tjiR + si * sj * sijR) / den;
        f[e + 1] = (sj * tijI + rijI * sj * sj + si * tjiI + si * sj * sijI) / den;
        g[e] = (sj * tjiR + sj * sj * sijR + si * tijR + si * sj * rijR) / den;
        g[e + 1] = (sj * tjiI + sj * sj * sijI + si * tijI + si * sj * rijI) / den;
      }
    }
    for (int d = 0; d < n; d++) {
      f[2 * (d * n + d)] += 1;
      g[2 * (d * n + d)] += 1;
    }
    Cmat.multiply(u, o, f, 0, work, 0, n, n, n);
    System.arraycopy(work, 0, u, o, 2 * entries);
    Cmat.multiply(v, o, g, 0, work, 0, n, n, n);
    System.arraycopy(work, 0, v, o, 2 * entries);
  }

  @Override
  void finish(RefineInput in, int i, int slot, RefineResult out) {
    if (params.mode() == Mode.SOLVE) {
      out.error[i] = GdInverse.relativeDistance(x, slot * 2 * entries, in.inverse, in.hOffset(i), entries);
      // The start: the complex64 factors' solution of M X = I, again.
      java.util.Arrays.fill(correction, 0f);
      for (int d = 0; d < n; d++) {
        correction[2 * (d * n + d)] = 1f;
      }
      Lu.solve(lu, slot * 2 * entries, n, pivots, slot * n, correction, 0, n);
      for (int e = 0; e < 2 * entries; e++) {
        work[e] = correction[e];
      }
      out.errorBefore[i] = GdInverse.relativeDistance(work, 0, in.inverse, in.hOffset(i), entries);
    } else {
      int k = in.rank();
      double smax = in.s[i * k];
      double after = 0;
      double before = 0;
      for (int j = 0; j < n; j++) {
        double direct = in.s[i * k + j];
        after = Math.max(after, Math.abs(sigma[slot * n + j] - direct));
        before = Math.max(before, Math.abs(singleValues.get(i, j) - direct));
      }
      out.error[i] = after / smax;
      out.errorBefore[i] = before / smax;
    }
  }
}
