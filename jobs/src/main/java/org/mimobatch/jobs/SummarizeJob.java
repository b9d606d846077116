package org.mimobatch.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
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

  public static SummaryAggregation.Result run(SparkSession spark, Settings settings) {
    return RunJob.publish(spark, settings, store -> summarize(spark, settings, store));
  }

  /** Summarises into {@code store}'s versions of the summary, distributions and sketches, pending its commit. */
  static SummaryAggregation.Result summarize(SparkSession spark, Settings settings, RunStore store) {
    DatasetPaths paths = settings.paths();
    List<String> runs = settings.summaryRuns().isEmpty() ? List.of(settings.runId()) : settings.summaryRuns();
    SummaryAggregation aggregation = settings.summaryRuns().isEmpty() ? null : ofSketches(spark, settings, runs);
    String source;
    if (aggregation != null) {
      source = "the sketches of runs " + runs;
    } else {
      Dataset<Row> metrics = Runs.read(Sessions.splittingReads(spark, GenerateJob.PARTITIONS_PER_CORE), paths,
          DatasetPaths.METRICS, runs, store);
      source = runs.size() == 1 && !runs.get(0).equals("*")
          ? new DatasetPaths(paths.root(), runs.get(0)).metrics() : paths.base(DatasetPaths.METRICS);
      MetricsSchema.validate(metrics.schema(), source);
      aggregation = SummaryAggregation.ofMetrics(metrics, groupKeys(metrics.schema(), settings.groupBy(), source),
          settings.capacityQuantiles(), settings.sketchK());
    }
    return write(spark, settings, store, aggregation, source);
  }

  private static SummaryAggregation.Result write(SparkSession spark, Settings settings, RunStore store,
      SummaryAggregation aggregation, String source) {
    spark.sparkContext().setJobDescription("summarize " + source + " by " + settings.groupBy() + ", snr_db");
    spark.sparkContext().setCallSite("mimobatch summarize");
    // A summary of this run alone says which metrics it summarises, so that a reader can tell.
    RunManifest.Entry metrics = settings.summaryRuns().isEmpty() ? store.entry(DatasetPaths.METRICS) : null;
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
  static SummaryAggregation.Result fromTap(SparkSession spark, Settings settings, RunStore store, SummaryTap tap,
      int partitions) {
    try {
      SummaryAggregation aggregation = SummaryAggregation.ofTap(spark, tap, partitions, settings.capacityQuantiles());
      return aggregation == null ? summarize(spark, settings, store)
          : write(spark, settings, store, aggregation, settings.paths().metrics());
    } finally {
      tap.delete(spark);
    }
  }

  /**
   * The aggregation of the stored sketches of {@code runs} ("*": every run with metrics), where
   * each has them and they are grouped by every key asked for; else null, and the metrics are read.
   */
  private static SummaryAggregation ofSketches(SparkSession spark, Settings settings, List<String> runs) {
    DatasetPaths paths = settings.paths();
    List<String> ids = runs.equals(List.of("*")) ? Runs.available(spark, paths.base(DatasetPaths.METRICS)) : runs;
    if (ids.isEmpty() || !Runs.available(spark, paths.base(DatasetPaths.SKETCHES)).containsAll(ids)) {
      return null;
    }
    Dataset<Row> sketches = Runs.read(spark, paths, DatasetPaths.SKETCHES, ids, null);
    List<String> keyColumns = new ArrayList<>(Arrays.asList(sketches.columns()));
    keyColumns.removeAll(Arrays.asList(SummarySchema.sketchFields().fieldNames()));
    List<String> keys = new ArrayList<>(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS));
    for (String g : settings.groupBy()) {
      if (!keyColumns.contains(g)) {
        return null;
      }
      if (!keys.contains(g)) {
        keys.add(g);
      }
    }
    return SummaryAggregation.ofSketches(sketches, keys, settings.capacityQuantiles(), settings.sketchK(),
        SummaryAggregation.refinementsIn(sketches));
  }

  /** rows, cols, then the configured keys; each must be a scalar key column of the metrics. */
  public static List<String> groupKeys(StructType metrics, List<String> groupBy, String path) {
    List<String> keys = new ArrayList<>(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS));
    List<String> metricColumns = MetricsSchema.metricFields().stream().map(f -> f.name()).toList();
    List<String> columns = Arrays.asList(metrics.fieldNames());
    // run_id is the one key every metrics row has besides the channel keys.
    for (String g : groupBy) {
      if (!columns.contains(g)) {
        throw new SettingsException("summary.group-by: " + path + " has no column '" + g + "'; its key columns are "
            + columns.stream().filter(c -> !metricColumns.contains(c)).toList());
      }
      if (g.equals(MetricsSchema.SNR_DB)) {
        throw new SettingsException("summary.group-by: snr_db is always grouped; list only key columns such as "
            + ChannelsSchema.SUBCARRIER);
      }
      if (metricColumns.contains(g)) {
        throw new SettingsException("summary.group-by: '" + g + "' is a metric, not a key; group by key columns such as "
            + ChannelsSchema.SUBCARRIER);
      }
      if (!keys.contains(g)) {
        keys.add(g);
      }
    }
    return keys;
  }
}
