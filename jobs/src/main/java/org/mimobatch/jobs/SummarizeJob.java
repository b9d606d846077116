package org.mimobatch.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.AtomicDatasetWriter;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.summary.SummaryAccumulator;
import org.mimobatch.jobs.summary.SummaryPass;

/**
 * {@code summarize}: aggregates the metrics dataset into one row per (rows, cols, group keys,
 * snr_db) (see {@link SummarySchema} for the columns) and the quantile points of its distributions,
 * in one pass over the metrics ({@link SummaryPass}). Matrices of different shapes are never mixed,
 * so rows and cols always lead the grouping. {@code run} summarises in its analysis pass instead,
 * unless summary.runs names other runs.
 */
public final class SummarizeJob {
  private SummarizeJob() {}

  public static SummaryPass.Result run(SparkSession spark, Settings settings) {
    AtomicDatasetWriter.prepare(spark, settings.outputDir(), settings.outputCompression());
    DatasetPaths paths = settings.paths();
    List<String> runs = settings.summaryRuns().isEmpty() ? List.of(settings.runId()) : settings.summaryRuns();
    Dataset<Row> metrics = Runs.read(spark, paths, DatasetPaths.METRICS, runs);
    String source = runs.size() == 1 && !runs.get(0).equals("*")
        ? new DatasetPaths(paths.root(), runs.get(0)).metrics() : paths.base(DatasetPaths.METRICS);
    MetricsSchema.validate(metrics.schema(), source);
    List<String> keys = groupKeys(metrics.schema(), settings.groupBy(), source);
    spark.sparkContext().setJobDescription("summarize " + source + " (runs " + runs + ") by " + keys + ", snr_db");
    spark.sparkContext().setCallSite("mimobatch summarize");
    SummaryPass pass = SummaryPass.start(spark.sparkContext(), metrics.schema(), keys, settings.capacityQuantiles());
    SummaryAccumulator acc = pass.accumulator();
    InternalRows.rows(metrics).toJavaRDD().foreachPartition(rows -> drain(acc.tap(rows)));
    SummaryPass.Result r = pass.write(spark, paths);
    spark.sparkContext().clearCallSite();
    spark.sparkContext().setJobDescription(null);
    return r;
  }

  private static void drain(Iterator<InternalRow> rows) {
    while (rows.hasNext()) {
      rows.next();
    }
  }

  /** rows, cols, then the configured keys; each must be a scalar key column of the metrics. */
  static List<String> groupKeys(StructType metrics, List<String> groupBy, String path) {
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
