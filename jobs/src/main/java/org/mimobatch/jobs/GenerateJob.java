package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.api.Channels;
import org.mimobatch.jobs.analyze.MetricsTally;
import org.mimobatch.jobs.channels.DrawnChannels;
import org.mimobatch.jobs.config.ChannelSettings;
import org.mimobatch.jobs.config.OutputSettings;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.RunInfo;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.pipeline.channel.ChannelSpec;


/**
 * {@code generate}: the channels of {@code channel.*}, drawn by {@link Channels#draw}, written as
 * the run's channels dataset, with progress. Each matrix depends only on (seed, link, slot), so
 * any partitioning, retry or rerun writes the same values.
 */
public final class GenerateJob {
  private GenerateJob() {}

  /** What was written. */
  public record Result(String path, long matrices, int partitions) {}

  /** Draws the channels of {@code channels} into the run of {@code output}. */
  public static Result run(SparkSession spark, OutputSettings output, ChannelSettings channels) {
    return run(spark, output, channels, null);
  }

  /** As {@link #run(SparkSession, OutputSettings, ChannelSettings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, OutputSettings output, ChannelSettings channels, PrintStream progress) {
    RunStore store = RunJob.store(spark, output);
    Result r = write(spark, output, channels, store, progress);
    store.commit();
    return r;
  }

  /** Draws the channels as {@code store}'s version of the channels dataset, pending its commit. */
  static Result write(SparkSession spark, OutputSettings output, ChannelSettings channels, RunStore store,
      PrintStream progress) {
    ChannelSpec spec = channels.spec();
    int partitions = DrawnChannels.partitions(spark, channels);
    String path = output.paths().channels();
    String description = "generate " + spec.matrices() + " " + spec.rx() + "x" + spec.tx() + " "
        + spec.model().configName() + " channels -> " + path;
    try (Progress p = Progress.start(spark.sparkContext(), "generate", description, spec.matrices(), progress,
        output.progressInterval())) {
      Dataset<Row> drawn = Channels.draw(spark, channels);
      store.write(DatasetPaths.CHANNELS, InternalRows.mapPartitions(drawn, new MetricsTally(p.counter(), null, -1, null),
          drawn.schema()), files -> { }, ChannelsSchema.valueColumns(), Map.of());
    }
    store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(channels.describe(), spec.precision()));
    return new Result(path, spec.matrices(), partitions);
  }
}
