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
  PATH,
  /** Of a real array, its real (0) and imaginary (1) parts: length 2. */
  REIM;

  /** Does the axis index within a matrix (or its paths and parts) rather than between matrices? */
  boolean inMatrix() {
    return this == RX || this == TX || this == PATH || this == REIM;
  }
}
