package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet writers alone: rows of a dataset, held in memory, written into one file on the
 * calling thread by the flat writer ({@link FlatParquetFormat}) and by Spark's own, with the
 * settings {@link AtomicDatasetWriter} writes with (no dictionary; no min/max statistics on the
 * value columns; the session's codec). Passes alternate between the two writers; the fastest pass
 * of each counts.
 */
public final class WriterBench {
  /** Rows per second of each writer, over {@code rows} rows. */
  public record Rates(long rows, double flat, double spark) {}

  private WriterBench() {}

  /**
   * Times {@code passes} writes of the first {@code maxRows} rows of {@code dataset} by each writer,
   * into files under {@code scratch} (deleted after each pass).
   */
  public static Rates time(SparkSession spark, String dataset, Collection<String> withoutStatistics, int maxRows,
      int passes, String scratch) {
    StructType schema = spark.read().parquet(dataset).schema();
    InternalRow[] rows = inMemory(spark, dataset, schema, maxRows);
    Writers flat = writers(spark, new FlatParquetFormat(), schema, withoutStatistics);
    Writers sparks = writers(spark, new ParquetFileFormat(), schema, withoutStatistics);
    double bestFlat = 0;
    double bestSpark = 0;
    for (int pass = 0; pass < passes; pass++) {
      bestFlat = Math.max(bestFlat, flat.rate(schema, rows, new Path(scratch, "flat-" + pass)));
      bestSpark = Math.max(bestSpark, sparks.rate(schema, rows, new Path(scratch, "spark-" + pass)));
    }
    return new Rates(rows.length, bestFlat, bestSpark);
  }

  /** The rows as the writers receive them from Spark: unsafe rows. */
  private static InternalRow[] inMemory(SparkSession spark, String dataset, StructType schema, int maxRows) {
    List<Row> read = spark.read().parquet(dataset).limit(maxRows).collectAsList();
    ExpressionEncoder.Serializer<Row> toInternal = ExpressionEncoder.apply(RowEncoder.encoderFor(schema, false))
        .createSerializer();
    InternalRow[] rows = new InternalRow[read.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = toInternal.apply(read.get(i)).copy();
    }
    return rows;
  }

  private static Writers writers(SparkSession spark, ParquetFileFormat format, StructType schema,
      Collection<String> withoutStatistics) {
    try {
      Job job = Job.getInstance(spark.sparkContext().hadoopConfiguration());
      job.getConfiguration().setBoolean("parquet.enable.dictionary", false);
      AtomicDatasetWriter.noStatistics(schema, withoutStatistics).forEach(job.getConfiguration()::set);
      OutputWriterFactory factory = format.prepareWrite(spark, job,
          scala.collection.immutable.Map$.MODULE$.<String, String>empty(), schema);
      return new Writers(factory, job.getConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up a Parquet write", e);
    }
  }

  /** One format's writer factory, and the job configuration its writers read. */
  private record Writers(OutputWriterFactory factory, Configuration conf) {
    /** Writes {@code rows} into {@code file}, deletes it, and returns rows per second. */
    double rate(StructType schema, InternalRow[] rows, Path file) {
      long t0 = System.nanoTime();
      OutputWriter writer = factory.newInstance(file.toString(), schema,
          new TaskAttemptContextImpl(conf, new TaskAttemptID()));
      for (InternalRow row : rows) {
        writer.write(row);
      }
      writer.close();
      double seconds = (System.nanoTime() - t0) / 1e9;
      try {
        file.getFileSystem(conf).delete(file, false);
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete " + file, e);
      }
      return rows.length / seconds;
    }
  }
}
