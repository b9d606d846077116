package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.config.Settings;
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

  public static Result run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /** As {@link #run(SparkSession, Settings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, Settings settings, PrintStream progress) {
    IngestSpec spec = settings.input();
    if (!spec.enabled()) {
      throw new SettingsException("input.path: ingest needs the channel files to read");
    }
    RunStore store = RunJob.store(spark, settings);
    Result r = write(spark, settings, store, progress);
    store.commit();
    return r;
  }

  /** Reads the channel files as {@code store}'s version of the channels dataset, pending its commit. */
  static Result write(SparkSession spark, Settings settings, RunStore store, PrintStream progress) {
    IngestSpec spec = settings.input();
    String path = settings.paths().channels();
    if (spec.format() == Format.PARQUET) {
      Dataset<Row> channels = Runs.readRun(spark, spec.path(), null);
      Precision precision = ChannelsSchema.validate(channels.schema(), spec.path());
      List<String> files = store.write(DatasetPaths.CHANNELS, channels, written -> { }, ChannelsSchema.valueColumns(),
          Map.of());
      Map<String, String> source = new LinkedHashMap<>(settings.describeSource());
      source.put("input.files", describeFiles(List.of(channels.inputFiles())));
      store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(source, precision));
      return new Result(path, store.entry(DatasetPaths.CHANNELS).rows(), channels.inputFiles().length, files.size());
    }
    IngestPlan plan = IngestPlan.of(spec, spark.sparkContext().hadoopConfiguration());
    int partitions = GenerateJob.partitions(spark, settings, plan.matrices());
    long perPartition = (plan.matrices() + partitions - 1) / Math.max(1, partitions);
    String description = "ingest " + plan.matrices() + " matrices from " + plan.files() + " file(s) under "
        + spec.path() + " -> " + path;
    int[] written = new int[1];
    try (Progress p = Progress.start(spark.sparkContext(), "ingest", description, plan.matrices(), progress,
        settings.progressInterval())) {
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
    store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(source(settings, plan), plan.precision()));
    return new Result(path, plan.matrices(), plan.files(), written[0]);
  }

  /** What channels ingested by {@code plan} are: the input settings, and the files read. */
  static Map<String, String> source(Settings settings, IngestPlan plan) {
    Map<String, String> source = new LinkedHashMap<>(settings.describeSource());
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
