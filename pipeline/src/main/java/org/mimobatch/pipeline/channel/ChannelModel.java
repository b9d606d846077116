package org.mimobatch.pipeline.channel;

import org.mimobatch.pipeline.ConfigName;

/** The statistical channel models the generator draws from. */
public enum ChannelModel implements ConfigName {
  /** i.i.d. Rayleigh fading: every entry CN(0, 1), independent across antennas and subcarriers. */
  RAYLEIGH,
  /** Rayleigh fading with Kronecker spatial correlation R_rx^{1/2} W R_tx^{T/2}, exponential correlation. */
  KRONECKER,
  /** Frequency-selective tapped delay line: per (link, slot) taps, DFT over the subcarriers. */
  TDL;
}
