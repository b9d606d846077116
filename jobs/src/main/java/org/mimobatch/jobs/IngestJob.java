package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.channels.DrawnChannels;
import org.mimobatch.jobs.config.OutputSettings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.ingest.Format;
import org.mimobatch.jobs.ingest.IngestPlan;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.ParquetFooters;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.io.RunInfo;
import org.mimobatch.pipeline.batch.Precision;

/**
 * {@code ingest}: reads the channel files of {@code input.*} (NumPy, HDF5, MAT, or Parquet in the
 * channels layout) into this run's channels dataset, so that analyze and everything after it work
 * as on generated channels. The driver reads only metadata; tasks read their pieces of the files
 * a slab at a time ({@link IngestPlan}).
 */
public final class IngestJob {
  private IngestJob() {}

  /** What was written. */
  public record Result(String path, long matrices, long files, int partitions) {}

  /**
   * Reads the channel files of {@code input} into the run of {@code output}, in {@code partitions}
   * partitions (channel.partitions; 0 chooses from the matrices read).
   */
  public static Result run(SparkSession spark, OutputSettings output, IngestSpec input, int partitions) {
    return run(spark, output, input, partitions, null);
  }

  /** As {@link #run(SparkSession, OutputSettings, IngestSpec, int)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, OutputSettings output, IngestSpec input, int partitions,
      PrintStream progress) {
    if (!input.enabled()) {
      throw new SettingsException("input.path: ingest needs the channel files to read");
    }
    RunStore store = RunJob.store(spark, output);
    Result r = write(spark, output, input, partitions, store, progress);
    store.commit();
    return r;
  }

  /** Reads the channel files as {@code store}'s version of the channels dataset, pending its commit. */
  static Result write(SparkSession spark, OutputSettings output, IngestSpec spec, int givenPartitions, RunStore store,
      PrintStream progress) {
    String path = output.paths().channels();
    if (spec.format() == Format.PARQUET) {
      Dataset<Row> channels = Runs.readRun(spark, spec.path(), null);
      Precision precision = ChannelsSchema.validate(channels.schema(), spec.path());
      List<String> files = store.write(DatasetPaths.CHANNELS, channels, written -> { }, ChannelsSchema.valueColumns(),
          Map.of());
      Map<String, String> source = new LinkedHashMap<>(spec.describe());
      source.put("input.files", describeFiles(List.of(channels.inputFiles())));
      store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(source, precision));
      return new Result(path, store.entry(DatasetPaths.CHANNELS).rows(), channels.inputFiles().length, files.size());
    }
    IngestPlan plan = IngestPlan.of(spec, spark.sparkContext().hadoopConfiguration());
    int partitions = DrawnChannels.partitions(spark, givenPartitions, plan.matrices());
    long perPartition = (plan.matrices() + partitions - 1) / Math.max(1, partitions);
    String description = "ingest " + plan.matrices() + " matrices from " + plan.files() + " file(s) under "
        + spec.path() + " -> " + path;
    int[] written = new int[1];
    try (Progress p = Progress.start(spark.sparkContext(), "ingest", description, plan.matrices(), progress,
        output.progressInterval())) {
      var rows = plan.rows(spark, perPartition, p.counter());
      written[0] = rows.getNumPartitions();
      Dataset<Row> channels = InternalRows.dataFrame(spark, rows, plan.schema());
      store.write(DatasetPaths.CHANNELS, channels, files -> {
        long count = ParquetFooters.rowCount(spark, files);
        if (count != plan.matrices()) {
          throw new IllegalStateException("ingest found " + plan.matrices() + " matrices but wrote " + count + " rows");
        }
      }, ChannelsSchema.valueColumns(), Map.of());
    }
    store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(source(spec, plan), plan.precision()));
    return new Result(path, plan.matrices(), plan.files(), written[0]);
  }

  /** What channels ingested by {@code plan} are: the input settings, and the files read. */
  static Map<String, String> source(IngestSpec spec, IngestPlan plan) {
    Map<String, String> source = new LinkedHashMap<>(spec.describe());
    if (!plan.variables().isEmpty()) {
      source.put("input.variable", String.join(", ", plan.variables()));
    }
    source.put("input.files", describeFiles(plan.fileNames()));
    return source;
  }

  /** How many files, and the first few. */
  private static String describeFiles(List<String> files) {
    int shown = Math.min(files.size(), 10);
    // Local files as paths, as a user writes them; other file systems' as URIs.
    List<String> named = files.subList(0, shown).stream()
        .map(f -> f.startsWith("file:") ? new org.apache.hadoop.fs.Path(f).toUri().getPath() : f).toList();
    return files.size() + ": " + String.join(", ", named) + (shown < files.size() ? ", …" : "");
  }
}
