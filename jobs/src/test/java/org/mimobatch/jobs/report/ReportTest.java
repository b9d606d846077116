package org.mimobatch.jobs.report;

import org.mimobatch.jobs.Jobs;
import org.mimobatch.jobs.io.RunInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.ExternalTools;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.ParquetCodec;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;

/** The HTML report: its numbers against the datasets it draws from, and the page in a browser. */
class ReportTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATA = Pattern.compile("<script id=\"data\" type=\"application/json\">(.*?)</script>",
      Pattern.DOTALL);

  @TempDir
  Path dir;

  private Settings settings(String runId, String... more) {
    List<String> all = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=4", "channel.tx=4",
        "channel.slots=16", "channel.subcarriers=8", "analysis.chunk-size=32", "run.id=" + runId,
        "analysis.snr-db=[0, 20]", "refine.methods=[newton-schulz]", "refine.history-sample=20"));
    all.addAll(List.of(more));
    return Settings.load(null, all, dir.toString());
  }

  /** The JSON a page embeds. */
  static JsonNode data(String page) throws IOException {
    Matcher m = DATA.matcher(Files.readString(Path.of(page)));
    assertTrue(m.find(), "the page embeds its data");
    return JSON.readTree(m.group(1).replace("<\\/", "</"));
  }

  private static double number(JsonNode v) {
    return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
  }

  private static List<Row> sorted(String path, String... by) {
    var ds = spark.read().parquet(path);
    return ds.orderBy(by[0], java.util.Arrays.copyOfRange(by, 1, by.length)).collectAsList();
  }

  @Test
  void reportNumbersAreTheSummarys() throws IOException {
    Settings s = settings("plain");
    RunJob.Result r = RunJob.run(spark, s);
    assertNotNull(r.report(), "run writes the report by default");
    DatasetPaths paths = s.output().paths();
    assertEquals(Path.of(paths.report(), "index.html").toAbsolutePath().toString(), r.report().path());
    JsonNode data = data(r.report().path());

    // Every number of the summary the page draws is the summary's own.
    List<Row> summary = sorted(paths.summary(), "rows", "cols", "snr_db");
    JsonNode columns = data.at("/summary/columns");
    JsonNode rows = data.at("/summary/rows");
    assertEquals(summary.size(), rows.size());
    assertTrue(columns.size() > 15, "capacities, rates, outage quantiles and the refinement");
    for (int i = 0; i < summary.size(); i++) {
      for (int c = 0; c < columns.size(); c++) {
        Object expected = summary.get(i).getAs(columns.get(c).asText());
        JsonNode got = rows.get(i).get(c);
        if (expected == null) {
          assertTrue(got.isNull(), columns.get(c).asText());
        } else {
          assertEquals(((Number) expected).doubleValue(), number(got), 0.0, columns.get(c).asText());
        }
      }
    }
    // And every distribution.
    Map<String, Row> dists = new HashMap<>();
    for (Row d : spark.read().parquet(paths.distributions()).collectAsList()) {
      dists.put(d.getAs("snr_db") + " " + d.getAs("metric") + " " + d.getAs("index"), d);
    }
    JsonNode drawn = data.at("/distributions/rows");
    assertEquals(dists.size(), drawn.size());
    List<String> dc = new ArrayList<>();
    data.at("/distributions/columns").forEach(c -> dc.add(c.asText()));
    for (JsonNode d : drawn) {
      Row expected = dists.get(text(d.get(dc.indexOf("snr_db"))) + " " + d.get(dc.indexOf("metric")).asText() + " "
          + text(d.get(dc.indexOf("index"))));
      assertNotNull(expected, d.toString());
      assertEquals(expected.<Long>getAs("count"), d.get(dc.indexOf("count")).asLong());
      List<Double> values = expected.getList(expected.fieldIndex("value"));
      JsonNode v = d.get(dc.indexOf("value"));
      for (int j = 0; j < values.size(); j++) {
        assertEquals(values.get(j), number(v.get(j)), 0.0);
      }
    }
    // The loss curves of the sampled matrices, as the histories dataset holds them.
    Map<String, List<Double>> losses = new HashMap<>();
    for (Row h : sorted(paths.histories(), "link", "slot", "subcarrier", "iteration")) {
      losses.computeIfAbsent("link " + h.getAs("link") + ", slot " + h.getAs("slot") + ", subcarrier "
          + h.getAs("subcarrier"), k -> new ArrayList<>()).add(h.getAs("loss"));
    }
    JsonNode histories = data.get("histories");
    assertEquals(Math.min(ReportData.HISTORIES_PER_METHOD, losses.size()), histories.size());
    for (JsonNode h : histories) {
      List<Double> expected = losses.get(h.get("matrix").asText());
      assertEquals(expected.size(), h.get("loss").size());
      for (int j = 0; j < expected.size(); j++) {
        assertEquals(expected.get(j), number(h.get("loss").get(j)), 0.0);
      }
    }
    // What was run.
    assertEquals(r.analyze().statusCounts().get("ok"), data.at("/run/statuses/ok").asLong());
    assertEquals("[newton-schulz]", data.at("/run/settings/refine.methods").asText());
    assertTrue(data.at("/run/kernels").toString().contains("svd 4x4"), data.at("/run/kernels").toString());
    assertTrue(data.at("/run/seconds").has("summarize"));
    assertEquals(5 + 1, data.get("expectedCharts").asInt());
    assertEquals(6, r.report().charts());

    // Self-contained: nothing on the page asks for another file.
    String page = Files.readString(Path.of(r.report().path()));
    assertFalse(Pattern.compile("\\b(src|href)\\s*=|url\\(|@import|fetch\\(|XMLHttpRequest").matcher(page).find());
  }

  private static String text(JsonNode v) {
    return v.isNull() ? "null" : v.isNumber() && v.isIntegralNumber() ? v.asText() : String.valueOf(v.asDouble());
  }

  @Test
  void aSummaryBySubcarrierIsPooledAsTheWholeGroupWouldBe() throws IOException {
    // gd-inverse with too long a step: most matrices go non-finite, unevenly across subcarriers, so
    // that a pooled converged fraction must weigh each part by the matrices the method ran on.
    String[] methods = {"refine.methods=[newton-schulz, gd-inverse]", "refine.gd-inverse.lr=3"};
    RunJob.run(spark, settings("whole", concat(methods, "output.report=false")));
    Settings bySubcarrier = settings("split", concat(methods, "summary.group-by=[subcarrier]"));
    RunJob.Result r = RunJob.run(spark, bySubcarrier);
    JsonNode data = data(r.report().path());
    assertTrue(data.get("pooled").asBoolean());
    assertEquals(5 + 2 + 1, r.report().charts(), "a loss chart per method, and capacity across subcarriers");

    DatasetPaths whole = new DatasetPaths(dir.toString(), "whole");
    List<Row> expected = sorted(whole.summary(), "rows", "cols", "snr_db");
    List<String> columns = new ArrayList<>();
    data.at("/summary/columns").forEach(c -> columns.add(c.asText()));
    JsonNode rows = data.at("/summary/rows");
    assertEquals(expected.size(), rows.size());
    Map<Double, Row> capacity = new HashMap<>();
    for (Row d : spark.read().parquet(whole.distributions()).where("metric = 'capacity'").collectAsList()) {
      capacity.put(d.getAs("snr_db"), d);
    }
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      JsonNode got = rows.get(i);
      for (String c : List.of("matrices", "failed", "rank_deficient")) {
        assertEquals(e.<Long>getAs(c), got.get(columns.indexOf(c)).asLong(), c);
      }
      // Means weighted by the values behind them are the whole group's means.
      for (String c : List.of("capacity_mean", "capacity_wf_mean", "rate_mmse_mean", "rate_zf_mean",
          "refine_newton_schulz_converged_fraction", "refine_gd_inverse_converged_fraction")) {
        double want = ((Number) e.getAs(c)).doubleValue();
        assertEquals(want, number(got.get(columns.indexOf(c))), 1e-12 * Math.abs(want), c);
      }
      // Pooled quantiles lie where the whole group's quantile points put them, within the 1/16 step
      // of each subcarrier's 16 matrices and the 1/100 between quantile points.
      Row d = capacity.get(e.<Double>getAs("snr_db"));
      List<Double> p = d.getList(d.fieldIndex("p"));
      List<Double> v = d.getList(d.fieldIndex("value"));
      for (String c : List.of("capacity_p01", "capacity_p10", "capacity_p50")) {
        double q = ChartTables.level(c);
        double x = number(got.get(columns.indexOf(c)));
        double slack = 1 / 16.0 + 0.01;
        assertTrue(x >= below(p, v, q - slack) && x <= above(p, v, q + slack), c + " " + x);
      }
    }
    // Each subcarrier's mean capacity, as the summary grouped by subcarrier holds it.
    Map<String, Double> means = new HashMap<>();
    for (Row s : spark.read().parquet(bySubcarrier.output().paths().summary()).collectAsList()) {
      means.put(s.getAs("subcarrier") + " " + s.getAs("snr_db"), s.getAs("capacity_mean"));
    }
    List<String> sc = new ArrayList<>();
    data.at("/subcarriers/columns").forEach(c -> sc.add(c.asText()));
    JsonNode sub = data.at("/subcarriers/rows");
    assertEquals(means.size(), sub.size());
    for (JsonNode s : sub) {
      assertEquals(means.get(s.get(sc.indexOf("subcarrier")).asInt() + " " + s.get(sc.indexOf("snr_db")).asDouble()),
          s.get(sc.indexOf("capacity_mean")).asDouble(), 1e-12);
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  /** The value of quantile points (p, v) at the last level at or below q (the first, below 0). */
  private static double below(List<Double> p, List<Double> v, double q) {
    int j = 0;
    while (j + 1 < p.size() && p.get(j + 1) <= q) {
      j++;
    }
    return v.get(j);
  }

  /** The value of quantile points (p, v) at the first level at or above q (the last, above 1). */
  private static double above(List<Double> p, List<Double> v, double q) {
    int j = p.size() - 1;
    while (j > 0 && p.get(j - 1) >= q) {
      j--;
    }
    return v.get(j);
  }

  @Test
  void theReportOfARunWithoutSummaryNamesWhatIsMissing() {
    Settings s = settings("none");
    InputException e = assertThrows(InputException.class, () -> Report.write(spark, s.output().paths(), null));
    assertTrue(e.getMessage().contains("no summary at") && e.getMessage().contains("none"), e.getMessage());
  }

  @Test
  void distributionsOfAnotherPassAreNamedRatherThanDrawn() {
    RunJob.run(spark, settings("kept", "output.report=false"));
    Settings other = settings("other", "channel.slots=8", "output.report=false");
    RunJob.run(spark, other);
    Settings kept = settings("kept");
    // Published with another pass's distributions (only a hand-made publication could do it).
    RunStore.publish(spark, kept.output().dir(), kept.output().runId(), ParquetCodec.SNAPPY, store -> store.write(
        DatasetPaths.DISTRIBUTIONS, Runs.readAny(spark, other.output().paths().distributions())));

    InputException e = assertThrows(InputException.class, () -> Report.write(spark, kept.output().paths(), null));
    assertTrue(e.getMessage().contains("run_id=kept") && e.getMessage().contains("at rows=4, cols=4, snr_db=0.0")
        && e.getMessage().contains("summary has 128 ok matrices")
        && e.getMessage().contains("distribution 64") && e.getMessage().contains("run summarize again"), e.getMessage());
  }

  @Test
  void aRunWhoseSummaryIsOfOtherMetricsIsNamedRatherThanDrawn() {
    Settings s = settings("reanalysed", "output.report=false", "output.channels=true");
    RunJob.run(spark, s);
    Report.write(spark, s.output().paths(), null);
    Jobs.analyze(spark, settings("reanalysed", "analysis.snr-db=[5]"));
    InputException e = assertThrows(InputException.class, () -> Report.write(spark, s.output().paths(), null));
    assertTrue(e.getMessage().contains("run reanalysed is not whole") && e.getMessage().contains("run summarize"),
        e.getMessage());
    Jobs.summarize(spark, s);
    assertTrue(Report.write(spark, s.output().paths(), null).charts() > 0, "whole again once summarised");
  }



  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void thePageDrawsEveryChartInHeadlessChromium() throws IOException {
    Path chromium = ExternalTools.chromium();
    RunJob.Result plain = RunJob.run(spark, settings("plain"));
    RunJob.Result bySubcarrier = RunJob.run(spark, settings("split", "summary.group-by=[subcarrier]"));
    // Two runs side by side: a line each in every chart.
    Settings both = settings("both", "summary.runs=[plain, split]", "summary.group-by=[run_id]");
    Jobs.summarize(spark, both);
    Report.Result compared = Report.write(spark, both.output().paths(), null);
    JsonNode data = data(compared.path());
    assertEquals(List.of("rows", "cols", "run_id"), JSON.convertValue(data.get("keys"), List.class));
    assertEquals(2 * 2, data.at("/summary/rows").size(), "two runs, two SNRs");
    for (Report.Result r : List.of(plain.report(), bySubcarrier.report(), compared)) {
      assertRendered(chromium, r);
    }
    // The capacity chart of the plain run draws the summary's means, SNR by SNR.
    List<JsonNode> charts = drawn(assertRendered(chromium, plain.report()));
    List<Row> summary = sorted(settings("plain").output().paths().summary(), "snr_db");
    String title = "Capacity and receiver rates against SNR";
    Map<String, String> columns = Map.of("capacity", "capacity_mean", "water-filling", "capacity_wf_mean",
        "LMMSE receiver", "rate_mmse_mean", "zero-forcing receiver", "rate_zf_mean");
    for (Map.Entry<String, String> e : columns.entrySet()) {
      JsonNode y = series(charts, title, e.getKey());
      assertEquals(summary.size(), y.size(), e.getKey());
      for (int k = 0; k < summary.size(); k++) {
        double expected = summary.get(k).<Double>getAs(e.getValue());
        assertEquals(expected, y.get(k).asDouble(), 1e-12 * Math.abs(expected), e.getKey() + " at SNR " + k);
      }
    }
    // Its capacity CDF rises from 0 to 1 through the distribution's own points.
    JsonNode cdf = series(charts, "Capacity CDF", "0 dB");
    double last = -1;
    for (JsonNode p : cdf) {
      if (p.isNumber()) {
        assertTrue(p.asDouble() >= last && p.asDouble() <= 1, "a CDF ascends within [0, 1]");
        last = p.asDouble();
      }
    }
    assertEquals(1.0, last, 1e-12, "the CDF reaches 1");
  }

  @Test
  void hostileTextInEveryEmbeddedStringIsShownNotParsed() throws IOException {
    Path chromium = ExternalTools.chromium();
    // Group keys and settings a page must show as text: comment, script and entity openers, and
    // the two line separators JavaScript once broke strings at.
    String[] hostile = {"<!--<script>", "</script><script>document.title='x'</script>", "a&amp;b\u2028c\u2029d"};
    Settings source = settings("source", "output.channels=true", "output.report=false");
    RunJob.run(spark, source);
    String channels = dir.resolve("hostile-channels").toString();
    Runs.readAny(spark, source.output().paths().channels()).withColumn("scenario", org.apache.spark.sql.functions.element_at(
        org.apache.spark.sql.functions.array(java.util.Arrays.stream(hostile).map(org.apache.spark.sql.functions::lit)
            .toArray(org.apache.spark.sql.Column[]::new)),
        org.apache.spark.sql.functions.expr("cast(subcarrier % 3 as int) + 1"))).write().parquet(channels);
    Settings s = settings("hostile", "analysis.input=\"" + channels + "\"", "summary.group-by=[scenario]");
    Jobs.analyze(spark, s);
    Jobs.summarize(spark, s);
    RunInfo info = new RunInfo(Map.of(hostile[0], hostile[1], "analysis.input", hostile[2]), Map.of("ok", 128L),
        "cpu", "double", Map.of(), Map.of(hostile[1], 1.0));
    Report.Result r = Report.write(spark, s.output().paths(), info);
    JsonNode data = data(r.path());
    assertTrue(data.toString().contains(hostile[1]), "the page's data holds the text as it is");
    String page = Files.readString(Path.of(r.path()));
    for (String h : hostile) {
      assertFalse(page.contains(h), "embedded verbatim: " + h);
    }
    String dom = assertRendered(chromium, r);
    assertFalse(dom.contains("<title>x</title>"), "no script of the data ran");
    for (String h : List.of("&lt;!--&lt;script&gt;", "&lt;/script&gt;&lt;script&gt;")) {
      assertTrue(dom.contains(h), "shown as text: " + h);
    }
  }

  /** Renders the page in headless Chromium: every chart drawn, no script error; returns the DOM. */
  private String assertRendered(Path chromium, Report.Result r) throws IOException {
    List<String> command = ExternalTools.headless(chromium, Files.createTempDirectory(dir, "profile"));
    command.addAll(List.of("--virtual-time-budget=10000", "--dump-dom", Path.of(r.path()).toUri().toString()));
    ExternalTools.Output out = ExternalTools.run(command, null, 180);
    assertEquals(0, out.exit(), out.stderr());
    String dom = out.stdout();
    Matcher rendered = Pattern.compile("data-rendered=\"(\\d+)\"").matcher(dom);
    assertTrue(rendered.find(), "the page's body was dumped");
    Matcher errors = Pattern.compile("<ul id=\"errors\">(.*?)</ul>", Pattern.DOTALL).matcher(dom);
    assertTrue(errors.find());
    assertEquals("", errors.group(1), "errors of the page's scripts");
    assertEquals(r.charts(), Integer.parseInt(rendered.group(1)), "charts drawn");
    assertEquals(r.charts(), count(dom, "class=\"uplot"), "uPlot charts in the page");
    List<JsonNode> charts = drawn(dom);
    assertEquals(r.charts(), charts.size(), "every chart says what it draws");
    for (JsonNode c : charts) {
      String title = c.get("title").asText();
      JsonNode data = c.get("data");
      assertTrue(data.size() >= 2, title + ": an x and at least one series");
      assertTrue(finite(data.get(0)) > 0, title + ": x values");
      for (int k = 1; k < data.size(); k++) {
        assertEquals(data.get(0).size(), data.get(k).size(), title + ": one y per x");
        assertTrue(finite(data.get(k)) > 0, title + ", " + c.get("labels").get(k - 1) + ": no finite point");
      }
    }
    return dom;
  }

  /** What each chart of a rendered page draws: its title, its series' labels and its data arrays. */
  static List<JsonNode> drawn(String dom) throws IOException {
    List<JsonNode> charts = new ArrayList<>();
    Matcher m = Pattern.compile("data-series=\"([^\"]*)\"").matcher(dom);
    while (m.find()) {
      String json = m.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
          .replace("&#39;", "'").replace("&amp;", "&");
      charts.add(JSON.readTree(json));
    }
    return charts;
  }

  private static int finite(JsonNode values) {
    int n = 0;
    for (JsonNode v : values) {
      n += v.isNumber() && Double.isFinite(v.asDouble()) ? 1 : 0;
    }
    return n;
  }

  /** The points of the chart titled {@code title} and its series labelled {@code label}. */
  private static JsonNode series(List<JsonNode> charts, String title, String label) {
    for (JsonNode c : charts) {
      if (c.get("title").asText().equals(title)) {
        for (int k = 0; k < c.get("labels").size(); k++) {
          if (c.get("labels").get(k).asText().equals(label)) {
            return c.get("data").get(k + 1);
          }
        }
      }
    }
    throw new AssertionError("no series " + label + " in a chart " + title);
  }

}
