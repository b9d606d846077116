package org.mimobatch.jobs;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.io.Runs;
import scala.collection.Seq;

/** {@code show PATH}: the schema, the row count and the first rows of a Parquet dataset as a table. */
public final class ShowCommand {
  /** Longest cell printed; longer ones (lists, mostly) are cut with an ellipsis. */
  static final int CELL_WIDTH = 48;

  private ShowCommand() {}

  public static void show(SparkSession spark, String path, int rows, PrintStream out) {
    Dataset<Row> data = Runs.readAny(spark, path);
    out.print(escape(data.schema().treeString()).replace("\\u000a", "\n"));
    out.println(data.count() + " rows in " + path);
    out.print(table(data.columns(), data.limit(rows).collectAsList()));
  }

  /** A plain-text table with a header line, one line per row and cells cut at {@link #CELL_WIDTH}. */
  static String table(String[] header, List<Row> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(java.util.Arrays.stream(header).map(ShowCommand::escape).toArray(String[]::new));
    for (Row r : rows) {
      String[] line = new String[header.length];
      for (int c = 0; c < header.length; c++) {
        line[c] = cut(format(r.get(c)));
      }
      cells.add(line);
    }
    int[] width = new int[header.length];
    for (String[] line : cells) {
      for (int c = 0; c < line.length; c++) {
        width[c] = Math.max(width[c], line[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < cells.size(); l++) {
      String[] line = cells.get(l);
      for (int c = 0; c < line.length; c++) {
        sb.append(c == 0 ? "" : "  ").append(String.format("%-" + width[c] + "s", line[c]));
      }
      sb.append('\n');
      if (l == 0) {
        for (int c = 0; c < line.length; c++) {
          sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[] bytes) {
      return "binary, " + bytes.length + " bytes";
    }
    if (v instanceof Double d) {
      return formatNumber(d);
    }
    if (v instanceof Float f) {
      return formatNumber(f);
    }
    if (v instanceof Seq<?> seq) {
      StringBuilder sb = new StringBuilder("[");
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext() && sb.length() <= CELL_WIDTH) {
        sb.append(sb.length() == 1 ? "" : ", ").append(format(it.next()));
      }
      return sb.append(it.hasNext() ? ", …" : "").append(']').toString();
    }
    return escape(v.toString());
  }

  /**
   * {@code text} with control characters (C0, DEL, C1) written as \\uXXXX: a value in a dataset must
   * not move the terminal's cursor, clear it or ring its bell.
   */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Six significant digits without trailing zeros; scientific notation outside 1e-3 .. 1e6. */
  static String formatNumber(double d) {
    if (d == 0 || !Double.isFinite(d)) {
      return Double.toString(d);
    }
    double a = Math.abs(d);
    if (a >= 1e-3 && a < 1e6) {
      return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.4e", d);
  }

  private static String cut(String s) {
    return s.length() <= CELL_WIDTH ? s : s.substring(0, CELL_WIDTH - 1) + "…";
  }
}
