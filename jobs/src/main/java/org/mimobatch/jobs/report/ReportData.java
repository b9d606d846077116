package org.mimobatch.jobs.report;

import org.mimobatch.jobs.io.RunInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.HistorySchema;

/**
 * The numbers a report draws, as one JSON document embedded in the page: the run's description,
 * the summary and distributions as {@link ChartTables} makes them, and the loss histories of a
 * few sampled matrices per method. The page computes nothing but CDFs from quantile points.
 */
final class ReportData {
  /** Loss curves drawn per method: enough to see the spread, few enough to read. */
  static final int HISTORIES_PER_METHOD = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportData() {}

  static ObjectNode of(RunInfo info, Map<String, String> attempts, ChartTables tables, List<Row> histories,
      int expectedCharts) {
    ObjectNode root = JSON.createObjectNode();
    root.put("expectedCharts", expectedCharts);
    root.put("maxGroups", ChartTables.MAX_GROUPS);
    ObjectNode run = root.putObject("run");
    if (info != null) {
      run.set("settings", JSON.valueToTree(info.settings()));
      run.set("statuses", JSON.valueToTree(info.statuses()));
      run.put("backend", info.backend());
      run.put("precision", info.precision());
      run.set("kernels", JSON.valueToTree(info.kernels()));
      run.set("seconds", JSON.valueToTree(info.seconds()));
    }
    run.set("attempts", JSON.valueToTree(attempts));
    root.set("keys", JSON.valueToTree(tables.keys()));
    root.put("pooled", tables.pooled());
    root.put("groups", tables.groups().size());
    root.set("summary", table(tables.summary()));
    root.set("distributions", table(tables.distributions()));
    root.set("subcarriers", table(tables.subcarriers()));
    root.set("histories", histories(histories));
    return root;
  }

  /** A table as {columns: [...], rows: [[...], ...]}, non-finite numbers as strings JSON can hold. */
  static ObjectNode table(ChartTables.Table table) {
    ObjectNode t = JSON.createObjectNode();
    t.set("columns", JSON.valueToTree(table.columns()));
    ArrayNode out = t.putArray("rows");
    for (List<Object> r : table.rows()) {
      ArrayNode a = out.addArray();
      for (Object v : r) {
        add(a, v);
      }
    }
    return t;
  }

  private static void add(ArrayNode a, Object v) {
    if (v == null) {
      a.addNull();
    } else if (v instanceof List<?> list) {
      ArrayNode inner = a.addArray();
      for (Object x : list) {
        add(inner, x);
      }
    } else if (v instanceof Double d) {
      if (Double.isFinite(d)) {
        a.add(d);
      } else {
        a.add(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      }
    } else if (v instanceof Float f) {
      add(a, (double) f);
    } else if (v instanceof Number n) {
      a.add(n.longValue());
    } else {
      a.add(String.valueOf(v));
    }
  }

  /** Per method, the loss per iteration of up to {@value #HISTORIES_PER_METHOD} matrices, in key order. */
  private static ArrayNode histories(List<Row> rows) {
    Map<String, Map<String, List<double[]>>> byMethod = new LinkedHashMap<>();
    for (Row r : rows) {
      String method = r.getAs(HistorySchema.METHOD);
      String key = "link " + r.getAs(ChannelsSchema.LINK) + ", slot " + r.getAs(ChannelsSchema.SLOT) + ", subcarrier "
          + r.getAs(ChannelsSchema.SUBCARRIER);
      Map<String, List<double[]>> matrices = byMethod.computeIfAbsent(method, m -> new LinkedHashMap<>());
      if (!matrices.containsKey(key) && matrices.size() >= HISTORIES_PER_METHOD) {
        continue;
      }
      Object loss = r.getAs(HistorySchema.LOSS);
      matrices.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.<Integer>getAs(HistorySchema.ITERATION),
          loss == null ? Double.NaN : (Double) loss});
    }
    ArrayNode out = JSON.createArrayNode();
    for (var m : byMethod.entrySet()) {
      for (var k : m.getValue().entrySet()) {
        ObjectNode h = out.addObject();
        h.put("method", m.getKey());
        h.put("matrix", k.getKey());
        List<double[]> points = k.getValue();
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        ArrayNode loss = h.putArray("loss");
        for (double[] p : points) {
          add(loss, p[1]);
        }
      }
    }
    return out;
  }

  /**
   * The charts a report of these tables holds, as the page draws them: per group (of the first
   * {@value ChartTables#MAX_GROUPS}), capacity against SNR, capacity CDFs, singular values,
   * condition number and the errors; per shape, capacity across subcarriers where the summary is
   * grouped by subcarrier; one per refinement with histories.
   */
  static int charts(ChartTables tables, List<Row> histories) {
    long shapes = tables.summary().rows().stream()
        .map(r -> List.of(r.get(tables.summary().columns().indexOf(ChannelsSchema.ROWS)),
            r.get(tables.summary().columns().indexOf(ChannelsSchema.COLS))))
        .distinct().count();
    long methods = histories.stream().map(r -> r.<String>getAs(HistorySchema.METHOD)).distinct().count();
    return (int) (5 * Math.min(tables.groups().size(), ChartTables.MAX_GROUPS) + (tables.pooled() ? shapes : 0)
        + methods);
  }
}
