package org.mimobatch.jobs.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What one axis of a stored channel array indexes. */
public enum Axis {
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

  /** The name settings use: lower case. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Axis fromConfigName(String name) {
    for (Axis a : values()) {
      if (a.configName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown axis '" + name + "'");
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Axis::configName).collect(Collectors.joining(", "));
  }
}
