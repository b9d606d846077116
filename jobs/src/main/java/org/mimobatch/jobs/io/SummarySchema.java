package org.mimobatch.jobs.io;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
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
 * singular_values_mean as a list per index), then per refinement m the matrices it ran on, the
 * fraction of them that converged, the median and 99th percentile of its iterations and its median
 * error. Means and quantiles are over the ok rows where the metric is defined. Quantiles come from
 * KLL sketches merged across tasks (exact up to summary.sketch-k values, then within the sketch's
 * stated rank error).
 *
 * <p>The sketches dataset ({@link #sketches}) holds what the summary and the distributions are
 * computed from, in a form that merges: per group, one row per counter and per metric (at each SNR,
 * or each index), with its count, mean, sum of squared deviations (m2), maximum and KLL sketch.
 */
public final class SummarySchema {
  public static final String MATRICES = "matrices";
  public static final String FAILED = "failed";
  public static final String RANK_DEFICIENT = "rank_deficient";
  private static final DataType PER_INDEX = DataTypes.createArrayType(DataTypes.DoubleType, false);
  /** Of a refinement, after its prefix: the matrices it ran on (any status but not-applicable). */
  public static final String REFINE_MATRICES = "_matrices";
  /** Of a refinement: the fraction of those that converged. */
  public static final String REFINE_CONVERGED = "_converged_fraction";
  public static final String REFINE_ITERATIONS_P50 = "_iterations_p50";
  public static final String REFINE_ITERATIONS_P99 = "_iterations_p99";
  public static final String REFINE_ERROR_P50 = "_error_p50";
  /** The summary columns of every refinement, after its prefix, in order; only the count is never null. */
  private static final List<StructField> REFINE_COLUMNS = List.of(
      DataTypes.createStructField(REFINE_MATRICES, DataTypes.LongType, false),
      DataTypes.createStructField(REFINE_CONVERGED, DataTypes.DoubleType, true),
      DataTypes.createStructField(REFINE_ITERATIONS_P50, DataTypes.IntegerType, true),
      DataTypes.createStructField(REFINE_ITERATIONS_P99, DataTypes.IntegerType, true),
      DataTypes.createStructField(REFINE_ERROR_P50, DataTypes.DoubleType, true));

  /** The sketches' columns after the group keys. */
  public static final String METRIC = "metric";
  public static final String INDEX = "index";
  public static final String COUNT = "count";
  public static final String MEAN = "mean";
  public static final String M2 = "m2";
  public static final String MAX = "max";
  public static final String SKETCH = "sketch";

  private SummarySchema() {}

  /**
   * The sketches' schema: these group-key fields, then snr_db (per-SNR metrics only), metric (a
   * metric column, a counter such as matrices, or a refinement's refine_m_matrices,
   * refine_m_converged, refine_m_iterations, refine_m_error), index (from 1, per-index metrics
   * only), count, mean, m2 and max (where the summary reports moments) and sketch (a DataSketches
   * KllDoublesSketch in its compact binary, which Spark's kll_sketch_get_quantile_double reads,
   * where it reports quantiles).
   */
  public static StructType sketches(List<StructField> keys) {
    List<StructField> f = new ArrayList<>(keys);
    f.addAll(List.of(sketchFields().fields()));
    return new StructType(f.toArray(new StructField[0]));
  }

  /** The sketches' columns after the group keys. */
  public static StructType sketchFields() {
    return new StructType()
        .add(MetricsSchema.SNR_DB, DataTypes.DoubleType, true)
        .add(METRIC, DataTypes.StringType, false)
        .add(INDEX, DataTypes.IntegerType, true)
        .add(COUNT, DataTypes.LongType, false)
        .add(MEAN, DataTypes.DoubleType, true)
        .add(M2, DataTypes.DoubleType, true)
        .add(MAX, DataTypes.DoubleType, true)
        .add(SKETCH, DataTypes.BinaryType, true);
  }

  /** The column of a statistic of a metric, e.g. capacity_mean (quantiles: {@link #quantileColumn}). */
  public static String column(Metric m, Metric.Statistic stat) {
    if (stat == Metric.Statistic.QUANTILES) {
      throw new IllegalArgumentException("one column per quantile: quantileColumn(" + m + ", q)");
    }
    return m.column() + "_" + stat.suffix();
  }

  /** The column of quantile q of metric m: its name, _p, and q in percent ('.' written '_', two digits at least). */
  public static String quantileColumn(Metric m, double q) {
    String percent = new BigDecimal(Double.toString(q)).movePointRight(2).stripTrailingZeros().toPlainString();
    if (!percent.contains(".") && percent.length() < 2) {
      percent = "0" + percent;
    }
    return m.column() + "_" + Metric.Statistic.QUANTILES.suffix() + percent.replace('.', '_');
  }

  /**
   * The summary's schema: these group-key fields (rows and cols first), snr_db, the counts, every
   * metric's statistics in declared order (a quantile column per entry of {@code quantiles}), then
   * each refinement's columns (its prefix, then {@link #REFINE_MATRICES}, {@link #REFINE_CONVERGED}, …).
   */
  public static StructType of(List<StructField> keys, double[] quantiles, List<RefineMethod> refinements) {
    List<StructField> f = new ArrayList<>(keys);
    f.add(DataTypes.createStructField(MetricsSchema.SNR_DB, DataTypes.DoubleType, false));
    for (String count : List.of(MATRICES, FAILED, RANK_DEFICIENT)) {
      f.add(DataTypes.createStructField(count, DataTypes.LongType, false));
    }
    for (Metric m : Metric.values()) {
      for (Metric.Statistic stat : m.statistics()) {
        if (stat == Metric.Statistic.QUANTILES) {
          for (double q : quantiles) {
            f.add(DataTypes.createStructField(quantileColumn(m, q), DataTypes.DoubleType, true));
          }
        } else {
          DataType t = m.shape() == Metric.Shape.PER_INDEX ? PER_INDEX : DataTypes.DoubleType;
          f.add(DataTypes.createStructField(column(m, stat), t, true));
        }
      }
    }
    for (RefineMethod m : refinements) {
      for (StructField c : REFINE_COLUMNS) {
        f.add(DataTypes.createStructField(m.columnPrefix() + c.name(), c.dataType(), c.nullable()));
      }
    }
    return new StructType(f.toArray(new StructField[0]));
  }
}
