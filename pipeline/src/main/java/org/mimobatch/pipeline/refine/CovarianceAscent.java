package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import org.mimobatch.pipeline.kernels.Cmat;
import org.mimobatch.pipeline.kernels.HermitianJacobi;
import org.mimobatch.pipeline.kernels.Lu;
import org.mimobatch.pipeline.metrics.Capacity;

/**
 * The capacity-achieving transmit covariance by projected gradient ascent: maximise
 * f(Q) = log2 det(I + ρ H Q Hᴴ) over Q ⪰ 0, tr Q = 1 (the spectraplex), whose optimum is the
 * water-filling capacity.
 *
 * <p>With G = HᴴH and Sylvester's identity f(Q) = log2 det(I + ρ Q G), and the closed-form gradient
 * ∇f = (ρ/ln 2) Hᴴ (I + ρ H Q Hᴴ)⁻¹ H = (ρ/ln 2) (I + ρ G Q)⁻¹ G, all on tx × tx matrices. A step
 * is Q ← P(Q + η ∇f), P the projection onto the spectraplex (eigendecomposition, then the
 * eigenvalues projected onto the probability simplex). The step size starts at
 * ln 2 / (ρ² σ_max⁴), a bound on the curvature, is halved until the ascent condition
 * f(Q⁺) ≥ f(Q) + ⟨∇f, Q⁺ − Q⟩ − ‖Q⁺ − Q‖²/(2η) holds and doubled after every accepted step, so it
 * follows the much flatter curvature near the optimum.
 *
 * <p>Loss: the Frank–Wolfe gap λ_max(∇f) − ⟨∇f, Q⟩, an upper bound on how far f(Q) is below the
 * optimum, so converging to a gap of 1e-6 certifies the capacity to 1e-6 bits/s/Hz. Error: the
 * water-filling capacity (exact, from the singular values) minus f(Q), in bits/s/Hz.
 *
 * <p>Both eigendecompositions (of ∇f for the gap, of the step's candidate for the projection) are
 * Jacobi iterations; where one does not converge the matrix stops at its last accepted Q with
 * status not-converged, as a decomposition that does not converge in the analysis makes the
 * matrix not-converged (the gap is then unknown: null).
 */
public final class CovarianceAscent extends IterativeRefinement {
  private static final double LN2 = Math.log(2);
  private static final int MAX_HALVINGS = 60;

  public record Params(double snrDb, double tolerance, int maxIterations) implements Serializable {
    public static final Params DEFAULTS = new Params(10, 1e-6, 1000);
  }

  private final double snr;
  private final int rows;
  private final int t;
  private final int tt;
  private final double[] gram;
  private final double[] q;
  private final double[] grad;
  private final double[] value = new double[BLOCK];
  private final double[] eta = new double[BLOCK];
  private final double[] candidate;
  private final double[] lhs;
  private final double[] eigenvalues;
  private final double[] eigenvectors;
  private final double[] simplex;
  private final int[] pivots;
  private final HermitianJacobi gapJacobi;
  private final HermitianJacobi projectionJacobi;
  private final boolean[] stalled = new boolean[BLOCK];
  private final double[] gains;
  private final double[] waterFillingWork;

  CovarianceAscent(Params params, int rows, int cols) {
    this(params, rows, cols, HermitianJacobi.MAX_SWEEPS);
  }

  /** With the projection's Jacobi limited to {@code projectionSweeps} sweeps (tests make it fail). */
  CovarianceAscent(Params params, int rows, int cols, int projectionSweeps) {
    super(params.tolerance(), params.maxIterations());
    this.snr = Capacity.snrLinear(params.snrDb());
    this.rows = rows;
    this.t = cols;
    this.tt = cols * cols;
    this.gram = new double[2 * tt * BLOCK];
    this.q = new double[2 * tt * BLOCK];
    this.grad = new double[2 * tt * BLOCK];
    this.candidate = new double[2 * tt];
    this.lhs = new double[2 * tt];
    this.eigenvalues = new double[cols];
    this.eigenvectors = new double[2 * tt];
    this.simplex = new double[cols];
    this.pivots = new int[cols];
    this.gapJacobi = new HermitianJacobi(cols);
    this.projectionJacobi = new HermitianJacobi(cols, projectionSweeps);
    this.gains = new double[Math.min(rows, cols)];
    this.waterFillingWork = new double[Math.min(rows, cols)];
  }

  @Override
  public RefineMethod method() {
    return RefineMethod.COVARIANCE_ASCENT;
  }

  @Override
  RefineStatus prepare(RefineInput in, int i, int slot) {
    int o = slot * 2 * tt;
    stalled[slot] = false;
    Cmat.multiplyAdjointLeft(in.h, in.hOffset(i), in.h, in.hOffset(i), gram, o, t, rows, t);
    Cmat.setIdentity(q, o, t);
    for (int e = o; e < o + 2 * tt; e++) {
      q[e] /= t;
    }
    double smax = in.s[i * in.rank()];
    eta[slot] = LN2 / (snr * snr * smax * smax * smax * smax);
    value[slot] = objective(slot, q, o);
    return Double.isFinite(value[slot]) ? null : RefineStatus.NON_FINITE;
  }

  /** f(Q) = log2 det(I + ρ Q G) for the Q at {@code src[so ..]}; uses lhs. */
  private double objective(int slot, double[] src, int so) {
    Cmat.multiply(src, so, gram, slot * 2 * tt, lhs, 0, t, t, t);
    scaleAddIdentity(lhs);
    if (!Lu.factor(lhs, 0, t, pivots, 0)) {
      return Double.NaN;
    }
    return Lu.logAbsDeterminant(lhs, 0, t) / LN2;
  }

