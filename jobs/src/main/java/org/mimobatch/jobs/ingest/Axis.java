package org.mimobatch.jobs.ingest;

import org.mimobatch.pipeline.ConfigName;

/** What one axis of a stored channel array indexes. */
public enum Axis implements ConfigName {
  /** Folds into the link key; several axes may (row-major, the first listed slowest). */
  LINK,
  /** The slot key: OFDM symbol, time step or snapshot. */
  SLOT,
  /** The subcarrier key. */
  SUBCARRIER,
  /** Receive antenna: the matrix row. */
  RX,
  /** Transmit antenna: the matrix column. */
  TX,
  /** A propagation path of a path-level channel, summed into the frequency response. */
  PATH;
}
