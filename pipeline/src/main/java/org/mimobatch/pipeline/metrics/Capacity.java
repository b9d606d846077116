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
      c += Math.log1p(snr * gains[from + i] / nt);
    }
    return c / LN2;
  }

  /**
   * Water-filling: maximises Σ log2(1 + ρ λ_i p_i) over p ≥ 0, Σ p_i = 1. The exact solution
   * p_i = (μ − 1/(ρ λ_i))⁺ is found by the active-set method: with the k strongest eigenmodes active,
   * μ = (1 + Σ_{i<k} 1/(ρ λ_i)) / k, and the largest k for which the weakest active mode still gets
   * positive power is optimal. Then C = Σ_{i<k} log2(μ ρ λ_i).
   */
  public static double waterFilling(double[] gains, int from, int count, double snr) {
    int active = activeModes(gains, from, count, snr);
    if (active == 0) {
      return 0;
    }
    double mu = waterLevel(gains, from, active, snr);
    double c = 0;
    for (int i = 0; i < active; i++) {
      c += Math.log(mu * snr * gains[from + i]);
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

  /** ρ = 10^(dB/10). */
  public static double snrLinear(double snrDb) {
    return StrictMath.pow(10, snrDb / 10);
  }
}
