package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;

/** What a written dataset's Parquet footers say, read on the driver without a Spark job. */
public final class ParquetFooters {
  private ParquetFooters() {}

  /**
   * The rows in the Parquet files directly under {@code dir}, summed from their footers: no data
   * page is read, so the cost is one small read per file.
   */
  public static long rowCount(SparkSession spark, String dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(conf);
      long rows = 0;
      for (FileStatus file : fs.listStatus(root, p -> p.getName().endsWith(".parquet"))) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
          rows += reader.getRecordCount();
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footers under " + dir, e);
    }
  }
}
