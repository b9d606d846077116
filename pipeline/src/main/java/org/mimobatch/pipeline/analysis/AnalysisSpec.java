package org.mimobatch.pipeline.analysis;

import java.io.Serializable;
import java.util.Arrays;
import org.mimobatch.pipeline.refine.RefineSpec;

/**
 * What to compute per matrix.
 *
 * @param snrDb the SNR grid in dB; capacities and zero-forcing errors are reported per entry
 * @param zfVectors QPSK vectors sent through every matrix per SNR for the zero-forcing error (0: none)
 * @param seed seed of the zero-forcing symbols, the noise and the refinements' random starts; each
 *     matrix derives its streams from it and the matrix's key
 * @param refine the iterative refinements to run after the direct analysis
 */
public record AnalysisSpec(double[] snrDb, int zfVectors, long seed, RefineSpec refine) implements Serializable {
  /** The direct analysis without refinements. */
  public AnalysisSpec(double[] snrDb, int zfVectors, long seed) {
    this(snrDb, zfVectors, seed, RefineSpec.none());
  }

  public AnalysisSpec {
    if (snrDb.length == 0) {
      throw new IllegalArgumentException("the SNR grid needs at least one value");
    }
    for (double s : snrDb) {
      if (!Double.isFinite(s)) {
        throw new IllegalArgumentException("SNR values must be finite, got " + s);
      }
    }
    if (zfVectors < 0) {
      throw new IllegalArgumentException("zero-forcing vectors must be 0 or more, got " + zfVectors);
    }
    snrDb = snrDb.clone();
  }

  @Override
  public double[] snrDb() {
    return snrDb.clone();
  }

  public int snrCount() {
    return snrDb.length;
  }

  public double snrDb(int i) {
    return snrDb[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnalysisSpec a && Arrays.equals(snrDb, a.snrDb) && zfVectors == a.zfVectors && seed == a.seed
        && refine.equals(a.refine);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Arrays.hashCode(snrDb) + zfVectors) + Long.hashCode(seed)) + refine.hashCode();
  }

  @Override
  public String toString() {
    return "AnalysisSpec[snrDb=" + Arrays.toString(snrDb) + ", zfVectors=" + zfVectors + ", seed=" + seed + ", refine="
        + refine + "]";
  }
}
