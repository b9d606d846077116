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
   * Writes {@code count} independent CN(0, scale²) numbers (E|z|² = scale²), interleaved (re, im),
   * into {@code dst} from index {@code from}. Marsaglia's polar method: (u, v) uniform in the unit
   * disc, s = u² + v², then (u, v)·√(−ln s / s) has independent N(0, ½) parts — one logarithm per
   * complex number and no sine or cosine, which Box–Muller would need (each a native StrictMath
   * call). About 21 % of the pairs are rejected and redrawn, deterministically.
   */
  public void complexNormal(double[] dst, int from, int count, double scale) {
    for (int x = 0; x < count; x++) {
      double u;
      double v;
      double s;
      do {
        u = 2 * nextDouble() - 1;
        v = 2 * nextDouble() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s == 0);
      // Math.sqrt is correctly rounded by IEEE 754, so as reproducible as StrictMath's.
      double f = scale * Math.sqrt(-StrictMath.log(s) / s);
      dst[from + 2 * x] = u * f;
      dst[from + 2 * x + 1] = v * f;
    }
  }
}
