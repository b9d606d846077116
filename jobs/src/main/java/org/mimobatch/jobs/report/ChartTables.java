package org.mimobatch.jobs.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.pipeline.analysis.Metric;

/**
 * The summary and distributions as the report draws them. A summary grouped by subcarrier is pooled
 * over its subcarriers first — a chart per subcarrier would be unreadable, and the distributions
 * of a thousand subcarriers would make a page of tens of megabytes: means weighted by the values
 * behind them, counts summed, distributions and the capacity quantiles from the {@link Mixture} of
 * the subcarriers' quantile points, and the capacity across subcarriers kept as its own table. A
 * summary not grouped by subcarrier is drawn as written. Only the columns the page draws are kept,
 * and only the distributions of the groups it draws.
 *
 * @param keys the keys the page groups by: the summary's, without subcarrier
 * @param pooled whether the summary was pooled over subcarriers
 * @param summary one row per keys and SNR
 * @param distributions one row per keys, SNR, metric and index: count, p and value as in the dataset
 * @param subcarriers when pooled: the mean capacity per run, shape, subcarrier and SNR; else empty
 * @param groups the groups the page draws charts for (the keys without run_id), in order
 */
record ChartTables(List<String> keys, boolean pooled, Table summary, Table distributions, Table subcarriers,
    List<List<Object>> groups) {
  /** Groups whose charts a report draws, at most; the page says when there were more. */
  static final int MAX_GROUPS = 6;
  static final String METRIC = "metric";
  static final String INDEX = "index";
  static final String COUNT = "count";
  static final String P = "p";
  static final String VALUE = "value";
  private static final List<Metric> MEANS = List.of(Metric.CAPACITY, Metric.CAPACITY_WF, Metric.RATE_MMSE,
      Metric.RATE_ZF);
  private static final String CONVERGED = SummarySchema.REFINE_CONVERGED;
  private static final String ITERATIONS_P50 = SummarySchema.REFINE_ITERATIONS_P50;
  private static final String ITERATIONS_P99 = SummarySchema.REFINE_ITERATIONS_P99;

  /** Rows under named columns. */
  record Table(List<String> columns, List<List<Object>> rows) {
    Object get(int row, String column) {
      return rows.get(row).get(columns.indexOf(column));
    }
  }

  static ChartTables of(StructType summarySchema, List<Row> summary, List<Row> distributions) {
    List<String> summaryKeys = keysBefore(summarySchema, MetricsSchema.SNR_DB);
    List<String> keys = new ArrayList<>(summaryKeys);
    boolean pooled = keys.remove(ChannelsSchema.SUBCARRIER);
    List<String> groupKeys = new ArrayList<>(keys);
    groupKeys.remove(DatasetPaths.RUN_ID);
    Counts counts = new Counts(summaryKeys, distributions);

    Map<List<Object>, List<Row>> bySnr = new LinkedHashMap<>();
    Set<List<Object>> groups = new LinkedHashSet<>();
    for (Row r : sortedBy(summary, keys, MetricsSchema.SNR_DB)) {
      bySnr.computeIfAbsent(values(r, keys, MetricsSchema.SNR_DB), k -> new ArrayList<>()).add(r);
      groups.add(values(r, groupKeys));
    }
    List<List<Object>> drawn = groups.stream().limit(MAX_GROUPS).toList();

    List<String> quantileColumns = new ArrayList<>();
    List<String> refinements = new ArrayList<>();
    for (String c : summarySchema.fieldNames()) {
      if (c.startsWith(Metric.CAPACITY.column() + "_" + Metric.Statistic.QUANTILES.suffix())
          && Character.isDigit(c.charAt(c.length() - 1))) {
        quantileColumns.add(c);
      } else if (c.endsWith(CONVERGED)) {
        refinements.add(c.substring(0, c.length() - CONVERGED.length()));
      }
    }
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(List.of(MetricsSchema.SNR_DB, SummarySchema.MATRICES, SummarySchema.FAILED,
        SummarySchema.RANK_DEFICIENT));
    MEANS.forEach(m -> columns.add(SummarySchema.column(m, Metric.Statistic.MEAN)));
    columns.addAll(quantileColumns);
    for (String r : refinements) {
      columns.addAll(List.of(r + CONVERGED, r + ITERATIONS_P50, r + ITERATIONS_P99));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (List<Row> parts : bySnr.values()) {
      Row first = parts.get(0);
      double snr = first.getAs(MetricsSchema.SNR_DB);
      List<Object> v = values(first, keys, MetricsSchema.SNR_DB);
      for (String c : List.of(SummarySchema.MATRICES, SummarySchema.FAILED, SummarySchema.RANK_DEFICIENT)) {
        v.add(parts.stream().mapToLong(r -> r.<Long>getAs(c)).sum());
      }
      for (Metric m : MEANS) {
        String c = SummarySchema.column(m, Metric.Statistic.MEAN);
        v.add(pooled ? weightedMean(parts, c, r -> counts.of(r, snr, m.column())) : first.getAs(c));
      }
      if (pooled) {
        Mixture capacity = counts.mixture(parts, snr, Metric.CAPACITY.column());
        quantileColumns.forEach(c -> v.add(quantile(capacity, level(c))));
      } else {
        quantileColumns.forEach(c -> v.add(first.getAs(c)));
      }
      for (String r : refinements) {
        if (pooled) {
          // Each part's fraction is of the matrices the method ran on there.
          v.add(weightedMean(parts, r + CONVERGED, x -> x.<Long>getAs(r + SummarySchema.REFINE_MATRICES)));
          Mixture iterations = counts.mixture(parts, null, r + "_iterations");
          for (double q : new double[] {0.5, 0.99}) {
            Double x = quantile(iterations, q);
            v.add(x == null ? null : (int) Math.round(x));
          }
        } else {
          for (String c : List.of(CONVERGED, ITERATIONS_P50, ITERATIONS_P99)) {
            v.add(first.getAs(r + c));
          }
        }
      }
      rows.add(v);
    }
    Table table = new Table(columns, rows);
    Table dists = distributions(keys, groupKeys, drawn, distributions);
    Table sub = pooled ? subcarriers(summary, summaryKeys, counts) : new Table(List.of(), List.of());
    return new ChartTables(keys, pooled, table, dists, sub, new ArrayList<>(groups));
  }

  /** The distributions of the drawn groups, pooled over subcarriers where the summary was grouped by them. */
  private static Table distributions(List<String> keys, List<String> groupKeys, List<List<Object>> drawn,
      List<Row> rows) {
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(List.of(MetricsSchema.SNR_DB, METRIC, INDEX, COUNT, P, VALUE));
    if (rows.isEmpty()) {
      return new Table(columns, List.of());
    }
    Set<List<Object>> wanted = Set.copyOf(drawn);
    Map<List<Object>, Mixture> mixtures = new LinkedHashMap<>();
    Map<List<Object>, double[]> points = new HashMap<>();
    for (Row r : sortedBy(rows, keys, MetricsSchema.SNR_DB, METRIC, INDEX)) {
      if (!wanted.contains(values(r, groupKeys))) {
        continue;
      }
      List<Object> k = values(r, keys, MetricsSchema.SNR_DB, METRIC, INDEX);
      double[] p = doubles(r.getList(r.fieldIndex(P)));
      mixtures.computeIfAbsent(k, x -> new Mixture()).add(r.<Long>getAs(COUNT), p, doubles(r.getList(
          r.fieldIndex(VALUE))));
      points.putIfAbsent(k, p);
    }
    List<List<Object>> out = new ArrayList<>();
    for (Map.Entry<List<Object>, Mixture> e : mixtures.entrySet()) {
      List<Object> v = new ArrayList<>(e.getKey());
      double[] p = points.get(e.getKey());
      v.add(e.getValue().count());
      v.add(list(p));
      v.add(list(e.getValue().quantiles(p)));
      out.add(v);
    }
    return new Table(columns, out);
  }

  /** Mean capacity per run, shape, subcarrier and SNR, pooled over the other keys. */
  private static Table subcarriers(List<Row> summary, List<String> summaryKeys, Counts counts) {
    List<String> keys = new ArrayList<>();
    if (summaryKeys.contains(DatasetPaths.RUN_ID)) {
      keys.add(DatasetPaths.RUN_ID);
    }
    keys.addAll(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS, ChannelsSchema.SUBCARRIER));
    Map<List<Object>, List<Row>> parts = new LinkedHashMap<>();
    for (Row r : sortedBy(summary, keys, MetricsSchema.SNR_DB)) {
      parts.computeIfAbsent(values(r, keys, MetricsSchema.SNR_DB), k -> new ArrayList<>()).add(r);
    }
    String mean = SummarySchema.column(Metric.CAPACITY, Metric.Statistic.MEAN);
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<List<Object>, List<Row>> e : parts.entrySet()) {
      double snr = (Double) e.getKey().get(e.getKey().size() - 1);
      List<Object> v = new ArrayList<>(e.getKey());
      v.add(weightedMean(e.getValue(), mean, r -> counts.of(r, snr, Metric.CAPACITY.column())));
      rows.add(v);
    }
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(List.of(MetricsSchema.SNR_DB, mean));
    return new Table(columns, rows);
  }

  /**
   * Where {@code distributions} do not belong with {@code summary} (another pass wrote one of them:
   * a summarize stopped between the two), the first summary row they disagree on; else null. Each
   * summary row's ok matrices are the count of its capacity distribution.
   */
  static String mismatch(StructType summarySchema, List<Row> summary, List<Row> distributions) {
    if (distributions.isEmpty()) {
      return null;
    }
    List<String> keys = keysBefore(summarySchema, MetricsSchema.SNR_DB);
    Counts counts = new Counts(keys, distributions);
    String capacity = Metric.CAPACITY.column();
    for (Row r : summary) {
      long ok = r.<Long>getAs(SummarySchema.MATRICES) - r.<Long>getAs(SummarySchema.FAILED);
      long counted = counts.of(r, r.getAs(MetricsSchema.SNR_DB), capacity);
      if (ok != counted) {
        StringBuilder at = new StringBuilder();
        for (String k : keys) {
          at.append(k).append('=').append((Object) r.getAs(k)).append(", ");
        }
        return "at " + at + "snr_db=" + r.getAs(MetricsSchema.SNR_DB) + " the summary has " + ok
            + " ok matrices, the " + capacity + " distribution " + counted;
      }
    }
    return null;
  }

  /**
   * The values behind each summary row's statistics: the count of the metric's distribution at the
   * row's keys (and SNR), or the row's ok matrices where the summary came without distributions.
   */
  private static final class Counts {
    private final Map<List<Object>, Row> byKey = new HashMap<>();
    private final List<String> keys;
    private final boolean present;

    Counts(List<String> keys, List<Row> distributions) {
      this.keys = keys;
      this.present = !distributions.isEmpty();
      for (Row r : distributions) {
        if (r.isNullAt(r.fieldIndex(INDEX))) {
          byKey.put(values(r, keys, MetricsSchema.SNR_DB, METRIC), r);
        }
      }
    }

    long of(Row summaryRow, Double snr, String metric) {
      if (!present) {
        // Without distributions, the rows the metric is defined on: ok rows, full-rank ones for zero-forcing.
        long ok = summaryRow.<Long>getAs(SummarySchema.MATRICES) - summaryRow.<Long>getAs(SummarySchema.FAILED);
        return metric.equals(Metric.RATE_ZF.column()) ? ok - summaryRow.<Long>getAs(SummarySchema.RANK_DEFICIENT) : ok;
      }
      Row d = byKey.get(key(summaryRow, snr, metric));
      return d == null ? 0 : d.<Long>getAs(COUNT);
    }

    Mixture mixture(List<Row> parts, Double snr, String metric) {
      Mixture m = new Mixture();
      for (Row r : parts) {
        Row d = byKey.get(key(r, snr, metric));
        if (d != null) {
          m.add(d.<Long>getAs(COUNT), doubles(d.getList(d.fieldIndex(P))), doubles(d.getList(d.fieldIndex(VALUE))));
        }
      }
      return m;
    }

    private List<Object> key(Row summaryRow, Double snr, String metric) {
      List<Object> k = values(summaryRow, keys);
      k.add(snr);
      k.add(metric);
      return k;
    }
  }

  private static Double weightedMean(List<Row> parts, String column, ToLongFunction<Row> weight) {
    double sum = 0;
    long n = 0;
    for (Row r : parts) {
      Object v = r.getAs(column);
      long w = weight.applyAsLong(r);
      if (v != null && w > 0) {
        sum += w * ((Number) v).doubleValue();
        n += w;
      }
    }
    return n == 0 ? null : sum / n;
  }

  private static Double quantile(Mixture m, double q) {
    double v = m.quantiles(new double[] {q})[0];
    return Double.isNaN(v) ? null : v;
  }

  /** The level of a quantile column: capacity_p01 → 0.01, capacity_p0_1 → 0.001. */
  static double level(String column) {
    String percent = column.substring(column.lastIndexOf("_p") + 2).replace('_', '.');
    return new BigDecimal(percent).movePointLeft(2).doubleValue();
  }

  /** The columns before {@code column}: a summary's group keys. */
  static List<String> keysBefore(StructType schema, String column) {
    List<String> keys = new ArrayList<>();
    for (String c : schema.fieldNames()) {
      if (c.equals(column)) {
        break;
      }
      keys.add(c);
    }
    return keys;
  }

  private static List<Object> values(Row r, List<String> columns, String... more) {
    List<Object> v = new ArrayList<>(columns.size() + more.length);
    for (String c : columns) {
      v.add(r.getAs(c));
    }
    for (String c : more) {
      v.add(r.getAs(c));
    }
    return v;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Row> sortedBy(List<Row> rows, List<String> columns, String... more) {
    List<String> all = new ArrayList<>(columns);
    all.addAll(List.of(more));
    Comparator<Object> nullsFirst = Comparator.nullsFirst((a, b) -> ((Comparable) a).compareTo(b));
    List<Row> out = new ArrayList<>(rows);
    out.sort((a, b) -> {
      for (String c : all) {
        int cmp = nullsFirst.compare(a.getAs(c), b.getAs(c));
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    });
    return out;
  }

  private static double[] doubles(List<Object> list) {
    double[] a = new double[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) list.get(i)).doubleValue();
    }
    return a;
  }

  private static List<Double> list(double[] a) {
    List<Double> l = new ArrayList<>(a.length);
    for (double x : a) {
      l.add(x);
    }
    return l;
  }
}
