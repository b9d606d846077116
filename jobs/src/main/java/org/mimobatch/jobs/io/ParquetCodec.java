package org.mimobatch.jobs.io;

import org.mimobatch.pipeline.ConfigName;

/**
 * The compression codecs mimobatch writes its datasets with: those that pyarrow, DuckDB and Spark
 * all read and that the compatibility test checks. Spark's own name for each is its config name.
 */
public enum ParquetCodec implements ConfigName {
  SNAPPY,
  ZSTD,
  UNCOMPRESSED;
}
