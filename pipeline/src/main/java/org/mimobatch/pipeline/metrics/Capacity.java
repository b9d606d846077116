package org.mimobatch.pipeline.metrics;

/**
 * Shannon capacity of a MIMO channel from its eigen-gains λ_i = σ_i² (the eigenvalues of HᴴH), in
 * bits/s/Hz, for total transmit power 1 and noise variance 1/ρ per receive antenna (ρ the SNR).
 * Gains are read from {@code gains[from .. from + count)} and must be sorted in descending order;
 * nothing is allocated, so these run inside per-chunk loops.
 */
public final class Capacity {
  private static final double LN2 = Math.log(2);

  private Capacity() {}

  /** Equal power over {@code nt} transmit antennas: Σ log2(1 + ρ λ_i / nt). */
  public static double equalPower(double[] gains, int from, int count, double snr, int nt) {
    double c = 0;
    for (int i = 0; i < count; i++) {
      c += log1p(snr * gains[from + i] / nt);
    }
    return c / LN2;
  }

  /**
   * Water-filling: maximises Σ log2(1 + ρ λ_i p_i) over p ≥ 0, Σ p_i = 1. The exact solution
   * p_i = (μ − 1/(ρ λ_i))⁺ is found by the active-set method: with the k strongest eigenmodes active,
   * μ = (1 + Σ_{i<k} 1/(ρ λ_i)) / k, and the largest k for which the weakest active mode still gets
   * positive power is optimal. Then C = Σ_{i<k} log2(1 + ρ λ_i p_i), each power taken as
   * p_i = (1 + Σ_{j<k} (1/(ρλ_j) − 1/(ρλ_i)))/k: the same value as μ − 1/(ρλ_i), without the
   * cancellation of two large terms at low SNR (one active mode gets exactly p = 1), and log1p keeps
   * the digits of a small capacity. {@code work} holds the 1/(ρλ_i), at least {@code count} entries.
   */
  public static double waterFilling(double[] gains, int from, int count, double snr, double[] work) {
    int active = activeModes(gains, from, count, snr);
    for (int i = 0; i < active; i++) {
      work[i] = 1 / (snr * gains[from + i]);
    }
    double c = 0;
    for (int i = 0; i < active; i++) {
      double own = work[i];
      double spread = 1;
      for (int j = 0; j < active; j++) {
        spread += work[j] - own;
      }
      c += log1p(snr * gains[from + i] * spread / active);
    }
    return c / LN2;
  }

  /**
   * The water-filling power allocation: writes p_i into {@code powers[from .. from + count)} (zero for
   * inactive modes). The powers sum to one.
   */
  public static void waterFillingPowers(double[] gains, int from, int count, double snr, double[] powers) {
    int active = activeModes(gains, from, count, snr);
    double mu = active == 0 ? 0 : waterLevel(gains, from, active, snr);
    for (int i = 0; i < count; i++) {
      powers[from + i] = i < active ? mu - 1 / (snr * gains[from + i]) : 0;
    }
  }

  /**
   * How many of the strongest modes water-filling gives power to: the largest k for which the
   * weakest of the k strongest modes still gets positive power. Validity only fails from some k on,
   * so the search runs upwards and accumulates 1/(ρλ) from the strongest mode; it never subtracts,
   * which would cancel the strong modes' terms against a huge term of a very weak one.
   */
  static int activeModes(double[] gains, int from, int count, double snr) {
    double inverseSum = 0;
    int active = 0;
    for (int k = 1; k <= count; k++) {
      double gain = gains[from + k - 1];
      if (!(gain > 0)) {
        break;
      }
      double weakest = 1 / (snr * gain);
      double candidateSum = inverseSum + weakest;
      if ((1 + candidateSum) / k <= weakest) {
        break;
      }
      inverseSum = candidateSum;
      active = k;
    }
    return active;
  }

  private static double waterLevel(double[] gains, int from, int active, double snr) {
    double inverseSum = 0;
    for (int i = 0; i < active; i++) {
      inverseSum += 1 / (snr * gains[from + i]);
    }
    return (1 + inverseSum) / active;
  }

  /**
   * log(1 + x) for x > −1, accurate to a few ulps also where x is tiny (Goldberg's formula:
   * log(u)·x/(u − 1) with u = 1 + x rounded, whose errors cancel). Math.log is a JIT intrinsic,
   * while Math.log1p is a native call on JDK 17, and these run dozens of times per matrix.
   */
  public static double log1p(double x) {
    double u = 1 + x;
    return u == 1 ? x : Math.log(u) * x / (u - 1);
  }

  /** ρ = 10^(dB/10). */
  public static double snrLinear(double snrDb) {
    return StrictMath.pow(10, snrDb / 10);
  }
}
