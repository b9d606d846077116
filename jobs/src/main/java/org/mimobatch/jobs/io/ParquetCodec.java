package org.mimobatch.jobs.io;

/**
 * The compression codecs mimobatch writes its datasets with: those that pyarrow, DuckDB and Spark
 * all read and that the compatibility test checks. Spark's own name for each is its config name.
 */
public enum ParquetCodec {
  SNAPPY,
  ZSTD,
  UNCOMPRESSED;

  /** The name in output.compression and in Spark's {@code spark.sql.parquet.compression.codec}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
