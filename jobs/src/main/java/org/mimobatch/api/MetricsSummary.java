package org.mimobatch.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.mimobatch.jobs.config.SummarySettings;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.summary.SummaryAggregation;

/**
 * The summary of {@code bin/mimobatch summarize} over a metrics Dataset (from
 * {@link ChannelAnalysis#metrics} or read back from Parquet): one row per group and SNR with counts,
 * means, standard errors, quantiles and maxima, and the distributions of every metric, grouped by
 * rows, cols and snr_db and any further columns of the metrics — keys, or columns a user joined in
 * (a position, a scenario tag). Lazy; Spark merges the groups' statistics through its shuffle,
 * nothing per task reaches the driver.
 *
 * <pre>{@code
 * MetricsSummary s = MetricsSummary.of(metrics.join(positions, "link"), "area");
 * s.summary().show();
 * }</pre>
 */
public final class MetricsSummary {
  private static final String METRICS = "the metrics Dataset";
  private final SummaryAggregation aggregation;

  private MetricsSummary(SummaryAggregation aggregation) {
    this.aggregation = aggregation;
  }

  /**
   * The summary of {@code metrics} grouped by {@code groupBy} besides rows, cols and snr_db, with
   * the capacity quantiles 1 %, 10 %, 50 % and the default outage probabilities.
   *
   * @throws IllegalArgumentException when a metrics column is missing or a group column is not a key
   */
  public static MetricsSummary of(Dataset<Row> metrics, String... groupBy) {
    return of(metrics, Arrays.asList(groupBy), new double[0]);
  }

  /**
   * As {@link #of(Dataset, String...)}, with the capacity quantiles of {@code outage} besides 1 %,
   * 10 % and 50 % (summary column {@code capacity_pXX} for each).
   */
  public static MetricsSummary of(Dataset<Row> metrics, List<String> groupBy, double... outage) {
    List<String> settings = new ArrayList<>();
    if (outage.length > 0) {
      StringBuilder list = new StringBuilder("analysis.outage=[");
      for (int i = 0; i < outage.length; i++) {
        list.append(i == 0 ? "" : ",").append(outage[i]);
      }
      settings.add(list.append(']').toString());
    }
    SummarySettings s = Channels.load(settings).summary();
    try {
      MetricsSchema.validate(metrics.schema(), METRICS);
      List<String> keys = SummaryAggregation.groupKeys(metrics.schema(), groupBy, METRICS);
      return new MetricsSummary(SummaryAggregation.ofMetrics(metrics, keys, s.capacityQuantiles(), s.sketchK()));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** One row per group and SNR: README's summary columns. */
  public Dataset<Row> summary() {
    return aggregation.summary();
  }

  /** Every metric's distribution per group and SNR: README's distributions columns. */
  public Dataset<Row> distributions() {
    return aggregation.distributions();
  }

  /** The mergeable quantile sketches the two are made from (Apache DataSketches KLL, binary). */
  public Dataset<Row> sketches() {
    return aggregation.sketches();
  }
}
