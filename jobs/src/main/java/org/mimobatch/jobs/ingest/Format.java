package org.mimobatch.jobs.ingest;

import java.util.Locale;

/** File formats ingest reads. */
public enum Format {
  /** Told apart by the file's first bytes, not its name. */
  AUTO,
  /** NumPy .npy. */
  NPY,
  /** NumPy .npz: a zip of .npy entries, stored or deflated. */
  NPZ,
  /** HDF5, including MATLAB v7.3 MAT-files (HDF5 behind a 512-byte header). */
  HDF5,
  /** MATLAB MAT v5 (save -v6, -v7: also compressed). */
  MAT,
  /** Parquet in the channels layout. */
  PARQUET;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Format fromConfigName(String name) {
    for (Format f : values()) {
      if (f.configName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown format '" + name + "'");
  }
}
