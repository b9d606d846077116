package org.mimobatch.jobs.report;

import org.mimobatch.jobs.io.RunInfo;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.HistorySchema;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.pipeline.ConfigName;
import org.mimobatch.pipeline.backend.BackendUnavailableException;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.LinalgBackend.Operation;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The HTML report of a run: one self-contained page, {@code OUT/report/run_id=ID/index.html}, that
 * opens offline from disk. The charting library (uPlot, MIT, from its WebJar) and the page's own
 * script are inlined, the numbers embedded as JSON; no request leaves the page. It draws from the
 * summary, the distributions, the loss histories and the run's description ({@link RunInfo}).
 */
public final class Report {
  /** The uPlot release on the classpath, as its WebJar records it (the pom pins it). */
  static final String UPLOT_VERSION = webJarVersion("META-INF/maven/org.webjars.npm/uplot/pom.properties");
  private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";

  private Report() {}

  /** What was written: the page and the charts it draws. */
  public record Result(String path, int charts) {}

  /**
   * Writes the report of {@code paths}' run, from what it has published; {@code info} (may be null)
   * overrides the description published with its metrics. Stops where the run has no summary, or
   * where its summary was made from other metrics than those it now has (an analyze since, or a
   * command stopped before its summary), naming the attempts: a page never draws one attempt's
   * charts under another's description.
   */
  public static Result write(SparkSession spark, DatasetPaths paths, RunInfo info) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunManifest run = RunStore.published(spark, paths.root(), paths.runId());
    RunManifest.Entry summaryEntry = run.entry(DatasetPaths.SUMMARY);
    if (summaryEntry == null) {
      throw new InputException("no summary at " + paths.summary() + ": run summarize (or run) for run "
          + paths.runId() + " first");
    }
    RunManifest.Entry metricsEntry = run.entry(DatasetPaths.METRICS);
    String summarised = summaryEntry.sources().get(DatasetPaths.METRICS);
    if (summarised != null && metricsEntry != null && !summarised.equals(metricsEntry.attempt())) {
      throw new InputException("run " + paths.runId() + " is not whole: its summary (attempt " + summaryEntry.attempt()
          + ") was made from the metrics of attempt " + summarised + ", and its metrics are now attempt "
          + metricsEntry.attempt() + "'s: run summarize for run " + paths.runId() + ", then report");
    }
    Dataset<Row> summary = read(spark, paths, run, DatasetPaths.SUMMARY);
    List<Row> summaryRows = summary.collectAsList();
    Dataset<Row> distributionData = read(spark, paths, run, DatasetPaths.DISTRIBUTIONS);
    List<Row> distributions = distributionData == null ? List.of() : distributionData.collectAsList();
    String mismatch = ChartTables.mismatch(summary.schema(), summaryRows, distributions);
    if (mismatch != null) {
      throw new InputException(paths.distributions() + " was not written with " + paths.summary() + " (" + mismatch
          + "): run summarize again for run " + paths.runId());
    }
    Dataset<Row> historyData = read(spark, paths, run, DatasetPaths.HISTORIES);
    List<Row> histories = historyData == null ? List.of() : sampledHistories(historyData);
    RunInfo description = info != null ? info : metricsEntry == null ? null : metricsEntry.info();
    if (description != null && description.kernels().isEmpty()) {
      description = description.withKernels(kernels(description, summaryRows));
    }
    ChartTables tables = ChartTables.of(summary.schema(), summaryRows, distributions);
    int charts = ReportData.charts(tables, histories);
    Map<String, String> attempts = new TreeMap<>();
    run.datasets().forEach((name, entry) -> attempts.put(name, entry.attempt()));
    var data = ReportData.of(description, attempts, tables, histories, charts);
    // The data last, so that no replacement searches it: it holds the run's settings, any text.
    String page = template("index.html")
        .replace("/*TITLE*/", escapeHtml("mimobatch run " + paths.runId()))
        .replace("/*UPLOT_VERSION*/", UPLOT_VERSION)
        .replace("/*UPLOT_CSS*/", resource(UPLOT + "uPlot.min.css"))
        .replace("/*REPORT_CSS*/", template("report.css"))
        .replace("/*UPLOT_JS*/", resource(UPLOT + "uPlot.iife.min.js"))
        .replace("/*REPORT_JS*/", template("report.js"))
        .replace("/*DATA*/", scriptSafe(data.toString()));
    return new Result(writeAtomically(conf, new Path(paths.report(), "index.html"), page), charts);
  }

  /** The published version of {@code dataset} of the run, or null where it has none. */
  private static Dataset<Row> read(SparkSession spark, DatasetPaths paths, RunManifest run, String dataset) {
    RunManifest.Entry e = run.entry(dataset);
    return e == null ? null : Runs.readFiles(spark, RunStore.files(paths, dataset, e));
  }

  /**
   * JSON made safe inside a {@code <script>} element: every character the HTML parser acts on
   * there ({@code <}, {@code >}, {@code &}) and the two that end a line in older JavaScript
   * (U+2028, U+2029) written as JSON's backslash-u escapes, which only occur inside strings.
   */
  static String scriptSafe(String json) {
    StringBuilder sb = new StringBuilder(json.length());
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Text made safe in an HTML element or attribute. */
  static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  /**
   * The loss histories of the first {@value ReportData#HISTORIES_PER_METHOD} matrices of each method,
   * in key order: a run may hold a hundred thousand, and the page draws a few.
   */
  private static List<Row> sampledHistories(Dataset<Row> histories) {
    Column[] key = {col(ChannelsSchema.LINK), col(ChannelsSchema.SLOT), col(ChannelsSchema.SUBCARRIER)};
    Dataset<Row> first = histories.select(col(HistorySchema.METHOD), key[0], key[1], key[2]).distinct()
        .withColumn("n", row_number().over(Window.partitionBy(HistorySchema.METHOD).orderBy(key)))
        .filter(col("n").leq(ReportData.HISTORIES_PER_METHOD)).drop("n");
    return histories.join(first, new String[] {HistorySchema.METHOD, ChannelsSchema.LINK, ChannelsSchema.SLOT,
            ChannelsSchema.SUBCARRIER})
        .orderBy(key[0], key[1], key[2], col(HistorySchema.METHOD), col(HistorySchema.ITERATION)).collectAsList();
  }

  /**
   * The routine of each operation of the analysis for each shape of the summary, from the backend
   * as this JVM opens it; empty where it cannot open here (a GPU backend on a driver without GPU).
   */
  static Map<String, String> kernels(RunInfo run, List<Row> summary) {
    Map<String, String> k = new TreeMap<>();
    Precision p = ConfigName.parse(Precision.class, run.precision());
    try (LinalgBackend b = Backends.open(run.backend())) {
      for (Row r : summary) {
        int rows = ((Number) r.getAs(ChannelsSchema.ROWS)).intValue();
        int cols = ((Number) r.getAs(ChannelsSchema.COLS)).intValue();
        String shape = rows + "x" + cols;
        k.put("svd " + shape, b.kernel(Operation.SVD, p, rows, cols));
        k.put("eigenvalues of HᴴH " + shape, b.kernel(Operation.EIGH_VALUES, p, cols, cols));
        k.put("products " + shape, b.kernel(Operation.MULTIPLY, p, rows, cols));
      }
    } catch (BackendUnavailableException e) {
      k.put(run.backend(), "not available on the driver: " + e.getMessage());
    }
    return k;
  }

  private static String template(String name) {
    return resource("report/" + name);
  }

  private static String resource(String name) {
    try (InputStream in = Report.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Written beside the target, then renamed over it: no reader sees a half-written page.
   * Returns the target's full path, which a browser opens as it is on a local file system.
   */
  private static String writeAtomically(Configuration conf, Path target, String text) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      Path dest = fs.makeQualified(target);
      fs.mkdirs(dest.getParent());
      Path tmp = new Path(dest.getParent(), "." + dest.getName() + "." + System.nanoTime());
      try {
        try (OutputStream out = fs.create(tmp, true)) {
          out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        // A local rename replaces the old page in one step; file systems whose rename will not
        // replace (HDFS) leave a moment without a page, never a half-written one.
        if (!fs.rename(tmp, dest) && !(fs.delete(dest, false) && fs.rename(tmp, dest))) {
          throw new IOException("could not rename " + tmp + " to " + dest);
        }
      } finally {
        fs.delete(tmp, false);
      }
      return "file".equals(dest.toUri().getScheme()) ? dest.toUri().getPath() : dest.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    }
  }

  private static String webJarVersion(String properties) {
    java.util.Properties p = new java.util.Properties();
    try (InputStream in = Report.class.getClassLoader().getResourceAsStream(properties)) {
      if (in == null) {
        throw new IllegalStateException("resource " + properties + " is missing from the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }
}