  /** a ← I + ρ·a for a t×t matrix. */
  private void scaleAddIdentity(double[] a) {
    for (int e = 0; e < 2 * tt; e++) {
      a[e] *= snr;
    }
    for (int d = 0; d < t; d++) {
      a[2 * (d * t + d)] += 1;
    }
  }

  @Override
  double loss(RefineInput in, int i, int slot) {
    int o = slot * 2 * tt;
    // ∇f = (ρ/ln 2)(I + ρ G Q)⁻¹ G, made exactly Hermitian.
    Cmat.multiply(gram, o, q, o, lhs, 0, t, t, t);
    scaleAddIdentity(lhs);
    if (!Lu.factor(lhs, 0, t, pivots, 0)) {
      return Double.NaN;
    }
    System.arraycopy(gram, o, candidate, 0, 2 * tt);
    Lu.solve(lhs, 0, t, pivots, 0, candidate, 0, t);
    double scale = snr / LN2;
    for (int c = 0; c < t; c++) {
      for (int r = 0; r < t; r++) {
        int e = 2 * (c * t + r);
        int m = 2 * (r * t + c);
        grad[o + e] = 0.5 * scale * (candidate[e] + candidate[m]);
        grad[o + e + 1] = 0.5 * scale * (candidate[e + 1] - candidate[m + 1]);
      }
    }
    if (!gapJacobi.decompose(grad, o, eigenvalues, 0, null, 0)) {
      stalled[slot] = true;
      return Double.NaN;
    }
    return eigenvalues[t - 1] - innerProduct(grad, o, q, o);
  }

  /** Re tr(Aᴴ B) for t×t matrices. */
  private double innerProduct(double[] a, int ao, double[] b, int bo) {
    double s = 0;
    for (int e = 0; e < 2 * tt; e++) {
      s += a[ao + e] * b[bo + e];
    }
    return s;
  }

  @Override
  void step(RefineInput in, int i, int slot, int iteration) {
    int o = slot * 2 * tt;
    for (int h = 0; h < MAX_HALVINGS; h++) {
      double step = eta[slot];
      for (int e = 0; e < 2 * tt; e++) {
        candidate[e] = q[o + e] + step * grad[o + e];
      }
      if (!project(candidate)) {
        stalled[slot] = true;
        return;
      }
      double next = objective(slot, candidate, 0);
      double linear = 0;
      double quadratic = 0;
      for (int e = 0; e < 2 * tt; e++) {
        double d = candidate[e] - q[o + e];
        linear += grad[o + e] * d;
        quadratic += d * d;
      }
      if (next >= value[slot] + linear - quadratic / (2 * step) - 1e-15 * Math.abs(value[slot])) {
        System.arraycopy(candidate, 0, q, o, 2 * tt);
        value[slot] = next;
        eta[slot] = 2 * step;
        return;
      }
      eta[slot] = step / 2;
    }
    // No acceptable step at any size: leave Q as it is; the loss stops falling and max-iterations ends it.
  }

  @Override
  RefineStatus halted(int slot) {
    return stalled[slot] ? RefineStatus.NOT_CONVERGED : null;
  }

  /**
   * Projects the Hermitian t×t matrix in place onto {Q ⪰ 0, tr Q = 1}; false, leaving it as it is,
   * where its eigendecomposition did not converge.
   */
  private boolean project(double[] a) {
    if (!projectionJacobi.decompose(a, 0, eigenvalues, 0, eigenvectors, 0)) {
      return false;
    }
    projectOntoSimplex(eigenvalues, simplex, t);
    // a = Z diag(λ) Zᴴ
    for (int c = 0; c < t; c++) {
      for (int r = 0; r < t; r++) {
        double sr = 0;
        double si = 0;
        for (int k = 0; k < t; k++) {
          double lambda = simplex[k];
          if (lambda == 0) {
            continue;
          }
          double zr = eigenvectors[2 * (k * t + r)];
          double zi = eigenvectors[2 * (k * t + r) + 1];
          double wr = eigenvectors[2 * (k * t + c)];
          double wi = -eigenvectors[2 * (k * t + c) + 1];
          sr += lambda * (zr * wr - zi * wi);
          si += lambda * (zr * wi + zi * wr);
        }
        a[2 * (c * t + r)] = sr;
        a[2 * (c * t + r) + 1] = si;
      }
    }
    return true;
  }

  /**
   * Euclidean projection of the ascending values onto the probability simplex {p ≥ 0, Σp = 1}:
   * p_i = max(v_i − θ, 0) with θ chosen so that the p sum to one.
   */
  static void projectOntoSimplex(double[] ascending, double[] out, int n) {
    double sum = 0;
    double theta = 0;
    for (int k = 1; k <= n; k++) { // the k largest values
      double vk = ascending[n - k];
      sum += vk;
      double candidate = (sum - 1) / k;
      if (vk - candidate > 0) {
        theta = candidate;
      } else {
        break;
      }
    }
    for (int k = 0; k < n; k++) {
      out[k] = Math.max(ascending[k] - theta, 0);
    }
  }

  @Override
  void finish(RefineInput in, int i, int slot, RefineResult out) {
    int k = in.rank();
    for (int j = 0; j < k; j++) {
      double s = in.s[i * k + j];
      gains[j] = s * s;
    }
    out.error[i] = Capacity.waterFilling(gains, 0, k, snr, waterFillingWork) - value[slot];
  }
}
