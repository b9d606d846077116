package org.mimobatch.jobs.ingest;

import org.mimobatch.pipeline.ConfigName;

/** File formats ingest reads. */
public enum Format implements ConfigName {
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
}
