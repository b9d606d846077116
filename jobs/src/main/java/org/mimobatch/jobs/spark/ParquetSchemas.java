package org.mimobatch.jobs.spark;

import org.apache.parquet.hadoop.Footer;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/** Spark's schema of a Parquet file, read from its footer as Spark's own reader would. */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /**
   * The Spark schema a footer records (the one Spark wrote there, else the one its converter
   * derives from the Parquet schema, under this session's settings).
   */
  public static StructType of(Footer footer) {
    return ParquetFileFormat.readSchemaFromFooter(footer, new ParquetToSparkSchemaConverter(SQLConf.get()));
  }
}
