package org.mimobatch.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.AtomicDatasetWriter;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineStatus;

/**
 * {@code summarize}: aggregates the metrics dataset into one row per (rows, cols, group keys,
 * snr_db); see {@link SummarySchema} for the columns. Matrices of different shapes are never mixed,
 * so rows and cols always lead the grouping.
 */
public final class SummarizeJob {
  // Working columns, named so that they cannot meet a key column.
  private static final String SNR_INDEX = "__snr_index";
  private static final String C = "__capacity";
  private static final String C_WF = "__capacity_wf";
  private static final String ZF = "__zf_mse";

  private SummarizeJob() {}

  /** What was written. */
  public record Result(String path, long rows) {}

  public static Result run(SparkSession spark, Settings settings) {
    AtomicDatasetWriter.requireWritable(spark, settings.outputDir());
    DatasetPaths paths = settings.paths();
    List<String> runs = settings.summaryRuns().isEmpty() ? List.of(settings.runId()) : settings.summaryRuns();
    Dataset<Row> metrics = Runs.read(spark, paths, DatasetPaths.METRICS, runs);
    String source = runs.size() == 1 && !runs.get(0).equals("*")
        ? new DatasetPaths(paths.root(), runs.get(0)).metrics() : paths.base(DatasetPaths.METRICS);
    MetricsSchema.validate(metrics.schema(), source);
    List<String> keys = groupKeys(metrics, settings.groupBy(), source);
    spark.sparkContext().setJobDescription("summarize " + source + " (runs " + runs + ") by " + keys + ", snr_db");

    Dataset<Row> perSnr = perSnrStatistics(metrics, keys, settings.capacityQuantiles(), refinements(metrics));
    Dataset<Row> summary = withSpectra(perSnr, spectra(metrics, keys), keys);
    List<Column> order = new ArrayList<>();
    for (String k : keys) {
      order.add(col(k));
    }
    order.add(col(MetricsSchema.SNR_DB));
    summary = summary.orderBy(order.toArray(new Column[0])).coalesce(1);
    spark.sparkContext().setCallSite("mimobatch summarize");
    AtomicDatasetWriter.write(summary, paths.summary());
    spark.sparkContext().clearCallSite();
    spark.sparkContext().setJobDescription(null);
    return new Result(paths.summary(), spark.read().parquet(paths.summary()).count());
  }

  /** rows, cols, then the configured keys; each must be a scalar column of the metrics. */
  static List<String> groupKeys(Dataset<Row> metrics, List<String> groupBy, String path) {
    List<String> keys = new ArrayList<>(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS));
    List<String> metricColumns = MetricsSchema.metricFields().stream().map(f -> f.name()).toList();
    List<String> columns = Arrays.asList(metrics.columns());
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

  /** The refinements whose columns the metrics carry. */
  static List<RefineMethod> refinements(Dataset<Row> metrics) {
    List<String> columns = Arrays.asList(metrics.columns());
    List<RefineMethod> found = new ArrayList<>();
    for (RefineMethod m : RefineMethod.values()) {
      if (columns.contains(m.columnPrefix() + MetricsSchema.STATUS_SUFFIX)) {
        found.add(m);
      }
    }
    return found;
  }

