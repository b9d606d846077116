package org.mimobatch.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.analyze.AnalyzePartition;
import org.mimobatch.jobs.analyze.InputLayout;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.AtomicDatasetWriter;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.batch.Precision;

/**
 * {@code analyze}: reads the channels dataset under the output root, runs the per-matrix analysis
 * partition by partition in chunks of {@code analysis.chunk-size}, and writes the metrics dataset
 * with one row per channel row.
 */
public final class AnalyzeJob {
  private AnalyzeJob() {}

  /**
   * What was written.
   *
   * @param statusCounts rows per status label, read back from the written dataset
   */
  public record Result(String path, long rowsIn, long rowsOut, Map<String, Long> statusCounts) {
    public long failed() {
      return rowsOut - statusCounts.getOrDefault("ok", 0L);
    }
  }

  public static Result run(SparkSession spark, Settings settings) {
    DatasetPaths paths = new DatasetPaths(settings.outputDir());
    // Fails here, with the backend's own reason, rather than in every task.
    Backends.requireAvailable(settings.backend());
    Dataset<Row> channels = read(spark, paths.channels());
    Precision precision = ChannelsSchema.validate(channels.schema(), paths.channels());
    if (settings.analysisPartitions() > 0) {
      channels = channels.repartition(settings.analysisPartitions());
    }
    InputLayout layout = new InputLayout(channels.schema());
    spark.sparkContext().setJobDescription("analyze " + paths.channels() + " on " + settings.backend());
    Dataset<Row> metrics = channels.mapPartitions(
        new AnalyzePartition(settings.backend(), settings.analysis(), precision, settings.chunkSize(), layout),
        Encoders.row(layout.outputSchema()));
    long rowsIn = spark.read().parquet(paths.channels()).count();
    Map<String, Long> counts = new TreeMap<>();
    AtomicDatasetWriter.write(metrics, paths.metrics(), staged -> {
      // Rows in == rows out is checked on the staged copy, before it replaces anything.
      for (Row r : spark.read().parquet(staged).groupBy(MetricsSchema.STATUS).count().collectAsList()) {
        counts.put(r.getString(0), r.getLong(1));
      }
      long written = counts.values().stream().mapToLong(Long::longValue).sum();
      if (written != rowsIn) {
        throw new IllegalStateException("analyze read " + rowsIn + " channel rows but wrote " + written + " metrics rows");
      }
    });
    return new Result(paths.metrics(), rowsIn, rowsIn, counts);
  }

  /** Reads a Parquet dataset a previous step wrote, or stops with a message naming the path. */
  static Dataset<Row> read(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new InputException("no dataset at " + path + ": run the step that writes it first, or point --out at"
            + " the directory that holds it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return spark.read().parquet(path);
  }
}
