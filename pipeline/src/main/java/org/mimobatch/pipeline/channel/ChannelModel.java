package org.mimobatch.pipeline.channel;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The statistical channel models the generator draws from. */
public enum ChannelModel {
  /** i.i.d. Rayleigh fading: every entry CN(0, 1), independent across antennas and subcarriers. */
  RAYLEIGH("rayleigh"),
  /** Rayleigh fading with Kronecker spatial correlation R_rx^{1/2} W R_tx^{T/2}, exponential correlation. */
  KRONECKER("kronecker"),
  /** Frequency-selective tapped delay line: per (link, slot) taps, DFT over the subcarriers. */
  TDL("tdl");

  private final String configName;

  ChannelModel(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static ChannelModel fromConfigName(String name) {
    for (ChannelModel m : values()) {
      if (m.configName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown channel model '" + name + "'; allowed: " + allowed());
  }

  public static String allowed() {
    return Arrays.stream(values()).map(ChannelModel::configName).collect(Collectors.joining(", "));
  }
}
