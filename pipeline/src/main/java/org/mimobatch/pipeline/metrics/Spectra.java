package org.mimobatch.pipeline.metrics;

/** Scalar summaries of a singular-value spectrum sorted in descending order. */
public final class Spectra {
  private Spectra() {}

  /** 20·log10(σ_max / σ_min): the condition number in dB; +∞ for a rank-deficient spectrum. */
  public static double conditionDb(double[] s, int from, int count) {
    return 20 * Math.log10(s[from] / s[from + count - 1]);
  }

  /**
   * Roy and Vetterli's effective rank exp(H(p)), with p_i = σ_i / Σσ_j and H the Shannon entropy in
   * nats: between 1 (one dominant mode) and the number of singular values (a flat spectrum).
   */
  public static double effectiveRank(double[] s, int from, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += s[from + i];
    }
    double entropy = 0;
    for (int i = 0; i < count; i++) {
      double p = s[from + i] / sum;
      if (p > 0) {
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }
}
