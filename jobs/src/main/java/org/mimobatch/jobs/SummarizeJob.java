package org.mimobatch.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.channels.DrawnChannels;
import org.mimobatch.jobs.config.OutputSettings;
import org.mimobatch.jobs.config.SummarySettings;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.jobs.spark.Sessions;
import org.mimobatch.jobs.summary.SummaryAggregation;
import org.mimobatch.jobs.summary.SummaryTap;

/**
 * {@code summarize}: aggregates the metrics dataset into one row per (rows, cols, group keys,
 * snr_db) (see {@link SummarySchema} for the columns), the quantile points of its distributions and
 * the sketches both come from ({@link SummaryAggregation}). Matrices of different shapes are never
 * mixed, so rows and cols always lead the grouping. Where summary.runs names earlier runs whose
 * sketches are grouped by at least the keys asked for, their sketches are merged instead of their
 * metrics read again.
 */
public final class SummarizeJob {
  private SummarizeJob() {}

  /** Summarises the metrics of the runs {@code summary} names into the run of {@code output}. */
  public static SummaryAggregation.Result run(SparkSession spark, OutputSettings output, SummarySettings summary) {
    return RunJob.publish(spark, output, store -> summarize(spark, output, summary, store));
  }

  /** Summarises into {@code store}'s versions of the summary, distributions and sketches, pending its commit. */
  static SummaryAggregation.Result summarize(SparkSession spark, OutputSettings output, SummarySettings summary,
      RunStore store) {
    DatasetPaths paths = output.paths();
    List<String> runs = summary.ownRunOnly() ? List.of(output.runId()) : summary.runs();
    SummaryAggregation aggregation = summary.ownRunOnly() ? null : ofSketches(spark, paths, summary, runs);
    String source;
    if (aggregation != null) {
      source = "the sketches of runs " + runs;
    } else {
      Dataset<Row> metrics = Runs.read(Sessions.splittingReads(spark, DrawnChannels.PARTITIONS_PER_CORE), paths,
          DatasetPaths.METRICS, runs, store);
      source = runs.size() == 1 && !runs.get(0).equals("*")
          ? new DatasetPaths(paths.root(), runs.get(0)).metrics() : paths.base(DatasetPaths.METRICS);
      MetricsSchema.validate(metrics.schema(), source);
      aggregation = SummaryAggregation.ofMetrics(metrics, SummaryAggregation.groupKeys(metrics.schema(), summary.groupBy(), source),
          summary.capacityQuantiles(), summary.sketchK());
    }
    return write(spark, summary, store, aggregation, source);
  }

  private static SummaryAggregation.Result write(SparkSession spark, SummarySettings summary, RunStore store,
      SummaryAggregation aggregation, String source) {
    spark.sparkContext().setJobDescription("summarize " + source + " by " + summary.groupBy() + ", snr_db");
    spark.sparkContext().setCallSite("mimobatch summarize");
    // A summary of this run alone says which metrics it summarises, so that a reader can tell.
    RunManifest.Entry metrics = summary.ownRunOnly() ? store.entry(DatasetPaths.METRICS) : null;
    Map<String, String> sources = metrics == null ? Map.of() : Map.of(DatasetPaths.METRICS, metrics.attempt());
    try {
      return aggregation.write(store, sources);
    } finally {
      spark.sparkContext().clearCallSite();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /**
   * Summarises this run's metrics from what {@code tap} gathered while {@code partitions} tasks
   * wrote them; reads the metrics instead where a partition left nothing (its tasks' files were
   * lost). The tasks' files are removed either way.
   */
  static SummaryAggregation.Result fromTap(SparkSession spark, OutputSettings output, SummarySettings summary,
      RunStore store, SummaryTap tap, int partitions) {
    try {
      SummaryAggregation aggregation = SummaryAggregation.ofTap(spark, tap, partitions, summary.capacityQuantiles());
      return aggregation == null ? summarize(spark, output, summary, store)
          : write(spark, summary, store, aggregation, output.paths().metrics());
    } finally {
      tap.delete(spark);
    }
  }

  /**
   * The aggregation of the stored sketches of {@code runs} ("*": every run with metrics), where
   * each has them and they are grouped by every key asked for; else null, and the metrics are read.
   */
  private static SummaryAggregation ofSketches(SparkSession spark, DatasetPaths paths, SummarySettings summary,
      List<String> runs) {
    List<String> ids = runs.equals(List.of("*")) ? Runs.available(spark, paths.base(DatasetPaths.METRICS)) : runs;
    if (ids.isEmpty() || !Runs.available(spark, paths.base(DatasetPaths.SKETCHES)).containsAll(ids)) {
      return null;
    }
    Dataset<Row> sketches = Runs.read(spark, paths, DatasetPaths.SKETCHES, ids, null);
    List<String> keyColumns = new ArrayList<>(Arrays.asList(sketches.columns()));
    keyColumns.removeAll(Arrays.asList(SummarySchema.sketchFields().fieldNames()));
    List<String> keys = new ArrayList<>(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS));
    for (String g : summary.groupBy()) {
      if (!keyColumns.contains(g)) {
        return null;
      }
      if (!keys.contains(g)) {
        keys.add(g);
      }
    }
    return SummaryAggregation.ofSketches(sketches, keys, summary.capacityQuantiles(), summary.sketchK(),
        SummaryAggregation.refinementsIn(sketches));
  }
}
