package org.mimobatch.jobs;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
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
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineColumn;
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
    Dataset<Row> summary = inDeclaredOrder(withSpectra(perSnr, spectra(metrics, keys), keys), keys,
        settings.capacityQuantiles(), refinements(metrics));
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
      if (columns.contains(RefineColumn.STATUS.column(m))) {
        found.add(m);
      }
    }
    return found;
  }

  /**
   * Every statistic of every metric that declares one, per group and SNR, except those of the
   * per-index metrics ({@link #spectra}); the group keys, snr_db, the counts, then the statistics in
   * declaration order.
   */
  private static Dataset<Row> perSnrStatistics(Dataset<Row> metrics, List<String> keys, double[] quantiles,
      List<RefineMethod> refinements) {
    List<Column> select = new ArrayList<>();
    for (String k : keys) {
      select.add(col(k));
    }
    select.add(col(MetricsSchema.STATUS));
    for (Metric m : summarized()) {
      select.add(col(m.column()));
    }
    for (RefineMethod m : refinements) {
      select.add(col(RefineColumn.STATUS.column(m)));
      select.add(col(RefineColumn.ITERATIONS.column(m)));
      select.add(col(RefineColumn.ERROR.column(m)));
    }
    select.add(posexplode(col(MetricsSchema.SNR_DB)).as(new String[] {SNR_INDEX, MetricsSchema.SNR_DB}));
    Dataset<Row> rows = metrics.select(select.toArray(new Column[0]));

    Column[] levels = Arrays.stream(quantiles).mapToObj(q -> lit(q)).toArray(Column[]::new);
    Column accuracy = lit(SummarySchema.QUANTILE_ACCURACY);
    List<Column> groups = new ArrayList<>();
    for (String k : keys) {
      groups.add(col(k));
    }
    groups.add(col(MetricsSchema.SNR_DB));
    List<Column> aggregates = new ArrayList<>(List.of(
        sum(when(col(MetricsSchema.STATUS).notEqual("ok"), 1L).otherwise(0L)).as(SummarySchema.FAILED),
        sum(when(col(Metric.RANK.column()).lt(least(col(ChannelsSchema.ROWS), col(ChannelsSchema.COLS))), 1L)
            .otherwise(0L)).as(SummarySchema.RANK_DEFICIENT)));
    List<Column> out = new ArrayList<>(groups);
    out.add(col(SummarySchema.MATRICES));
    out.add(col(SummarySchema.FAILED));
    out.add(col(SummarySchema.RANK_DEFICIENT));
    for (Metric m : summarized()) {
      // A per-SNR metric is taken at the row's SNR; a scalar one is the same on every SNR row.
      Column v = m.shape() == Metric.Shape.PER_SNR ? col(m.column()).getItem(col(SNR_INDEX)) : col(m.column());
      for (Metric.Statistic stat : m.statistics()) {
        String name = SummarySchema.column(m, stat);
        switch (stat) {
          case MEAN -> aggregates.add(avg(v).as(name));
          case STDERR -> aggregates.add(stddev_samp(v).divide(sqrt(count(v))).as(name));
          case STD -> aggregates.add(stddev_samp(v).as(name));
          case MAX -> aggregates.add(max(v).as(name));
          case P50 -> aggregates.add(percentile_approx(v, lit(0.5), accuracy).as(name));
          case QUANTILES -> aggregates.add(percentile_approx(v, array(levels), accuracy).as(name));
        }
        if (stat == Metric.Statistic.QUANTILES) {
          for (int i = 0; i < quantiles.length; i++) {
            out.add(col(name).getItem(i).as(SummarySchema.quantileColumn(m, quantiles[i])));
          }
        } else {
          out.add(col(name));
        }
      }
    }
    for (RefineMethod m : refinements) {
      aggregates.addAll(refineStatistics(m, accuracy));
      for (String suffix : SummarySchema.REFINE_SUFFIXES) {
        out.add(col(m.columnPrefix() + suffix));
      }
    }
    Dataset<Row> grouped = rows.groupBy(groups.toArray(new Column[0])).agg(count(lit(1)).as(SummarySchema.MATRICES),
        aggregates.toArray(new Column[0]));
    return grouped.select(out.toArray(new Column[0]));
  }

  /** The scalar and per-SNR metrics that declare summary statistics. */
  private static List<Metric> summarized() {
    return Arrays.stream(Metric.values())
        .filter(m -> m.shape() != Metric.Shape.PER_INDEX && !m.statistics().isEmpty()).toList();
  }

  /**
   * Per refinement: the fraction of the matrices it ran on (status neither null nor not-applicable)
   * that converged, and the median and 99th percentile of the iterations and the median error of
   * those that ended with a result (converged or not).
   */
  private static List<Column> refineStatistics(RefineMethod m, Column accuracy) {
    String p = m.columnPrefix();
    Column status = col(RefineColumn.STATUS.column(m));
    Column ran = status.isNotNull().and(status.notEqual(RefineStatus.NOT_APPLICABLE.label()));
    Column result = status.isin(RefineStatus.CONVERGED.label(), RefineStatus.NOT_CONVERGED.label());
    Column iterations = when(result, col(RefineColumn.ITERATIONS.column(m)));
    return List.of(
        avg(when(ran, when(status.equalTo(RefineStatus.CONVERGED.label()), 1.0).otherwise(0.0)))
            .as(p + "_converged_fraction"),
        percentile_approx(iterations, lit(0.5), accuracy).as(p + "_iterations_p50"),
        percentile_approx(iterations, lit(0.99), accuracy).as(p + "_iterations_p99"),
        percentile_approx(when(result, col(RefineColumn.ERROR.column(m))), lit(0.5), accuracy).as(p + "_error_p50"));
  }

  /** The per-index statistics (mean, standard deviation) of the per-index metrics over the ok rows of each group. */
  private static Dataset<Row> spectra(Dataset<Row> metrics, List<String> keys) {
    List<Column> groups = new ArrayList<>();
    for (String k : keys) {
      groups.add(col(k));
    }
    List<Metric> perIndex = Arrays.stream(Metric.values())
        .filter(m -> m.shape() == Metric.Shape.PER_INDEX && !m.statistics().isEmpty()).toList();
    List<Column> summaries = new ArrayList<>();
    for (Metric m : perIndex) {
      String[] names = m.statistics().stream().map(SummarizeJob::summarizerMetric).toArray(String[]::new);
      summaries.add(Summarizer.metrics(names).summary(functions.array_to_vector(col(m.column()))).as("__" + m.column()));
    }
    Dataset<Row> stats = metrics.filter(col(MetricsSchema.STATUS).equalTo("ok"))
        .groupBy(groups.toArray(new Column[0]))
        .agg(summaries.get(0), summaries.subList(1, summaries.size()).toArray(new Column[0]));
    List<Column> out = new ArrayList<>();
    for (String k : keys) {
      out.add(col(k).as("__spectrum_" + k));
    }
    for (Metric m : perIndex) {
      for (Metric.Statistic stat : m.statistics()) {
        out.add(functions.vector_to_array(col("__" + m.column() + "." + summarizerMetric(stat)), "float64")
            .as(SummarySchema.column(m, stat)));
      }
    }
    return stats.select(out.toArray(new Column[0]));
  }

  private static String summarizerMetric(Metric.Statistic stat) {
    return switch (stat) {
      case MEAN -> "mean";
      case STD -> "std";
      default -> throw new IllegalArgumentException("per-index metrics report mean and std, not " + stat);
    };
  }

  /** The summary's columns in order: groups, snr_db, counts, each metric's statistics as declared, refinements. */
  private static Dataset<Row> inDeclaredOrder(Dataset<Row> summary, List<String> keys, double[] quantiles,
      List<RefineMethod> refinements) {
    return summary.select(SummarySchema.columns(keys, quantiles, refinements).stream().map(c -> col(c))
        .toArray(Column[]::new));
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
