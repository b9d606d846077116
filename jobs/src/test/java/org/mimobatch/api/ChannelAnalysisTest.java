package org.mimobatch.api;

import org.mimobatch.jobs.Jobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The Dataset API on channels a Spark user holds: built in memory, analysed without files, joined
 * back, summarised by a column the user added; the same rows as the commands write.
 */
class ChannelAnalysisTest extends SparkTestBase {
  @TempDir
  Path dir;

  /** A 2×2 complex matrix, row-major re and im. */
  private record Channel(int link, double[] re, double[] im, String area) {}

  /**
   * The singular values of a 2×2 complex matrix in closed form: the square roots of the eigenvalues
   * (a + d)/2 ± √(((a − d)/2)² + |b|²) of HᴴH = [[a, b], [b*, d]].
   */
  private static double[] closedForm(double[] re, double[] im) {
    double a = re[0] * re[0] + im[0] * im[0] + re[2] * re[2] + im[2] * im[2];
    double d = re[1] * re[1] + im[1] * im[1] + re[3] * re[3] + im[3] * im[3];
    // b = conj(h00) h01 + conj(h10) h11
    double bRe = re[0] * re[1] + im[0] * im[1] + re[2] * re[3] + im[2] * im[3];
    double bIm = re[0] * im[1] - im[0] * re[1] + re[2] * im[3] - im[2] * re[3];
    double mean = (a + d) / 2;
    double radius = Math.hypot((a - d) / 2, Math.hypot(bRe, bIm));
    return new double[] {Math.sqrt(mean + radius), Math.sqrt(Math.max(0, mean - radius))};
  }

