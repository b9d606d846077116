package org.mimobatch.jobs.ingest;

import org.mimobatch.pipeline.ConfigName;

/**
 * Where the subcarriers of a frequency response lie relative to the carrier, when path-level
 * channels are turned into OFDM channels: each tool has its convention.
 */
public enum Frequencies implements ConfigName {
  /** f_k = (k − ⌊N/2⌋)·Δf: centred on the carrier, as Sionna's subcarrier_frequencies and MATLAB's OFDM grids. */
  CENTRED,
  /** f_k = k·Δf: from the carrier up, as QuaDRiGa's fr and mimobatch's own TDL generator. */
  FROM_ZERO;

  /** The index of the first of n subcarriers: f_k = (k + first)·Δf. */
  public int first(int n) {
    return this == CENTRED ? -(n / 2) : 0;
  }
}
