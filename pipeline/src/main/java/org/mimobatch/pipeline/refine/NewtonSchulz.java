package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import org.mimobatch.pipeline.kernels.Cmat;

/**
 * The Newton–Schulz iteration for the inverse of a square M: X₀ = Mᴴ / (‖M‖₁‖M‖∞), then
 * X ← X(2I − M·X). The start makes ‖I − M·X₀‖₂ &lt; 1 for every nonsingular M, after which the
 * residual squares at every step. Loss: mean|M·X − I|²; error: ‖X − M⁻¹‖_F / ‖M⁻¹‖_F.
 */
public final class NewtonSchulz extends IterativeRefinement {
  public record Params(double tolerance, int maxIterations) implements Serializable {
    public static final Params DEFAULTS = new Params(1e-24, 100);
  }

  private final int n;
  private final int entries;
  private final double[] x;
  private final double[] mx;
  private final double[] next;

  NewtonSchulz(Params params, int rows, int cols) {
    super(params.tolerance(), params.maxIterations());
    this.n = rows;
    this.entries = rows * cols;
    this.x = new double[2 * entries * BLOCK];
    this.mx = new double[2 * entries * BLOCK];
    this.next = new double[2 * entries];
  }

  @Override
  public RefineMethod method() {
    return RefineMethod.NEWTON_SCHULZ;
  }

  @Override
  RefineStatus prepare(RefineInput in, int i, int slot) {
    if (!in.square()) {
      return RefineStatus.NOT_APPLICABLE;
    }
    int o = slot * 2 * entries;
    int m = in.hOffset(i);
    double scale = 1 / (Cmat.norm1(in.h, m, n, n) * Cmat.normInf(in.h, m, n, n));
    Cmat.adjoint(in.h, m, x, o, n, n);
    for (int e = o; e < o + 2 * entries; e++) {
      x[e] *= scale;
    }
    return null;
  }

  @Override
  double loss(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    Cmat.multiply(in.h, in.hOffset(i), x, o, mx, o, n, n, n);
    Cmat.subtractIdentity(mx, o, n);
    double loss = Cmat.normSquared(mx, o, entries) / (n * (double) n);
    Cmat.subtractIdentity(mx, o, n); // now M·X − 2I, which step() uses
    return loss;
  }

  @Override
  void step(RefineInput in, int i, int slot, int iteration) {
    int o = slot * 2 * entries;
    // mx holds M·X − 2I, so X(2I − M·X) = −X·(M·X − 2I).
    Cmat.multiply(x, o, mx, o, next, 0, n, n, n);
    for (int e = 0; e < 2 * entries; e++) {
      x[o + e] = -next[e];
    }
  }

  @Override
  void finish(RefineInput in, int i, int slot, RefineResult out) {
    out.error[i] = GdInverse.relativeDistance(x, slot * 2 * entries, in.inverse, in.hOffset(i), entries);
  }
}
