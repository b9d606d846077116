package org.mimobatch.pipeline.util;

/**
 * A small, fast, seedable random generator (SplitMix64, Steele et al. 2014) with the draws the
 * pipeline needs. Streams are derived from (seed, domain, keys) by hashing, so any matrix's random
 * numbers can be regenerated on its own: a retried Spark task, a rerun or a different partitioning
 * sees exactly the same values. Transcendental functions come from {@link StrictMath}, whose results
 * are specified bit for bit, so the values do not depend on the CPU or the JIT either.
 *
 * <p>Not thread-safe; one instance per thread, reseeded per unit of work, allocates nothing.
 */
public final class SplitMix {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double TWO_PI = 2 * Math.PI;
  private static final double UNIT = 0x1.0p-53;

  private long state;

  public SplitMix(long seed) {
    this.state = seed;
  }

  /** Restarts the stream at {@code seed}. */
  public void reseed(long seed) {
    this.state = seed;
  }

  /** The seed of the stream for (seed, domain, a, b): independent streams for distinct arguments. */
  public static long streamSeed(long seed, long domain, long a, long b) {
    long h = mix(seed ^ mix(domain + GOLDEN));
    h = mix(h ^ mix(a + 2 * GOLDEN));
    return mix(h ^ mix(b + 3 * GOLDEN));
  }

  /** The seed of the stream for (seed, domain, a, b, c). */
  public static long streamSeed(long seed, long domain, long a, long b, long c) {
    return mix(streamSeed(seed, domain, a, b) ^ mix(c + 4 * GOLDEN));
  }

  /** SplitMix64's finaliser: a bijective mix of all 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1), 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * UNIT;
  }

  /**
   * Writes {@code count} independent CN(0, scale²) numbers (E|z|² = scale²), interleaved (re, im), into {@code dst}
   * from index {@code from}. Box–Muller: |z|² = −scale²·ln u is exponential, the phase uniform.
   */
  public void complexNormal(double[] dst, int from, int count, double scale) {
    for (int x = 0; x < count; x++) {
      double u = 1.0 - nextDouble(); // (0, 1], so the logarithm is finite
      double r = scale * StrictMath.sqrt(-StrictMath.log(u));
      double theta = TWO_PI * nextDouble();
      dst[from + 2 * x] = r * StrictMath.cos(theta);
      dst[from + 2 * x + 1] = r * StrictMath.sin(theta);
    }
  }
}
