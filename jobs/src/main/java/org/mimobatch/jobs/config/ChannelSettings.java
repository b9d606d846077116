package org.mimobatch.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mimobatch.jobs.io.Limits;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelModel;
import org.mimobatch.pipeline.channel.ChannelSpec;
import org.mimobatch.pipeline.channel.DelayProfile;

/**
 * The {@code channel} section: the channels to draw, and how many partitions a channels dataset has.
 *
 * @param spec the model, grid, precision and seed of the channels drawn
 * @param partitions partitions of a channels dataset (drawn or ingested); 0 chooses from its size
 */
public record ChannelSettings(ChannelSpec spec, int partitions) implements Serializable {
  /** Largest table of subcarrier × tap phases, and largest (link, slot) unit of matrix entries. */
  private static final long MAX_PHASES = 1L << 24;
  private static final long MAX_UNIT_ENTRIES = 1L << 24;

  static ChannelSettings read(ConfigReader r) {
    return new ChannelSettings(spec(r), r.intBetween("channel.partitions", 0, Limits.MAX_PARTITIONS));
  }

  /** These settings with another scenario. */
  public ChannelSettings withSpec(ChannelSpec other) {
    return new ChannelSettings(other, partitions);
  }

  /** The scenario drawn, as the run's description lists it. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    ChannelSpec c = spec;
    m.put("channel.model", c.model().configName());
    m.put("channel.rx x tx", c.rx() + " x " + c.tx());
    m.put("channel.links x slots x subcarriers", c.links() + " x " + c.slots() + " x " + c.subcarriers());
    m.put("channel.precision", c.precision().configName());
    m.put("channel.seed", Long.toString(c.seed()));
    m.put("channel.correlation", "rx " + c.correlationRx() + ", tx " + c.correlationTx());
    if (c.model() == ChannelModel.TDL) {
      m.put("channel.tdl", c.tdl().profile().configName() + ", "
          + c.tdl().delaySpreadNs() + " ns, " + c.tdl().subcarrierSpacingKhz() + " kHz");
    }
    return m;
  }

  private static ChannelSpec spec(ConfigReader r) {
    ChannelModel model = r.choice("channel.model", ChannelModel.class);
    int rx = r.intBetween("channel.rx", 1, Limits.MAX_ANTENNAS);
    int tx = r.intBetween("channel.tx", 1, Limits.MAX_ANTENNAS);
    int links = r.intAtLeast("channel.links", 1);
    int slots = r.intAtLeast("channel.slots", 1);
    int subcarriers = r.intBetween("channel.subcarriers", 1, 1 << 20);
    Precision precision = r.choice("channel.precision", Precision.class);
    long seed = r.number("channel.seed").longValue();
    double rhoRx = r.doubleBetween("channel.correlation.rx", 0, 1);
    double rhoTx = r.doubleBetween("channel.correlation.tx", 0, 1);
    if (model == ChannelModel.RAYLEIGH && (rhoRx != 0 || rhoTx != 0)) {
      String key = rhoRx != 0 ? "channel.correlation.rx" : "channel.correlation.tx";
      throw new SettingsException(key + ": the rayleigh model is uncorrelated; use channel.model = kronecker or tdl"
          + " for spatial correlation, or set it to 0");
    }
    DelayProfile.Kind profile = r.choice("channel.tdl.profile", DelayProfile.Kind.class);
    double delaySpread = r.positive("channel.tdl.delay-spread-ns");
    double spacing = r.positive("channel.tdl.subcarrier-spacing-khz");
    int taps = r.intBetween("channel.tdl.taps", 1, 4096);
    // One (link, slot) is generated at once: all its subcarriers, and the phase of every tap on each.
    if ((long) rx * tx * subcarriers > MAX_UNIT_ENTRIES) {
      throw new SettingsException("channel.subcarriers: " + subcarriers + " subcarriers of " + rx + "x" + tx
          + " matrices make one (link, slot) of " + (long) rx * tx * subcarriers + " entries; allowed up to "
          + MAX_UNIT_ENTRIES + ", so at most " + MAX_UNIT_ENTRIES / ((long) rx * tx) + " subcarriers at this size");
    }
    long phases = (long) subcarriers * (profile == DelayProfile.Kind.TDL_A ? 23 : taps);
    if (model == ChannelModel.TDL && phases > MAX_PHASES) {
      throw new SettingsException("channel.tdl.taps: " + subcarriers + " subcarriers × " + phases / subcarriers
          + " taps make " + phases + " phases; allowed up to " + MAX_PHASES + " (reduce channel.tdl.taps or"
          + " channel.subcarriers)");
    }
    // Overflow-free: each factor is below 2^31.
    double matrices = (double) links * slots * subcarriers;
    if (matrices > Limits.MAX_MATRICES) {
      throw new SettingsException("channel.links, channel.slots, channel.subcarriers: " + links + " × " + slots + " × "
          + subcarriers + " = " + String.format(java.util.Locale.ROOT, "%.3g", matrices) + " matrices, more than the "
          + Limits.MAX_MATRICES + " (10^11) one run plans; split the grid across runs (run ids), e.g. by links");
    }
    return new ChannelSpec(model, rx, tx, links, slots, subcarriers, precision, seed, rhoRx, rhoTx,
        new ChannelSpec.Tdl(profile, delaySpread, spacing, taps));
  }
}
