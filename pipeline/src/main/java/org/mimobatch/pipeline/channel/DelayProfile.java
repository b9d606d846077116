package org.mimobatch.pipeline.channel;

import org.mimobatch.pipeline.ConfigName;

/**
 * A power-delay profile: tap delays in seconds and tap powers that sum to one, so that every entry
 * of a generated channel has unit average power on every subcarrier.
 */
public final class DelayProfile {
  /** The profile families a configuration can name. */
  public enum Kind implements ConfigName {
    /** 3GPP TR 38.901 Table 7.7.2-1, TDL-A (NLOS), 23 Rayleigh taps; delays scale with the delay spread. */
    TDL_A,
    /** Exponentially decaying power over taps spaced one OFDM sample apart. */
    EXPONENTIAL
  }

  // TR 38.901 V17 Table 7.7.2-1 (TDL-A): normalised delays (multiples of the RMS delay spread) and powers in dB.
  private static final double[] TDL_A_DELAYS = {
    0.0000, 0.3819, 0.4025, 0.5868, 0.4610, 0.5375, 0.6708, 0.5750, 0.7618, 1.5375, 1.8978, 2.2242,
    2.1718, 2.4942, 2.5119, 3.0582, 4.0810, 4.4579, 4.5695, 4.7966, 5.0066, 5.3043, 9.6586
  };
  private static final double[] TDL_A_POWERS_DB = {
    -13.4, 0.0, -2.2, -4.0, -6.0, -8.2, -9.9, -10.5, -7.5, -15.9, -6.6, -16.7,
    -12.4, -15.2, -10.8, -11.3, -12.7, -16.2, -18.3, -18.9, -16.6, -19.9, -29.7
  };

  private final double[] delays;
  private final double[] powers;

  private DelayProfile(double[] delays, double[] powers) {
    this.delays = delays;
    this.powers = powers;
    double sum = 0;
    for (double p : powers) {
      sum += p;
    }
    for (int i = 0; i < powers.length; i++) {
      powers[i] /= sum;
    }
  }

  /** TDL-A with its normalised delays scaled to the RMS delay spread {@code delaySpread} (seconds). */
  public static DelayProfile tdlA(double delaySpread) {
    double[] d = new double[TDL_A_DELAYS.length];
    double[] p = new double[TDL_A_DELAYS.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = TDL_A_DELAYS[i] * delaySpread;
      p[i] = StrictMath.pow(10, TDL_A_POWERS_DB[i] / 10);
    }
    return new DelayProfile(d, p);
  }

  /**
   * {@code taps} taps at delays l·sampleTime with power ∝ exp(−l·sampleTime / delaySpread), the
   * discrete exponential profile of an OFDM system sampled every {@code sampleTime} seconds.
   */
  public static DelayProfile exponential(int taps, double delaySpread, double sampleTime) {
    double[] d = new double[taps];
    double[] p = new double[taps];
    for (int l = 0; l < taps; l++) {
      d[l] = l * sampleTime;
      p[l] = StrictMath.exp(-d[l] / delaySpread);
    }
    return new DelayProfile(d, p);
  }

  public int taps() {
    return delays.length;
  }

  /** Delay of tap l in seconds. */
  public double delay(int l) {
    return delays[l];
  }

  /** Power of tap l; the powers sum to one. */
  public double power(int l) {
    return powers[l];
  }

  /** The RMS delay spread of the profile in seconds. */
  public double rmsDelaySpread() {
    double mean = 0;
    double second = 0;
    for (int l = 0; l < delays.length; l++) {
      mean += powers[l] * delays[l];
      second += powers[l] * delays[l] * delays[l];
    }
    return Math.sqrt(Math.max(0, second - mean * mean));
  }
}
