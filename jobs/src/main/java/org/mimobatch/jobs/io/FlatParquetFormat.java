package org.mimobatch.jobs.io;

import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet format with a faster writer for flat schemas: columns of primitive types and
 * lists of them, which is what every dataset mimobatch writes is made of. Such rows go straight
 * into parquet-mr's column writers ({@link FlatParquetWriter}), skipping the record-assembly layer
 * ({@code MessageColumnIO}) and Spark's per-field closures that Spark's writer runs for every list
 * element; that layer cost more than the encoding itself (a metrics row of an 8×8 matrix: 28 list
 * elements, 11 scalars). The files are the same: the same Parquet schema (Spark's converter makes
 * it), the same Spark metadata in the footer, the same codec, page and row-group settings.
 *
 * <p>Any other schema, and Spark's legacy list layout ({@code spark.sql.parquet.writeLegacyFormat}),
 * goes through Spark's own writer. Reading is Spark's. Use it by class name:
 * {@code df.write().format(FlatParquetFormat.class.getName()).save(path)}.
 */
public class FlatParquetFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;
  static final String LEGACY_FORMAT = "spark.sql.parquet.writeLegacyFormat";

  @Override
  public OutputWriterFactory prepareWrite(SparkSession spark, Job job, scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    // Spark's preparation sets the codec, the Spark schema and the format switches in the job's
    // configuration, which both writers then read.
    return new Factory(super.prepareWrite(spark, job, options, dataSchema));
  }

  @Override
  public String toString() {
    return "FlatParquet";
  }

  /** Spark's factory for the file names and for what the flat writer does not take. */
  private static final class Factory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;
    private final OutputWriterFactory spark;

    Factory(OutputWriterFactory spark) {
      this.spark = spark;
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return spark.getFileExtension(context);
    }

    @Override
    public OutputWriter newInstance(String path, StructType dataSchema, TaskAttemptContext context) {
      if (context.getConfiguration().getBoolean(LEGACY_FORMAT, false) || !FlatColumn.supports(dataSchema)) {
        return spark.newInstance(path, dataSchema, context);
      }
      return new FlatParquetWriter(path, dataSchema, context);
    }
  }
}
