package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import java.util.Arrays;
import org.mimobatch.pipeline.ConfigName;
import org.mimobatch.pipeline.kernels.Cmat;

/**
 * Matrix equality as distance minimisation, as in the "iterative matrix equality" text: a variable
 * is moved by Adam (or SGD) until ‖A − B‖_F falls below the tolerance.
 *
 * <ul>
 *   <li>{@code target = inverse}: A = X·M, B = I, X from zero — another route to M⁻¹ (square M);
 *       error ‖X − M⁻¹‖_F / ‖M⁻¹‖_F.</li>
 *   <li>{@code target = channel}: A is the variable, started at the rank-r truncated SVD of H
 *       (r = start-rank; 0 starts from zero), B = H; error ‖A − H‖_F / ‖H‖_F. The truncation error
 *       of every rank is the metric lowrank_error.</li>
 * </ul>
 * The loss reported and compared with the tolerance is always the distance ‖A − B‖_F. The objective
 * the optimiser follows is {@code squared} (½‖A − B‖², gradient R Mᴴ or R with R = A − B: the
 * gradient shrinks near the target, so Adam's steps do too and it converges) or {@code frobenius}
 * (the text's ‖A − B‖ itself, gradient divided by ‖R‖: with a constant learning rate Adam then
 * hovers at a distance of the order of lr). Adam is PyTorch's, on the real and imaginary parts as
 * separate parameters: m ← β1 m + (1 − β1) g, v ← β2 v + (1 − β2) g², x ← x − lr m̂ / (√v̂ + ε) with
 * bias-corrected m̂, v̂. SGD: x ← x − lr g.
 */
public final class AdamMatch extends IterativeRefinement {
  public enum Target implements ConfigName {
    INVERSE, CHANNEL
  }

  public enum Optimizer implements ConfigName {
    ADAM, SGD
  }

  public enum Objective implements ConfigName {
    SQUARED, FROBENIUS
  }

  public record Params(Target target, Optimizer optimizer, Objective objective, double lr, double beta1, double beta2,
      double epsilon, double tolerance, int maxIterations, int startRank) implements Serializable {
    public static final Params DEFAULTS =
        new Params(Target.INVERSE, Optimizer.ADAM, Objective.SQUARED, 0.01, 0.9, 0.999, 1e-8, 1e-6, 10_000, 1);
  }

  private final Params params;
  private final int rows;
  private final int cols;
  private final int entries;
  private final double[] x;
  private final double[] m;
  private final double[] v;
  private final double[] r;
  private final double[] g;
  private final double[] distance = new double[BLOCK];

  AdamMatch(Params params, int rows, int cols) {
    super(params.tolerance(), params.maxIterations());
    this.params = params;
    this.rows = rows;
    this.cols = cols;
    this.entries = rows * cols;
    this.x = new double[2 * entries * BLOCK];
    this.m = new double[2 * entries * BLOCK];
    this.v = new double[2 * entries * BLOCK];
    this.r = new double[2 * entries * BLOCK];
    this.g = new double[2 * entries];
  }

  @Override
  public RefineMethod method() {
    return RefineMethod.ADAM_MATCH;
  }

  @Override
  RefineStatus prepare(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    if (params.target() == Target.INVERSE) {
      if (!in.square()) {
        return RefineStatus.NOT_APPLICABLE;
      }
      Arrays.fill(x, o, o + 2 * entries, 0.0);
    } else {
      truncatedSvd(in, i, Math.min(params.startRank(), in.rank()), x, o);
    }
    Arrays.fill(m, o, o + 2 * entries, 0.0);
    Arrays.fill(v, o, o + 2 * entries, 0.0);
    return null;
  }

  /** Σ_{j &lt; rank} σ_j u_j v_jᴴ, the best rank-r approximation, from the thin SVD. */
  private void truncatedSvd(RefineInput in, int i, int rank, double[] out, int o) {
    int k = in.rank();
    Arrays.fill(out, o, o + 2 * entries, 0.0);
    int uo = 2 * rows * k * i;
    int vo = 2 * k * cols * i;
    for (int j = 0; j < rank; j++) {
      double sj = in.s[i * k + j];
      for (int c = 0; c < cols; c++) {
        double vr = in.vh[vo + 2 * (c * k + j)]; // Vᴴ[j][c]
        double vi = in.vh[vo + 2 * (c * k + j) + 1];
        for (int row = 0; row < rows; row++) {
          double ur = in.u[uo + 2 * (j * rows + row)] * sj;
          double ui = in.u[uo + 2 * (j * rows + row) + 1] * sj;
          out[o + 2 * (c * rows + row)] += ur * vr - ui * vi;
          out[o + 2 * (c * rows + row) + 1] += ur * vi + ui * vr;
        }
      }
    }
  }

  @Override
  double loss(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    if (params.target() == Target.INVERSE) {
      Cmat.multiply(x, o, in.h, in.hOffset(i), r, o, rows, rows, rows);
      Cmat.subtractIdentity(r, o, rows);
    } else {
      int h = in.hOffset(i);
      for (int e = 0; e < 2 * entries; e++) {
        r[o + e] = x[o + e] - in.h[h + e];
      }
    }
    distance[slot] = Math.sqrt(Cmat.normSquared(r, o, entries));
    return distance[slot];
  }

  @Override
  void step(RefineInput in, int i, int slot, int iteration) {
    int o = slot * 2 * entries;
    if (params.target() == Target.INVERSE) {
      Cmat.multiplyAdjointRight(r, o, in.h, in.hOffset(i), g, 0, rows, rows, rows);
    } else {
      System.arraycopy(r, o, g, 0, 2 * entries);
    }
    if (params.objective() == Objective.FROBENIUS) {
      double inverse = 1 / distance[slot];
      for (int e = 0; e < 2 * entries; e++) {
        g[e] *= inverse;
      }
    }
    double lr = params.lr();
    if (params.optimizer() == Optimizer.SGD) {
      for (int e = 0; e < 2 * entries; e++) {
        x[o + e] -= lr * g[e];
      }
      return;
    }
    double b1 = params.beta1();
    double b2 = params.beta2();
    int t = iteration + 1;
    double c1 = 1 - StrictMath.pow(b1, t);
    double c2 = 1 - StrictMath.pow(b2, t);
    for (int e = 0; e < 2 * entries; e++) {
      double me = b1 * m[o + e] + (1 - b1) * g[e];
      double ve = b2 * v[o + e] + (1 - b2) * g[e] * g[e];
      m[o + e] = me;
      v[o + e] = ve;
      x[o + e] -= lr * (me / c1) / (Math.sqrt(ve / c2) + params.epsilon());
    }
  }

  @Override
  void finish(RefineInput in, int i, int slot, RefineResult out) {
    int o = slot * 2 * entries;
    out.error[i] = params.target() == Target.INVERSE
        ? GdInverse.relativeDistance(x, o, in.inverse, in.hOffset(i), entries)
        : GdInverse.relativeDistance(x, o, in.h, in.hOffset(i), entries);
  }
}
