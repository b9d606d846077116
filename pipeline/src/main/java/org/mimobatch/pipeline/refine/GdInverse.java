package org.mimobatch.pipeline.refine;

import java.io.Serializable;
import org.mimobatch.pipeline.ConfigName;
import org.mimobatch.pipeline.kernels.Cmat;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * The inverse X of a square M by gradient descent on a mean squared residual, as in the
 * "matrix inverse with a pytorch optimizer" text.
 *
 * <p>Losses (n×n, mean over the n² entries): {@code left} L = mean|X·M − I|², {@code right}
 * L = mean|M·X − I|², {@code both} their average. Gradients (PyTorch's convention for complex
 * parameters, 2 ∂L/∂X̄): left G = (2/n²)(XM − I)Mᴴ, right G = (2/n²)Mᴴ(MX − I), both their average.
 *
 * <p>Update, exactly as the text's loop (the gradient buffer is scaled by the momentum instead of
 * being zeroed, so backward() accumulates into it): V ← μ·V + G, then X ← X − lr·V. With μ = 0
 * this is plain gradient descent.
 *
 * <p>Steps: {@code auto} lr = n²/(2‖M‖_F²), which converges for every nonsingular M because the
 * loss's curvature (2/n²)σ_i² never exceeds (2/n²)‖M‖_F²; {@code optimal} Polyak's heavy-ball
 * lr = 4/(√L + √m)², μ = ((√L − √m)/(√L + √m))² from the extreme curvatures L = (2/n²)σ_max²,
 * m = (2/n²)σ_min² (the singular values the analysis already has); {@code fixed} the configured lr
 * and momentum ({@code text}: the text's 0.9 and 0.9). Error: ‖X − M⁻¹‖_F / ‖M⁻¹‖_F against the direct inverse.
 */
public final class GdInverse extends IterativeRefinement {
  /** Separates this method's random starts from every other stream. */
  private static final long START_STREAM = 0x67642D696E76L;

  public enum Variant implements ConfigName {
    LEFT, RIGHT, BOTH
  }

  public enum Init implements ConfigName {
    /** X₀ = 0. */
    ZERO,
    /** Real entries uniform in [0, 1), like the text's torch.rand, seeded by the matrix key. */
    RANDOM,
    /** X₀ = Mᴴ/‖M‖_F². */
    SCALED_ADJOINT
  }

  public enum Step {
    AUTO, OPTIMAL, FIXED
  }

  /**
   * @param lr the learning rate when step is FIXED
   * @param momentum μ when step is AUTO or FIXED
   * @param tolerance the loss at which a matrix has converged
   */
  public record Params(Variant variant, Init init, Step step, double lr, double momentum, double tolerance, int maxIterations)
      implements Serializable {
    public static final Params DEFAULTS = new Params(Variant.LEFT, Init.ZERO, Step.OPTIMAL, 0, 0, 1e-12, 10_000);
  }

  /** The learning rate and momentum of the text's loop ({@code lr = text}). */
  public static final double TEXT_LR = 0.9;
  public static final double TEXT_MOMENTUM = 0.9;

  private final Params params;
  private final int n;
  private final int entries;
  private final double[] x;
  private final double[] v;
  private final double[] r;
  private final double[] r2;
  private final double[] g;
  private final double[] lr = new double[BLOCK];
  private final double[] mu = new double[BLOCK];
  private final SplitMix rng = new SplitMix(0);

  GdInverse(Params params, int rows, int cols) {
    super(params.tolerance(), params.maxIterations());
    this.params = params;
    this.n = rows;
    this.entries = rows * cols;
    this.x = new double[2 * entries * BLOCK];
    this.v = new double[2 * entries * BLOCK];
    this.r = new double[2 * entries * BLOCK];
    this.r2 = new double[2 * entries * BLOCK];
    this.g = new double[2 * entries];
  }

  @Override
  public RefineMethod method() {
    return RefineMethod.GD_INVERSE;
  }

  @Override
  RefineStatus prepare(RefineInput in, int i, int slot) {
    if (!in.square()) {
      return RefineStatus.NOT_APPLICABLE;
    }
    int o = slot * 2 * entries;
    int m = in.hOffset(i);
    double fro2 = Cmat.normSquared(in.h, m, entries);
    switch (params.init()) {
      case ZERO -> java.util.Arrays.fill(x, o, o + 2 * entries, 0.0);
      case RANDOM -> {
        rng.reseed(SplitMix.streamSeed(in.seed, START_STREAM, in.keys[i], 0));
        for (int e = 0; e < entries; e++) {
          x[o + 2 * e] = rng.nextDouble();
          x[o + 2 * e + 1] = 0;
        }
      }
      case SCALED_ADJOINT -> {
        Cmat.adjoint(in.h, m, x, o, n, n);
        for (int e = o; e < o + 2 * entries; e++) {
          x[e] /= fro2;
        }
      }
    }
    java.util.Arrays.fill(v, o, o + 2 * entries, 0.0);
    switch (params.step()) {
      case AUTO -> {
        lr[slot] = n * (double) n / (2 * fro2);
        mu[slot] = params.momentum();
      }
      case OPTIMAL -> {
        int k = in.rank();
        double smax = in.s[i * k];
        double smin = in.s[i * k + k - 1];
        double big = Math.sqrt(2.0 / (n * (double) n)) * smax; // √L
        double small = Math.sqrt(2.0 / (n * (double) n)) * smin; // √m
        lr[slot] = 4 / ((big + small) * (big + small));
        double ratio = (big - small) / (big + small);
        mu[slot] = ratio * ratio;
      }
      case FIXED -> {
        lr[slot] = params.lr();
        mu[slot] = params.momentum();
      }
    }
    return null;
  }

  @Override
  double loss(RefineInput in, int i, int slot) {
    int o = slot * 2 * entries;
    int m = in.hOffset(i);
    double scale = 1.0 / (n * (double) n);
    switch (params.variant()) {
      case LEFT -> {
        Cmat.multiply(x, o, in.h, m, r, o, n, n, n);
        Cmat.subtractIdentity(r, o, n);
        return Cmat.normSquared(r, o, entries) * scale;
      }
      case RIGHT -> {
        Cmat.multiply(in.h, m, x, o, r, o, n, n, n);
        Cmat.subtractIdentity(r, o, n);
        return Cmat.normSquared(r, o, entries) * scale;
      }
      default -> {
        Cmat.multiply(x, o, in.h, m, r, o, n, n, n);
        Cmat.subtractIdentity(r, o, n);
        Cmat.multiply(in.h, m, x, o, r2, o, n, n, n);
        Cmat.subtractIdentity(r2, o, n);
        return 0.5 * (Cmat.normSquared(r, o, entries) + Cmat.normSquared(r2, o, entries)) * scale;
      }
    }
  }

  @Override
  void step(RefineInput in, int i, int slot, int iteration) {
    int o = slot * 2 * entries;
    int m = in.hOffset(i);
    double scale = 2.0 / (n * (double) n);
    switch (params.variant()) {
      case LEFT -> Cmat.multiplyAdjointRight(r, o, in.h, m, g, 0, n, n, n);
      case RIGHT -> Cmat.multiplyAdjointLeft(in.h, m, r, o, g, 0, n, n, n);
      default -> {
        // G = ½ [(XM − I)Mᴴ + Mᴴ(MX − I)]: the first product in g, the second added through r2's slot.
        Cmat.multiplyAdjointRight(r, o, in.h, m, g, 0, n, n, n);
        Cmat.multiplyAdjointLeft(in.h, m, r2, o, r, o, n, n, n);
        for (int e = 0; e < 2 * entries; e++) {
          g[e] = 0.5 * (g[e] + r[o + e]);
        }
      }
    }
    double step = lr[slot];
    double momentum = mu[slot];
    for (int e = 0; e < 2 * entries; e++) {
      double ve = momentum * v[o + e] + scale * g[e];
      v[o + e] = ve;
      x[o + e] -= step * ve;
    }
  }

  @Override
  void finish(RefineInput in, int i, int slot, RefineResult out) {
    out.error[i] = relativeDistance(x, slot * 2 * entries, in.inverse, in.hOffset(i), entries);
  }

  /** ‖a − b‖_F / ‖b‖_F. */
  static double relativeDistance(double[] a, int ao, double[] b, int bo, int entries) {
    return Math.sqrt(Cmat.distanceSquared(a, ao, b, bo, entries) / Cmat.normSquared(b, bo, entries));
  }
}
