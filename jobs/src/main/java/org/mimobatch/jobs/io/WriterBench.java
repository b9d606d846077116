package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet writers alone: rows of a dataset, held in memory, written into one file on the
 * calling thread by the flat writer ({@link FlatParquetFormat}) and by Spark's own, with the schema
 * and settings {@link AtomicDatasetWriter} wrote them with (the Spark schema in the file's footer,
 * which keeps the columns' nullability that a read drops; no dictionary; no min/max statistics on
 * the value columns; the session's codec). Passes alternate between the two writers; the fastest
 * pass of each counts.
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
    StructType schema = ParquetFooters.schema(spark, dataset)
        .orElseThrow(() -> new InputException(dataset + " holds no .parquet file directly under it"));
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

  /** The rows as the writers receive them from Spark: unsafe rows, converted one by one as they arrive. */
  private static InternalRow[] inMemory(SparkSession spark, String dataset, StructType schema, int maxRows) {
    ExpressionEncoder.Serializer<Row> toInternal = ExpressionEncoder.apply(RowEncoder.encoderFor(schema, false))
        .createSerializer();
    List<InternalRow> rows = new ArrayList<>();
    Iterator<Row> read = spark.read().parquet(dataset).select(columns(schema)).limit(maxRows).toLocalIterator();
    while (read.hasNext()) {
      rows.add(toInternal.apply(read.next()).copy());
    }
    return rows.toArray(new InternalRow[0]);
  }

  private static Column[] columns(StructType schema) {
    Column[] columns = new Column[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = functions.col("`" + schema.fields()[i].name().replace("`", "``") + "`");
    }
    return columns;
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
      double seconds;
      try {
        OutputWriter writer = factory.newInstance(file.toString(), schema,
            new TaskAttemptContextImpl(conf, new TaskAttemptID()));
        try {
          for (InternalRow row : rows) {
            writer.write(row);
          }
        } finally {
          writer.close();
        }
        seconds = (System.nanoTime() - t0) / 1e9;
      } finally {
        try {
          file.getFileSystem(conf).delete(file, false);
        } catch (IOException e) {
          throw new UncheckedIOException("could not delete " + file, e);
        }
      }
      return rows.length / seconds;
    }
  }
}
