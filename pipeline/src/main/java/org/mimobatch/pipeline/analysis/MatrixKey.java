package org.mimobatch.pipeline.analysis;

import org.mimobatch.pipeline.util.SplitMix;

/**
 * The 64-bit key of a channel matrix, from its (link, slot, subcarrier): every per-matrix random
 * draw of the analysis (zero-forcing symbols and noise, random refinement starts) is seeded from
 * it and the analysis seed, and the history sample is chosen by it. It depends on nothing else —
 * not the partition, the chunk or the position in either — which is what makes a rerun, a retried
 * task or another partitioning give identical results.
 */
public final class MatrixKey {
  private static final long KEY_DOMAIN = 0x6B6579L;

  private MatrixKey() {}

  /** The key of the matrix at (link, slot, subcarrier). */
  public static long of(long link, long slot, long subcarrier) {
    return SplitMix.streamSeed(0, KEY_DOMAIN, link, slot, subcarrier);
  }

  /**
   * The hash by which the history sample is chosen: the matrices with the smallest values, for an
   * analysis seed, are the sampled ones.
   */
  public static long sampleHash(long seed, long key) {
    return SplitMix.mix(key ^ SplitMix.mix(seed));
  }
}
