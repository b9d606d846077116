package org.mimobatch.jobs.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineMethod;

/**
 * The summary dataset: one row per (rows, cols, group-by keys, snr_db) with
 *
 * <pre>
 *   matrices, failed, rank_deficient   rows in the group, rows whose status is not ok, ok rows whose rank &lt; min(rows, cols)
 * </pre>
 * then, for every {@link Metric} in declared order, a column {@code <metric>_<statistic>} per
 * statistic it declares (capacity_mean, capacity_stderr, capacity_p01, …, recon_error_max, …,
 * singular_values_mean as a list per index), then per refinement m its converged fraction, the
 * median and 99th percentile of its iterations and its median error. Means and quantiles are over
 * the ok rows where the metric is defined. Quantiles are approximate with a rank error of at most
 * 1/{@value #QUANTILE_ACCURACY} of the group size, from Greenwald–Khanna sketches merged across
 * tasks (the guarantee of Spark's percentile_approx at that accuracy).
 */
public final class SummarySchema {
  public static final int QUANTILE_ACCURACY = 10_000;
  public static final String MATRICES = "matrices";
  public static final String FAILED = "failed";
  public static final String RANK_DEFICIENT = "rank_deficient";
  /** The summary columns of every refinement, after its prefix. */
  public static final List<String> REFINE_SUFFIXES =
      List.of("_converged_fraction", "_iterations_p50", "_iterations_p99", "_error_p50");

  private SummarySchema() {}

  /** The column of a statistic of a metric, e.g. capacity_mean; the array of every quantile for QUANTILES. */
  public static String column(Metric m, Metric.Statistic stat) {
    return m.column() + "_" + (stat == Metric.Statistic.QUANTILES ? "quantiles" : stat.suffix());
  }

  /** The column of the capacity quantile q: 0.01 → capacity_p01, 0.5 → capacity_p50, 0.001 → capacity_p0_1. */
  public static String quantileColumn(double q) {
    return quantileColumn(Metric.CAPACITY, q);
  }

  /** The column of quantile q of metric m: its name, _p, and q in percent ('.' written '_', two digits at least). */
  public static String quantileColumn(Metric m, double q) {
    String percent = new BigDecimal(Double.toString(q)).movePointRight(2).stripTrailingZeros().toPlainString();
    if (!percent.contains(".") && percent.length() < 2) {
      percent = "0" + percent;
    }
    return m.column() + "_" + Metric.Statistic.QUANTILES.suffix() + percent.replace('.', '_');
  }

  /** Every column of the summary, in order, for these group keys (rows and cols first), quantiles and refinements. */
  public static List<String> columns(List<String> keys, double[] quantiles, List<RefineMethod> refinements) {
    List<String> out = new ArrayList<>(keys);
    out.add(MetricsSchema.SNR_DB);
    out.add(MATRICES);
    out.add(FAILED);
    out.add(RANK_DEFICIENT);
    for (Metric m : Metric.values()) {
      for (Metric.Statistic stat : m.statistics()) {
        if (stat == Metric.Statistic.QUANTILES) {
          for (double q : quantiles) {
            out.add(quantileColumn(m, q));
          }
        } else {
          out.add(column(m, stat));
        }
      }
    }
    for (RefineMethod m : refinements) {
      for (String suffix : REFINE_SUFFIXES) {
        out.add(m.columnPrefix() + suffix);
      }
    }
    return out;
  }
}
