package org.mimobatch.jobs.summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineMethod;

/**
 * The rows one group's {@link GroupStats} contributes to the summary (one per SNR, columns as
 * {@link SummarySchema#of} orders them), to the distributions (the quantile points of every metric
 * that declares a distribution, {@link Metric#distribution()}, and of every refinement's
 * iterations) and to the sketches (its {@link GroupStats.Part}s).
 */
final class SummaryTables {
  /** p = 0, 0.001, 0.01, 0.02 … 0.99, 0.999, 1. */
  static final double[] POINTS = points();
  private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);

  private SummaryTables() {}

  private static double[] points() {
    double[] p = new double[103];
    p[0] = 0;
    p[1] = 0.001;
    for (int i = 1; i <= 99; i++) {
      p[i + 1] = i / 100.0;
    }
    p[101] = 0.999;
    p[102] = 1;
    return p;
  }

  /** The group's summary rows, one per SNR in ascending order; refinements in the schema's order. */
  static List<Row> summaryRows(List<Object> key, GroupStats g, double[] quantiles, List<RefineMethod> refinements) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<Double, GroupStats.AtSnr> at : g.snr.entrySet()) {
      List<Object> v = new ArrayList<>(key);
      v.add(at.getKey());
      v.add(g.matrices);
      v.add(g.failed);
      v.add(g.rankDeficient);
      for (Metric m : Metric.values()) {
        for (Metric.Statistic stat : m.statistics()) {
          addStatistic(v, g, at.getValue(), m, stat, quantiles);
        }
      }
      for (RefineMethod method : refinements) {
        GroupStats.Refinement r = g.refine.get(method);
        long ran = r == null ? 0 : r.ran;
        v.add(ran);
        v.add(ran == 0 ? null : (double) r.converged / ran);
        v.add(r == null ? null : integer(r.iterations.quantile(0.5)));
        v.add(r == null ? null : integer(r.iterations.quantile(0.99)));
        v.add(r == null ? null : nullIfNaN(r.error.quantile(0.5)));
      }
      rows.add(RowFactory.create(v.toArray()));
    }
    return rows;
  }

  private static void addStatistic(List<Object> v, GroupStats g, GroupStats.AtSnr at, Metric m, Metric.Statistic stat,
      double[] quantiles) {
    if (m.shape() == Metric.Shape.PER_INDEX) {
      Moments[] mo = g.moments(m);
      if (mo == null || mo.length == 0 || mo[0].n == 0) {
        v.add(null);
        return;
      }
      double[] out = new double[mo.length];
      for (int j = 0; j < mo.length; j++) {
        Double x = stat == Metric.Statistic.STD ? mo[j].std() : mo[j].mean();
        out[j] = x == null ? Double.NaN : x;
      }
      v.add(out);
      return;
    }
    Moments mo = m.shape() == Metric.Shape.PER_SNR ? at.moments[m.ordinal()] : first(g.moments(m));
    Quantiles q = m.shape() == Metric.Shape.PER_SNR ? at.quantiles[m.ordinal()] : first(g.quantiles(m));
    switch (stat) {
      case MEAN -> v.add(mo == null ? null : mo.mean());
      case STDERR -> v.add(mo == null ? null : mo.stderr());
      case STD -> v.add(mo == null ? null : mo.std());
      case MAX -> v.add(mo == null ? null : mo.max());
      case P50 -> v.add(q == null ? null : nullIfNaN(q.quantile(0.5)));
      case QUANTILES -> {
        double[] values = q == null ? null : q.quantiles(quantiles);
        for (int i = 0; i < quantiles.length; i++) {
          v.add(values == null ? null : nullIfNaN(values[i]));
        }
      }
    }
  }

  /** The distributions' schema for these group-key fields. */
  static StructType distributionSchema(List<StructField> keys) {
    List<StructField> f = new ArrayList<>(keys);
    f.add(DataTypes.createStructField(MetricsSchema.SNR_DB, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("metric", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("index", DataTypes.IntegerType, true));
    f.add(DataTypes.createStructField("count", DataTypes.LongType, false));
    f.add(DataTypes.createStructField("p", DOUBLES, false));
    f.add(DataTypes.createStructField("value", DOUBLES, false));
    return new StructType(f.toArray(new StructField[0]));
  }

  /**
   * The group's quantile points of each distribution metric: per SNR for per-SNR metrics, per index
   * (from 1) for per-index ones, snr_db and index null where they do not apply; then each
   * refinement's iterations (metric refine_m_iterations).
   */
  static List<Row> distributionRows(List<Object> key, GroupStats g, List<RefineMethod> refinements) {
    List<Row> rows = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (!m.distribution()) {
        continue;
      }
      if (m.shape() == Metric.Shape.PER_SNR) {
        for (Map.Entry<Double, GroupStats.AtSnr> at : g.snr.entrySet()) {
          add(rows, key, at.getKey(), m.column(), null, at.getValue().quantiles[m.ordinal()]);
        }
      } else if (g.quantiles(m) != null) {
        Quantiles[] q = g.quantiles(m);
        for (int j = 0; j < q.length; j++) {
          add(rows, key, null, m.column(), m.shape() == Metric.Shape.PER_INDEX ? j + 1 : null, q[j]);
        }
      }
    }
    for (RefineMethod method : refinements) {
      GroupStats.Refinement r = g.refine.get(method);
      if (r != null) {
        add(rows, key, null, method.columnPrefix() + GroupStats.ITERATIONS, null, r.iterations);
      }
    }
    return rows;
  }

  private static void add(List<Row> rows, List<Object> key, Double snr, String metric, Integer index, Quantiles q) {
    if (q == null || q.count() == 0) {
      return;
    }
    List<Object> v = new ArrayList<>(key);
    v.add(snr);
    v.add(metric);
    v.add(index);
    v.add(q.count());
    v.add(POINTS.clone());
    v.add(q.quantiles(POINTS));
    rows.add(RowFactory.create(v.toArray()));
  }

  /** The group's parts as rows of {@link SummarySchema#sketches}. */
  static List<Row> sketchRows(List<Object> key, GroupStats g) {
    List<Row> rows = new ArrayList<>();
    for (GroupStats.Part p : g.parts()) {
      List<Object> v = new ArrayList<>(key);
      v.add(p.snrDb());
      v.add(p.metric());
      v.add(p.index());
      v.add(p.count());
      v.add(p.mean());
      v.add(p.m2());
      v.add(p.max());
      v.add(p.quantiles() == null ? null : p.quantiles().toBytes());
      rows.add(RowFactory.create(v.toArray()));
    }
    return rows;
  }

  private static <T> T first(T[] a) {
    return a == null || a.length == 0 ? null : a[0];
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Integer integer(double v) {
    return Double.isNaN(v) ? null : (int) Math.round(v);
  }
}