  private Dataset<Row> inMemory(List<Channel> channels) {
    StructType schema = Channels.schema(Precision.DOUBLE).add("area", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (Channel c : channels) {
      rows.add(RowFactory.create(c.link(), 0, 0, 2, 2, toList(c.re()), toList(c.im()), c.area()));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static List<Double> toList(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  @Test
  void channelsBuiltInMemoryAreAnalysedJoinedBackAndSummarisedByTheUsersColumn() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    List<Channel> channels = new ArrayList<>();
    for (int link = 0; link < 40; link++) {
      double[] re = new double[4];
      double[] im = new double[4];
      for (int e = 0; e < 4; e++) {
        re[e] = rng.nextDouble() - 0.5;
        im[e] = rng.nextDouble() - 0.5;
      }
      if (link == 3) { // rank one: the second row is twice the first
        re[2] = 2 * re[0];
        re[3] = 2 * re[1];
        im[2] = 2 * im[0];
        im[3] = 2 * im[1];
      }
      channels.add(new Channel(link, re, im, link % 2 == 0 ? "north" : "south"));
    }
    // A row of the wrong length: kept, with a status saying so.
    channels.add(new Channel(40, new double[] {1, 2, 3}, new double[] {0, 0, 0}, "north"));
    Dataset<Row> input = inMemory(channels);

    Dataset<Row> metrics = ChannelAnalysis.defaults().metrics(input);
    assertTrue(List.of(metrics.columns()).contains("area"), "the user's column passes through");
    List<Row> joined = input.join(metrics.drop("rows", "cols", "area"),
            scala.jdk.javaapi.CollectionConverters.asScala(List.of("link", "slot", "subcarrier")).toSeq())
        .orderBy("link").collectAsList();
    assertEquals(channels.size(), joined.size(), "rows in == rows out");
    Map<String, Long> okByArea = new HashMap<>();
    for (Row r : joined) {
      int link = r.getAs("link");
      String status = r.getAs("status");
      if (link == 40) {
        assertEquals("shape-error", status);
        continue;
      }
      assertEquals("ok", status, "link " + link);
      okByArea.merge(r.getAs("area"), 1L, Long::sum);
      Channel c = channels.get(link);
      double[] expected = closedForm(c.re(), c.im());
      List<Double> sv = r.getList(r.fieldIndex("singular_values"));
      assertEquals(expected[0], sv.get(0), 1e-13 * expected[0], "σ1 of link " + link);
      assertEquals(expected[1], sv.get(1), 1e-13 * expected[0], "σ2 of link " + link);
      assertEquals(link == 3 ? 1 : 2, r.<Integer>getAs("rank"), "rank of link " + link);
    }

    MetricsSummary summary = MetricsSummary.of(metrics, "area");
    List<Row> rows = summary.summary().orderBy("area", "snr_db").collectAsList();
    assertEquals(2 * 3, rows.size(), "two areas × three SNRs");
    // The capacity means against Spark SQL's own average over the same metrics rows.
    Map<String, Double> means = new HashMap<>();
    for (Row m : metrics.filter("status = 'ok'").groupBy("area")
        .agg(functions.avg(functions.element_at(functions.col("capacity"), 1)).as("mean")).collectAsList()) {
      means.put(m.getString(0), m.getDouble(1));
    }
    for (Row r : rows) {
      String area = r.getAs("area");
      assertEquals(okByArea.get(area), r.<Long>getAs("matrices") - r.<Long>getAs("failed"), area);
      if (r.<Double>getAs("snr_db") == 0.0) {
        assertEquals(means.get(area), r.<Double>getAs("capacity_mean"), 1e-12, area);
      }
    }
  }

  @Test
  void drawnChannelsAndTheirMetricsAreWhatTheCommandsWrite() {
    String[] channel = {"channel.model=kronecker", "channel.rx=3", "channel.tx=2", "channel.slots=3",
        "channel.subcarriers=5", "channel.correlation.rx=0.7"};
    List<String> all = new ArrayList<>(List.of(channel));
    all.addAll(List.of("analysis.snr-db=[5, 15]", "refine.methods=[newton-schulz]"));
    Settings settings = Settings.load(null, all, dir.toString());
    Jobs.generate(spark, settings);
    Jobs.analyze(spark, settings);
    Dataset<Row> drawn = Channels.draw(spark, channel);
    String[] keys = {"link", "slot", "subcarrier"};
    Dataset<Row> analysed = spark.read().parquet(settings.output().paths().metrics()).drop("run_id");
    List<String> written = sorted(analysed, keys);
    assertEquals(sorted(spark.read().parquet(settings.output().paths().channels()).drop("run_id"), keys),
        sorted(drawn, keys), "the channels generate writes");
    assertEquals(sorted(Channels.draw(spark, settings.channels()), keys), sorted(drawn, keys),
        "the channels of a loaded configuration's section");
    ChannelAnalysis options = ChannelAnalysis.builder().snrDb(5, 15).refinements("newton-schulz").build();
    assertEquals(written, sorted(options.metrics(drawn), keys), "the metrics analyze writes");
    assertEquals(written, sorted(ChannelAnalysis.of(settings.analysis()).metrics(drawn), keys),
        "the analysis of a loaded configuration's section");
    assertEquals(List.of(5.0, 15.0), analysed.select("snr_db").first().getList(0), "the configured SNRs");
  }

  @Test
  void channelFilesReadAsIngestReadsThemHaveNumpysSingularValues() throws Exception {
    Path npy = Path.of(getClass().getResource("/ingest/deepmimo.npy").toURI());
    Dataset<Row> channels = Channels.read(spark, "input.path=" + npy, "input.preset=deepmimo");
    com.fasterxml.jackson.databind.JsonNode expected = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(npy.resolveSibling("deepmimo.expected.json").toFile());
    Map<List<Integer>, List<Double>> numpy = new HashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode e : expected) {
      List<Double> sv = new ArrayList<>();
      e.get("sv").forEach(v -> sv.add(v.asDouble()));
      numpy.put(List.of(e.get("key").get(0).asInt(), e.get("key").get(1).asInt(), e.get("key").get(2).asInt()), sv);
    }
    List<Row> metrics = ChannelAnalysis.defaults().metrics(channels).collectAsList();
    assertEquals(numpy.size(), metrics.size());
    for (Row r : metrics) {
      List<Double> want = numpy.get(List.of(((Number) r.getAs("link")).intValue(), ((Number) r.getAs("slot")).intValue(),
          ((Number) r.getAs("subcarrier")).intValue()));
      List<Double> got = r.getList(r.fieldIndex("singular_values"));
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i), got.get(i), 1e-5 * want.get(0), r.toString());
      }
    }
    IllegalArgumentException notInput = assertThrows(IllegalArgumentException.class,
        () -> Channels.read(spark, "channel.rx=2"));
    assertTrue(notInput.getMessage().contains("channel.rx"), notInput.getMessage());
  }

  @Test
  void nothingRunsUntilAnActionAsksForTheMetricsOrTheirSummary() throws Exception {
    java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener counting = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(counting);
    try {
      Dataset<Row> channels = Channels.draw(spark, "channel.rx=2", "channel.tx=2", "channel.slots=4",
          "channel.subcarriers=8");
      Dataset<Row> positions = spark.range(1).selectExpr("CAST(id AS INT) AS link", "'north' AS area");
      // A shuffle in the input and one after the analysis, as a user's join and group make them.
      Dataset<Row> metrics = ChannelAnalysis.defaults().metrics(channels.repartition(3).join(positions, "link"));
      MetricsSummary summary = MetricsSummary.of(metrics.repartition(2), "area");
      Dataset<Row> rows = summary.summary();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(0, jobs.get(), "Spark jobs before any action");
      List<Row> collected = rows.collectAsList();
      assertEquals(3, collected.size());
      assertEquals(32L, collected.get(0).<Long>getAs("matrices"));
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertTrue(jobs.get() > 0);
    } finally {
      spark.sparkContext().removeSparkListener(counting);
    }
  }

  @Test
  void filesThatCannotBeReadAndClashingColumnsAreIllegalArguments() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> Channels.read(spark, "input.path=" + dir.resolve("nothing.npy"), "input.preset=deepmimo"));
    assertTrue(missing.getMessage().contains("nothing.npy"), missing.getMessage());
    Dataset<Row> channels = Channels.draw(spark, "channel.rx=2", "channel.tx=2", "channel.slots=1",
        "channel.subcarriers=2");
    ChannelAnalysis refined = ChannelAnalysis.builder().refinements("newton-schulz").build();
    IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
        () -> refined.metrics(channels.withColumn("refine_newton_schulz_status", functions.lit("mine"))));
    assertTrue(clash.getMessage().contains("'refine_newton_schulz_status'"), clash.getMessage());
    IllegalArgumentException schema = assertThrows(IllegalArgumentException.class,
        () -> refined.metricsSchema(channels.drop("re").schema()));
    assertTrue(schema.getMessage().contains("'re'"), schema.getMessage());
    IllegalArgumentException ignored = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.builder().set("analysis.outage", "[0.05]"));
    assertTrue(ignored.getMessage().contains("analysis.outage"), ignored.getMessage());
    IllegalArgumentException smuggled = assertThrows(IllegalArgumentException.class,
        () -> Channels.draw(spark, "channel.rx=4, backend=cpu"));
    assertTrue(smuggled.getMessage().contains("'backend'"), smuggled.getMessage());
  }

  private static List<String> sorted(Dataset<Row> rows, String[] keys) {
    String[] columns = rows.columns();
    Arrays.sort(columns);
    List<String> out = new ArrayList<>();
    for (Row r : rows.selectExpr(columns).orderBy(keys[0], keys[1], keys[2]).collectAsList()) {
      out.add(r.toString());
    }
    return out;
  }

  @Test
  void aDatasetBreakingTheContractOrABadOptionIsNamed() {
    Dataset<Row> channels = Channels.draw(spark, "channel.rx=2", "channel.tx=2", "channel.slots=1",
        "channel.subcarriers=2");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.defaults().metrics(channels.drop("im")));
    assertTrue(missing.getMessage().contains("'im'"), missing.getMessage());
    IllegalArgumentException mistyped = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.defaults().metrics(channels.withColumn("rows", functions.lit("two"))));
    assertTrue(mistyped.getMessage().contains("'rows'") && mistyped.getMessage().contains("integer"),
        mistyped.getMessage());
    IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.defaults().metrics(channels.withColumn("capacity", functions.lit(1))));
    assertTrue(named.getMessage().contains("'capacity'"), named.getMessage());

    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.builder().snrDb(0, Double.NaN).build());
    assertTrue(nan.getMessage().contains("analysis.snr-db"), nan.getMessage());
    IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.builder().refinements("newton").build());
    assertTrue(method.getMessage().contains("refine.methods"), method.getMessage());
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> ChannelAnalysis.builder().set("channel.rx", "4"));
    assertTrue(other.getMessage().contains("channel.rx"), other.getMessage());
    IllegalArgumentException notChannel = assertThrows(IllegalArgumentException.class,
        () -> Channels.draw(spark, "analysis.seed=3"));
    assertTrue(notChannel.getMessage().contains("analysis.seed"), notChannel.getMessage());
    IllegalArgumentException group = assertThrows(IllegalArgumentException.class,
        () -> MetricsSummary.of(ChannelAnalysis.defaults().metrics(channels), "area"));
    assertTrue(group.getMessage().contains("'area'"), group.getMessage());
  }
}
