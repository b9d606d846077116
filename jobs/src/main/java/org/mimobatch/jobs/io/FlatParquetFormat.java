package org.mimobatch.jobs.io;

import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet format with a faster writer for flat schemas: columns of primitive types and
 * lists of them, which is what every dataset mimobatch writes is made of. Such rows go straight
 * into data pages ({@link FlatParquetWriter}: numbers and lists of them through {@link
 * PlainColumn}, the rest through parquet-mr's column writers), skipping the record-assembly layer
 * ({@code MessageColumnIO}) and Spark's per-field closures that Spark's writer runs for every list
 * element; that layer cost more than the encoding itself (a metrics row of an 8×8 matrix: 28 list
 * elements, 11 scalars). The files hold the same: the same Parquet schema (Spark's converter makes
 * it), the same Spark metadata in the footer, the same codec, encodings, statistics, page and
 * row-group settings.
 *
 * <p>Any other schema, Spark's legacy list layout ({@code spark.sql.parquet.writeLegacyFormat}), and
 * a write with parquet-mr settings the flat writer does not apply (encryption, bloom filters,
 * per-column settings other than statistics), go through Spark's own writer. Reading is Spark's.
 * Use it by class name: {@code df.write().format(FlatParquetFormat.class.getName()).save(path)}.
 */
public class FlatParquetFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;
  static final String LEGACY_FORMAT = "spark.sql.parquet.writeLegacyFormat";

  /**
   * The parquet-mr settings the flat writer applies (or, for the job summary, the committer). Any
   * other parquet.* key — encryption, bloom filters, per-column settings (key#column) but those of
   * {@link #APPLIED_PER_COLUMN} — sends the write to Spark's writer, which applies them all.
   */
  private static final Set<String> APPLIED = Set.of(ParquetOutputFormat.BLOCK_SIZE, ParquetOutputFormat.PAGE_SIZE,
      ParquetOutputFormat.COMPRESSION, ParquetOutputFormat.DICTIONARY_PAGE_SIZE, ParquetOutputFormat.ENABLE_DICTIONARY,
      ParquetOutputFormat.WRITER_VERSION, ParquetOutputFormat.MAX_PADDING_BYTES,
      ParquetOutputFormat.MIN_ROW_COUNT_FOR_PAGE_SIZE_CHECK, ParquetOutputFormat.MAX_ROW_COUNT_FOR_PAGE_SIZE_CHECK,
      ParquetOutputFormat.PAGE_VALUE_COUNT_THRESHOLD, ParquetOutputFormat.ESTIMATE_PAGE_SIZE_CHECK,
      ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH, ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH,
      ParquetOutputFormat.BLOCK_ROW_COUNT_LIMIT, ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
      ParquetOutputFormat.PAGE_WRITE_CHECKSUM_ENABLED, ParquetOutputFormat.STATISTICS_ENABLED,
      ParquetOutputFormat.SIZE_STATISTICS_ENABLED, ParquetOutputFormat.WRITE_SUPPORT_CLASS,
      ParquetOutputFormat.VALIDATION, ParquetOutputFormat.ENABLE_JOB_SUMMARY, ParquetOutputFormat.JOB_SUMMARY_LEVEL,
      // Concurrent writers in one JVM are not scaled down together: each buffers up to a block.
      ParquetOutputFormat.MEMORY_POOL_RATIO, ParquetOutputFormat.MIN_MEMORY_ALLOCATION);

  @Override
  public OutputWriterFactory prepareWrite(SparkSession spark, Job job, scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    // Spark's preparation sets the codec, the Spark schema and the format switches in the job's
    // configuration, which both writers then read.
    OutputWriterFactory sparks = super.prepareWrite(spark, job, options, dataSchema);
    return unappliedSetting(job.getConfiguration()) == null ? new Factory(sparks) : sparks;
  }

  /**
   * The per-column settings (key#column.path) the flat writer applies, as parquet-mr's record
   * writer does; other per-column keys it does not.
   */
  private static final Set<String> APPLIED_PER_COLUMN = Set.of(ParquetOutputFormat.STATISTICS_ENABLED);

  /** The first parquet.* setting in {@code conf} that the flat writer would not apply, or null. */
  static String unappliedSetting(Configuration conf) {
    for (String key : conf.getPropsWithPrefix("parquet.").keySet()) {
      String full = "parquet." + key;
      int column = full.indexOf('#');
      if (column > 0 ? APPLIED_PER_COLUMN.contains(full.substring(0, column)) : APPLIED.contains(full)) {
        continue;
      }
      // Codec options (e.g. parquet.compression.codec.zstd.level) reach the codec through the configuration.
      if (!full.startsWith(ParquetOutputFormat.COMPRESSION + ".")) {
        return full;
      }
    }
    return null;
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
