package org.mimobatch.jobs.summary;

import java.util.ArrayList;
import java.util.Comparator;
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
 * The summary and distributions datasets of a {@link Summary}: one summary row per group and SNR
 * (columns as {@link SummarySchema#of} orders them), and the quantile points of every metric
 * that declares a distribution ({@link Metric#distribution()}) and of every refinement's
 * iterations, one row each.
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

  /** One row per group and SNR, ordered by the group keys, then SNR. */
  static List<Row> summaryRows(Summary s, double[] quantiles) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<List<Object>, GroupStats> e : sorted(s)) {
      GroupStats g = e.getValue();
      for (Map.Entry<Double, GroupStats.AtSnr> at : g.snr.entrySet()) {
        List<Object> v = new ArrayList<>(e.getKey());
        v.add(at.getKey());
        v.add(g.matrices);
        v.add(g.failed);
        v.add(g.rankDeficient);
        for (Metric m : Metric.values()) {
          for (Metric.Statistic stat : m.statistics()) {
            addStatistic(v, g, at.getValue(), m, stat, quantiles);
          }
        }
        for (GroupStats.Refinement r : g.refine) {
          v.add(r.ran);
          v.add(r.ran == 0 ? null : (double) r.converged / r.ran);
          v.add(integer(r.iterations.quantile(0.5)));
          v.add(integer(r.iterations.quantile(0.99)));
          v.add(nullIfNaN(r.error.quantile(0.5)));
        }
        rows.add(RowFactory.create(v.toArray()));
      }
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
    Sketch sk = m.shape() == Metric.Shape.PER_SNR ? at.sketches[m.ordinal()] : first(g.sketches(m));
    switch (stat) {
      case MEAN -> v.add(mo == null ? null : mo.mean());
      case STDERR -> v.add(mo == null ? null : mo.stderr());
      case STD -> v.add(mo == null ? null : mo.std());
      case MAX -> v.add(mo == null ? null : mo.max());
      case P50 -> v.add(sk == null ? null : nullIfNaN(sk.quantile(0.5)));
      case QUANTILES -> {
        for (double q : quantiles) {
          v.add(sk == null ? null : nullIfNaN(sk.quantile(q)));
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
   * The quantile points of each distribution metric per group: per SNR for per-SNR metrics, per
   * index (from 1) for per-index ones, snr_db and index null where they do not apply; then each
   * refinement's iterations (metric refine_m_iterations).
   */
  static List<Row> distributionRows(Summary s, List<RefineMethod> refinements) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<List<Object>, GroupStats> e : sorted(s)) {
      GroupStats g = e.getValue();
      for (Metric m : Metric.values()) {
        if (!m.distribution()) {
          continue;
        }
        if (m.shape() == Metric.Shape.PER_SNR) {
          for (Map.Entry<Double, GroupStats.AtSnr> at : g.snr.entrySet()) {
            add(rows, e.getKey(), at.getKey(), m.column(), null, at.getValue().sketches[m.ordinal()]);
          }
        } else if (g.sketches(m) != null) {
          Sketch[] sk = g.sketches(m);
          for (int j = 0; j < sk.length; j++) {
            add(rows, e.getKey(), null, m.column(), m.shape() == Metric.Shape.PER_INDEX ? j + 1 : null, sk[j]);
          }
        }
      }
      for (int r = 0; r < refinements.size(); r++) {
        add(rows, e.getKey(), null, refinements.get(r).columnPrefix() + "_iterations", null, g.refine[r].iterations);
      }
    }
    return rows;
  }

  private static void add(List<Row> rows, List<Object> key, Double snr, String metric, Integer index, Sketch sk) {
    if (sk == null || sk.count() == 0) {
      return;
    }
    double[] values = sk.quantiles(POINTS);
    List<Object> v = new ArrayList<>(key);
    v.add(snr);
    v.add(metric);
    v.add(index);
    v.add(sk.count());
    v.add(POINTS.clone());
    v.add(values);
    rows.add(RowFactory.create(v.toArray()));
  }

  /** The groups ordered by their key values, nulls first. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Map.Entry<List<Object>, GroupStats>> sorted(Summary s) {
    List<Map.Entry<List<Object>, GroupStats>> all = new ArrayList<>(s.groups.entrySet());
    Comparator<Object> values = Comparator.nullsFirst((a, b) -> ((Comparable) a).compareTo(b));
    all.sort((a, b) -> {
      for (int i = 0; i < a.getKey().size(); i++) {
        int c = values.compare(a.getKey().get(i), b.getKey().get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    });
    return all;
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