  private static Dataset<Row> perSnrStatistics(Dataset<Row> metrics, List<String> keys, double[] quantiles,
      List<RefineMethod> refinements) {
    List<Column> select = new ArrayList<>();
    for (String k : keys) {
      select.add(col(k));
    }
    for (String c : new String[] {MetricsSchema.STATUS, MetricsSchema.RECON_ERROR, MetricsSchema.ORTH_ERROR,
        MetricsSchema.COND_DB, MetricsSchema.EIG_GAP, MetricsSchema.EFFECTIVE_RANK, MetricsSchema.CAPACITY,
        MetricsSchema.CAPACITY_WF, MetricsSchema.ZF_MSE}) {
      select.add(col(c));
    }
    for (RefineMethod m : refinements) {
      String p = m.columnPrefix();
      select.add(col(p + MetricsSchema.STATUS_SUFFIX));
      select.add(col(p + MetricsSchema.ITERATIONS_SUFFIX));
      select.add(col(p + MetricsSchema.ERROR_SUFFIX));
    }
    select.add(posexplode(col(MetricsSchema.SNR_DB)).as(new String[] {SNR_INDEX, MetricsSchema.SNR_DB}));
    Column index = col(SNR_INDEX);
    Dataset<Row> rows = metrics.select(select.toArray(new Column[0]))
        .withColumn(C, col(MetricsSchema.CAPACITY).getItem(index))
        .withColumn(C_WF, col(MetricsSchema.CAPACITY_WF).getItem(index))
        .withColumn(ZF, col(MetricsSchema.ZF_MSE).getItem(index));

    Column[] levels = Arrays.stream(quantiles).mapToObj(q -> lit(q)).toArray(Column[]::new);
    Column accuracy = lit(SummarySchema.QUANTILE_ACCURACY);
    List<Column> groups = new ArrayList<>();
    for (String k : keys) {
      groups.add(col(k));
    }
    groups.add(col(MetricsSchema.SNR_DB));
    List<Column> aggregates = new ArrayList<>(List.of(
        sum(when(col(MetricsSchema.STATUS).notEqual("ok"), 1L).otherwise(0L)).as(SummarySchema.FAILED),
        avg(C).as("capacity_mean"),
        stddev_samp(C).divide(sqrt(count(C))).as("capacity_stderr"),
        avg(C_WF).as("capacity_wf_mean"),
        percentile_approx(col(C), array(levels), accuracy).as("__capacity_quantiles"),
        max(MetricsSchema.RECON_ERROR).as("recon_error_max"),
        avg(MetricsSchema.RECON_ERROR).as("recon_error_mean"),
        max(MetricsSchema.ORTH_ERROR).as("orth_error_max"),
        max(MetricsSchema.EIG_GAP).as("eig_gap_max"),
        percentile_approx(col(MetricsSchema.COND_DB), lit(0.5), accuracy).as("cond_db_p50"),
        avg(MetricsSchema.EFFECTIVE_RANK).as("effective_rank_mean"),
        avg(ZF).as("zf_mse_mean")));
    for (RefineMethod m : refinements) {
      aggregates.addAll(refineStatistics(m, accuracy));
    }
    Dataset<Row> grouped = rows.groupBy(groups.toArray(new Column[0])).agg(count(lit(1)).as(SummarySchema.MATRICES),
        aggregates.toArray(new Column[0]));

    List<Column> out = new ArrayList<>(groups);
    out.add(col(SummarySchema.MATRICES));
    out.add(col(SummarySchema.FAILED));
    out.add(col("capacity_mean"));
    out.add(col("capacity_stderr"));
    out.add(col("capacity_wf_mean"));
    for (int i = 0; i < quantiles.length; i++) {
      out.add(col("__capacity_quantiles").getItem(i).as(SummarySchema.quantileColumn(quantiles[i])));
    }
    for (String c : new String[] {"recon_error_max", "recon_error_mean", "orth_error_max", "eig_gap_max", "cond_db_p50",
        "effective_rank_mean", "zf_mse_mean"}) {
      out.add(col(c));
    }
    for (RefineMethod m : refinements) {
      for (String suffix : REFINE_SUMMARY_SUFFIXES) {
        out.add(col(m.columnPrefix() + suffix));
      }
    }
    return grouped.select(out.toArray(new Column[0]));
  }

  private static final String[] REFINE_SUMMARY_SUFFIXES =
      {"_converged_fraction", "_iterations_p50", "_iterations_p99", "_error_p50"};

  /**
   * Per refinement: the fraction of the matrices it ran on (status neither null nor not-applicable)
   * that converged, and the median and 99th percentile of the iterations and the median error of
   * those that ended with a result (converged or not).
   */
  private static List<Column> refineStatistics(RefineMethod m, Column accuracy) {
    String p = m.columnPrefix();
    Column status = col(p + MetricsSchema.STATUS_SUFFIX);
    Column ran = status.isNotNull().and(status.notEqual(RefineStatus.NOT_APPLICABLE.label()));
    Column result = status.isin(RefineStatus.CONVERGED.label(), RefineStatus.NOT_CONVERGED.label());
    Column iterations = when(result, col(p + MetricsSchema.ITERATIONS_SUFFIX));
    return List.of(
        avg(when(ran, when(status.equalTo(RefineStatus.CONVERGED.label()), 1.0).otherwise(0.0)))
            .as(p + "_converged_fraction"),
        percentile_approx(iterations, lit(0.5), accuracy).as(p + "_iterations_p50"),
        percentile_approx(iterations, lit(0.99), accuracy).as(p + "_iterations_p99"),
        percentile_approx(when(result, col(p + MetricsSchema.ERROR_SUFFIX)), lit(0.5), accuracy).as(p + "_error_p50"));
  }

  /** Mean and standard deviation of the singular values per index over the ok rows of each group. */
  private static Dataset<Row> spectra(Dataset<Row> metrics, List<String> keys) {
    List<Column> groups = new ArrayList<>();
    for (String k : keys) {
      groups.add(col(k));
    }
    Column vector = functions.array_to_vector(col(MetricsSchema.SINGULAR_VALUES));
    Dataset<Row> stats = metrics.filter(col(MetricsSchema.STATUS).equalTo("ok"))
        .groupBy(groups.toArray(new Column[0]))
        .agg(Summarizer.metrics("mean", "std").summary(vector).as("__spectrum"));
    List<Column> out = new ArrayList<>();
    for (String k : keys) {
      out.add(col(k).as("__spectrum_" + k));
    }
    out.add(functions.vector_to_array(col("__spectrum.mean"), "float64").as("singular_values_mean"));
    out.add(functions.vector_to_array(col("__spectrum.std"), "float64").as("singular_values_std"));
    return stats.select(out.toArray(new Column[0]));
  }

  private static Dataset<Row> withSpectra(Dataset<Row> perSnr, Dataset<Row> spectra, List<String> keys) {
    Column on = null;
    for (String k : keys) {
      Column eq = perSnr.col(k).eqNullSafe(spectra.col("__spectrum_" + k));
      on = on == null ? eq : on.and(eq);
    }
    Dataset<Row> joined = perSnr.join(spectra, on, "left");
    for (String k : keys) {
      joined = joined.drop("__spectrum_" + k);
    }
    return joined;
  }
}
