package org.mimobatch.pipeline.util;

/**
 * Standard normal draws by the ziggurat method (Marsaglia and Tsang; the 128-block variant of
 * Doornik's ZIGNOR, whose block index and uniform come from disjoint bits of one 64-bit draw): 98 %
 * of draws cost one random number, a multiplication and a comparison — no logarithm, where
 * Marsaglia's polar method needs one per pair of normals. The rare wedge and tail draws use
 * StrictMath's exp and log, and the tables are built with them, so the draws are the same on every
 * JVM and CPU. The analysis draws its zero-forcing noise here, a few times faster than by the polar
 * method (docs/benchmarks.md); the channel generator keeps
 * {@link SplitMix#complexNormal}, so that channels generated from a seed stay what they were.
 */
public final class Ziggurat {
  private static final int BLOCKS = 128;
  /** Start of the tail, and the area of each block. */
  private static final double R = 3.442619855899;
  private static final double V = 9.91256303526217e-3;
  private static final double UNIT = 0x1.0p-53;
  /** x_i, the right edges of the blocks (x_0 the base block's virtual width), and x_{i+1}/x_i. */
  private static final double[] X = new double[BLOCKS + 1];
  private static final double[] RATIO = new double[BLOCKS];

  static {
    double f = StrictMath.exp(-0.5 * R * R);
    X[0] = V / f;
    X[1] = R;
    for (int i = 2; i < BLOCKS; i++) {
      X[i] = StrictMath.sqrt(-2 * StrictMath.log(V / X[i - 1] + f));
      f = StrictMath.exp(-0.5 * X[i] * X[i]);
    }
    X[BLOCKS] = 0;
    for (int i = 0; i < BLOCKS; i++) {
      RATIO[i] = X[i + 1] / X[i];
    }
  }

  private Ziggurat() {}

  /** One N(0, 1) draw from {@code rng}. */
  public static double normal(SplitMix rng) {
    while (true) {
      long bits = rng.nextLong();
      int i = (int) (bits & (BLOCKS - 1));
      double u = 2 * ((bits >>> 11) * UNIT) - 1;
      if (Math.abs(u) < RATIO[i]) {
        return u * X[i];
      }
      if (i == 0) {
        return tail(rng, u < 0);
      }
      double x = u * X[i];
      double f0 = StrictMath.exp(-0.5 * (X[i] * X[i] - x * x));
      double f1 = StrictMath.exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
      if (f1 + rng.nextDouble() * (f0 - f1) < 1.0) {
        return x;
      }
    }
  }

  /**
   * Writes {@code count} independent CN(0, scale²) numbers (E|z|² = scale², independent N(0,
   * scale²/2) parts), interleaved (re, im), into {@code dst} from index {@code from}.
   */
  public static void complexNormal(SplitMix rng, double[] dst, int from, int count, double scale) {
    double part = scale * Math.sqrt(0.5);
    for (int e = from; e < from + 2 * count; e++) {
      dst[e] = part * normal(rng);
    }
  }

  /** A draw beyond R (Marsaglia's tail method), negated for the left tail. */
  private static double tail(SplitMix rng, boolean negative) {
    double x;
    double y;
    do {
      x = StrictMath.log(1 - rng.nextDouble()) / R;
      y = StrictMath.log(1 - rng.nextDouble());
    } while (-2 * y < x * x);
    return negative ? x - R : R - x;
  }
}
