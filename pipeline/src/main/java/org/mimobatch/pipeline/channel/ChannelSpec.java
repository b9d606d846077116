package org.mimobatch.pipeline.channel;

import java.io.Serializable;
import org.mimobatch.pipeline.batch.Precision;

/**
 * What to generate: a grid of links × slots × subcarriers channel matrices of rx × tx antennas.
 *
 * @param model statistical model
 * @param rx receive antennas (matrix rows)
 * @param tx transmit antennas (matrix columns)
 * @param links independent links
 * @param slots time slots per link (independent block fading)
 * @param subcarriers OFDM subcarriers per slot
 * @param precision complex128 or complex64 storage
 * @param seed master seed; every (link, slot) derives its own stream from it
 * @param correlationRx exponential correlation coefficient ρ between neighbouring receive antennas, in [0, 1]
 * @param correlationTx the same on the transmit side
 * @param tdl frequency-selective parameters, used by {@link ChannelModel#TDL}
 */
public record ChannelSpec(
    ChannelModel model,
    int rx,
    int tx,
    int links,
    int slots,
    int subcarriers,
    Precision precision,
    long seed,
    double correlationRx,
    double correlationTx,
    Tdl tdl) implements Serializable {

  /**
   * Tapped-delay-line parameters.
   *
   * @param profile TDL-A or exponential
   * @param delaySpreadNs RMS delay spread in nanoseconds
   * @param subcarrierSpacingKhz OFDM subcarrier spacing in kHz
   * @param taps number of taps of the exponential profile (TDL-A has its 23)
   */
  public record Tdl(DelayProfile.Kind profile, double delaySpreadNs, double subcarrierSpacingKhz, int taps)
      implements Serializable {
    public Tdl {
      require(delaySpreadNs > 0 && Double.isFinite(delaySpreadNs), "delay spread must be positive, got " + delaySpreadNs);
      require(subcarrierSpacingKhz > 0 && Double.isFinite(subcarrierSpacingKhz),
          "subcarrier spacing must be positive, got " + subcarrierSpacingKhz);
      require(taps >= 1, "an exponential profile needs at least one tap, got " + taps);
    }

    /** The delay profile these parameters describe for an OFDM symbol of {@code subcarriers}. */
    public DelayProfile delayProfile(int subcarriers) {
      double delaySpread = delaySpreadNs * 1e-9;
      return switch (profile) {
        case TDL_A -> DelayProfile.tdlA(delaySpread);
        case EXPONENTIAL -> DelayProfile.exponential(taps, delaySpread, 1.0 / (subcarriers * subcarrierSpacingKhz * 1e3));
      };
    }
  }

  public ChannelSpec {
    require(rx >= 1 && tx >= 1, "antenna counts must be at least 1, got " + rx + "x" + tx);
    require(links >= 1 && slots >= 1 && subcarriers >= 1,
        "links, slots and subcarriers must be at least 1, got " + links + ", " + slots + ", " + subcarriers);
    require(correlationRx >= 0 && correlationRx <= 1, "receive correlation must lie in [0, 1], got " + correlationRx);
    require(correlationTx >= 0 && correlationTx <= 1, "transmit correlation must lie in [0, 1], got " + correlationTx);
  }

  /** Matrices in the whole grid. */
  public long matrices() {
    return (long) links * slots * subcarriers;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
