package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.summary.SummaryAggregation;
import org.mimobatch.pipeline.analysis.Metric;

/** The three jobs end to end in local[2] on a small scenario, read back and checked. */
class PipelineTest extends SparkTestBase {
  @TempDir
  Path dir;

  private Settings settings(String out, String... overrides) {
    List<String> all = new ArrayList<>(List.of("channel.rx=4", "channel.tx=4", "channel.links=2", "channel.slots=3",
        "channel.subcarriers=16", "analysis.chunk-size=20", "output.channels=true"));
    all.addAll(List.of(overrides));
    return Settings.load(null, all, dir.resolve(out).toString());
  }

  @Test
  void runWritesConsistentChannelsMetricsAndSummary() {
    Settings s = settings("run");
    RunJob.Result r = RunJob.run(spark, s);
    DatasetPaths paths = s.output().paths();
    assertEquals(96, r.generate().matrices());
    assertEquals(96, r.analyze().rowsIn());
    assertEquals(96, r.analyze().rowsOut());
    assertEquals(Map.of("ok", 96L), r.analyze().statusCounts());

    Dataset<Row> channels = spark.read().parquet(paths.channels());
    Set<List<Integer>> keys = new HashSet<>();
    for (Row c : channels.collectAsList()) {
      keys.add(List.of(c.getInt(0), c.getInt(1), c.getInt(2)));
      assertEquals(16, c.getList(5).size(), "4x4 entries, row-major");
    }
    assertEquals(96, keys.size(), "every (link, slot, subcarrier) exactly once");

    Dataset<Row> metrics = spark.read().parquet(paths.metrics());
    List<String> columns = new ArrayList<>(List.of("link", "slot", "subcarrier", "rows", "cols", "status", "snr_db"));
    for (Metric metric : Metric.values()) {
      columns.add(metric.column());
    }
    assertEquals(columns, Arrays.asList(metrics.columns()), "keys, status, snr_db, then the metrics as declared");
    Set<List<Integer>> metricKeys = new HashSet<>();
    double[] capacitySum = new double[3];
    for (Row m : metrics.collectAsList()) {
      metricKeys.add(List.of(m.getInt(0), m.getInt(1), m.getInt(2)));
      assertEquals("ok", m.getAs("status"));
      assertEquals(4, m.<Integer>getAs("rank"));
      List<Double> sv = m.getList(m.fieldIndex("singular_values"));
      assertEquals(4, sv.size());
      for (int j = 1; j < 4; j++) {
        assertTrue(sv.get(j - 1) >= sv.get(j));
      }
      assertTrue(m.<Double>getAs("recon_error") < 1e-13, "reconstruction error");
      assertTrue(m.<Double>getAs("orth_error") < 1e-13, "orthogonality error");
      List<Double> cap = m.getList(m.fieldIndex("capacity"));
      List<Double> wf = m.getList(m.fieldIndex("capacity_wf"));
      List<Double> zf = m.getList(m.fieldIndex("zf_mse"));
      assertEquals(3, cap.size());
      double[] gains = sv.stream().mapToDouble(x -> x * x).toArray();
      for (int k = 0; k < 3; k++) {
        double rho = Math.pow(10, k);
        double fromSpectrum = 0;
        for (double g : gains) {
          fromSpectrum += Math.log1p(rho / 4 * g) / Math.log(2);
        }
        assertEquals(fromSpectrum, cap.get(k), 1e-9, "Σ log2(1 + ρσ²/tx) over the stored spectrum");
        assertTrue(wf.get(k) >= cap.get(k) - 1e-12);
        assertTrue(zf.get(k) > 0);
        capacitySum[k] += cap.get(k);
      }
    }
    assertEquals(keys, metricKeys, "the metrics keep every channel's keys");

    List<Row> summary = spark.read().parquet(paths.summary()).orderBy("snr_db").collectAsList();
    assertEquals(3, summary.size(), "one row per SNR");
    for (int k = 0; k < 3; k++) {
      Row row = summary.get(k);
      assertEquals(10.0 * k, row.<Double>getAs("snr_db"));
      assertEquals(96L, row.<Long>getAs("matrices"));
      assertEquals(0L, row.<Long>getAs("failed"));
      assertEquals(capacitySum[k] / 96, row.<Double>getAs("capacity_mean"), 1e-9);
      double p01 = row.getAs("capacity_p01");
      double p10 = row.getAs("capacity_p10");
      double p50 = row.getAs("capacity_p50");
      assertTrue(p01 <= p10 && p10 <= p50, "quantiles ascend");
      assertTrue(row.<Double>getAs("capacity_wf_mean") >= row.<Double>getAs("capacity_mean"));
      assertEquals(4, row.getList(row.fieldIndex("singular_values_mean")).size());
    }
  }

  @Test
  void rerunsAndRepartitionedRunsWriteIdenticalChannels() {
    Settings first = settings("a", "channel.partitions=1");
    Settings again = settings("b", "channel.partitions=1");
    Settings split = settings("c", "channel.partitions=5");
    Jobs.generate(spark, first);
    Jobs.generate(spark, again);
    GenerateJob.Result r = Jobs.generate(spark, split);
    assertEquals(5, r.partitions());
    List<Row> a = sortedChannels(first);
    assertEquals(a, sortedChannels(again), "a rerun with the same seed");
    assertEquals(a, sortedChannels(split), "another partitioning");
    Settings otherSeed = settings("d", "channel.seed=2");
    Jobs.generate(spark, otherSeed);
    assertFalse(a.equals(sortedChannels(otherSeed)), "another seed draws other channels");
  }

  @Test
  void aRerunReplacesItsOutputsAndLeavesOnlyThem() {
    Settings s = settings("replace", "channel.slots=1");
    Jobs.generate(spark, s);
    Settings bigger = settings("replace", "channel.slots=2");
    Jobs.generate(spark, bigger);
    assertEquals(64, spark.read().parquet(s.output().paths().channels()).count(), "a reader of the directory finds the rerun");
    String[] entries = new File(s.output().dir()).list();
    Arrays.sort(entries);
    assertArrayEquals(new String[] {"_mimobatch_runs", "channels"}, entries, Arrays.toString(entries));
    List<String> published = RunStore.published(spark, s.output().dir(), s.output().runId()).entry(DatasetPaths.CHANNELS).files();
    String[] files = new File(s.output().paths().channels()).list((d, n) -> !n.startsWith(".") && !n.startsWith("_"));
    Arrays.sort(files);
    assertEquals(published, List.of(files), "only the published files remain");
  }

  @Test
  void singlePrecisionChannelsAreStoredAsFloatsAndAnalysed() {
    Settings s = settings("single", "channel.precision=single", "channel.model=rayleigh");
    RunJob.Result r = RunJob.run(spark, s);
    Dataset<Row> channels = spark.read().parquet(s.output().paths().channels());
    assertEquals(DataTypes.FloatType, ((ArrayType) channels.schema().apply("re").dataType()).elementType());
    assertEquals(Map.of("ok", 96L), r.analyze().statusCounts());
    Row first = spark.read().parquet(s.output().paths().summary()).orderBy("snr_db").first();
    assertTrue(first.<Double>getAs("recon_error_max") < 1e-5 && first.<Double>getAs("recon_error_max") > 1e-9,
        "single-precision accuracy");
  }

  @Test
  void summaryGroupsByConfiguredKeys() {
    Settings s = settings("grouped", "summary.group-by=[subcarrier]", "analysis.snr-db=[5]",
        "analysis.outage=[0.05, 0.001]");
    RunJob.Result r = RunJob.run(spark, s);
    assertEquals(16, r.summarize().rows(), "one row per subcarrier at one SNR");
    Dataset<Row> summary = spark.read().parquet(s.output().paths().summary());
    assertTrue(Arrays.asList(summary.columns()).containsAll(
        List.of("subcarrier", "capacity_p0_1", "capacity_p01", "capacity_p05", "capacity_p10", "capacity_p50")));
    Map<Integer, Long> perSubcarrier = new HashMap<>();
    for (Row row : summary.collectAsList()) {
      perSubcarrier.put(row.getAs("subcarrier"), row.getAs("matrices"));
    }
    assertEquals(16, perSubcarrier.size());
    assertTrue(perSubcarrier.values().stream().allMatch(n -> n == 6), "2 links × 3 slots per subcarrier");
  }

  @Test
  void aRunWithoutChannelsWritesTheMetricsAndSummaryOfOneWithThem() {
    // Drawn and analysed in one pass (the default) against generate, then analyze (output.channels).
    Settings fused = settings("fused", "output.channels=false", "refine.methods=[newton-schulz]",
        "refine.history-sample=4", "analysis.zf-vectors=8");
    Settings steps = settings("steps", "refine.methods=[newton-schulz]", "refine.history-sample=4",
        "analysis.zf-vectors=8");
    RunJob.Result f = RunJob.run(spark, fused);
    RunJob.Result s = RunJob.run(spark, steps);
    assertTrue(f.fused() && !s.fused());
    assertFalse(new File(fused.output().paths().channels()).exists(), "no channels written without output.channels");
    assertEquals(96, f.analyze().rowsOut());
    assertEquals(f.analyze().statusCounts(), s.analyze().statusCounts());
    Dataset<Row> a = spark.read().parquet(fused.output().paths().metrics());
    Dataset<Row> b = spark.read().parquet(steps.output().paths().metrics());
    assertEquals(Arrays.asList(b.columns()), Arrays.asList(a.columns()));
    assertEquals(0, a.exceptAll(b).count(), "the same metrics, bit for bit");
    assertEquals(0, b.exceptAll(a).count());
    Dataset<Row> ha = spark.read().parquet(fused.output().paths().histories());
    assertEquals(4, ha.select("link", "slot", "subcarrier").distinct().count(), "four sampled matrices");
    assertEquals(0, ha.exceptAll(spark.read().parquet(steps.output().paths().histories())).count(), "the same histories");
    List<Row> sa = spark.read().parquet(fused.output().paths().summary()).orderBy("snr_db").collectAsList();
    List<Row> sb = spark.read().parquet(steps.output().paths().summary()).orderBy("snr_db").collectAsList();
    assertEquals(sb.size(), sa.size());
    for (int r = 0; r < sa.size(); r++) {
      for (String c : List.of("matrices", "failed", "rank_deficient")) {
        assertEquals(sb.get(r).<Long>getAs(c), sa.get(r).<Long>getAs(c), c);
      }
      for (String c : List.of("capacity_mean", "capacity_p50", "rate_mmse_mean", "recon_error_max")) {
        assertEquals(sb.get(r).<Double>getAs(c), sa.get(r).<Double>getAs(c),
            1e-12 * Math.abs(sb.get(r).<Double>getAs(c)), c);
      }
    }
  }

  @Test
  void theSummaryGatheredByTheAnalysisTasksIsTheSummaryOfTheWrittenMetrics() throws IOException {
    Settings s = settings("tapped", "output.channels=false", "summary.group-by=[subcarrier]",
        "refine.methods=[newton-schulz]", "channel.partitions=3");
    RunStore store = RunJob.store(spark, s.output());
    AnalyzeJob.Result a = AnalyzeJob.drawAndAnalyze(spark, s.output(), s.channels(), s.analysis(), s.summary(), store, null);
    assertEquals(3, a.partitions());
    SummaryAggregation.Result fromTap = SummarizeJob.fromTap(spark, s.output(), s.summary(), store, a.summary(), a.partitions());
    store.commit();
    List<Row> tapped = spark.read().parquet(s.output().paths().summary()).orderBy("subcarrier", "snr_db").collectAsList();
    assertEquals(16 * 3, fromTap.rows());
    SummaryAggregation.Result fromMetrics = Jobs.summarize(spark, s);
    List<Row> read = spark.read().parquet(s.output().paths().summary()).orderBy("subcarrier", "snr_db").collectAsList();
    assertEquals(fromMetrics.rows(), fromTap.rows());
    assertEquals(read.size(), tapped.size());
    for (int i = 0; i < read.size(); i++) {
      for (String c : List.of("matrices", "capacity_mean", "capacity_p50", "cond_db_p50", "singular_values_mean",
          "refine_newton_schulz_matrices", "refine_newton_schulz_iterations_p99")) {
        Object x = read.get(i).getAs(c);
        Object y = tapped.get(i).getAs(c);
        if (x instanceof Double d) {
          assertEquals(d, (Double) y, 1e-12 * Math.abs(d), c);
        } else {
          assertEquals(x.toString(), y.toString(), c);
        }
      }
    }
    Path working = Path.of(s.output().dir(), RunManifest.DIRECTORY, s.output().runId());
    try (var files = Files.list(working)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("attempt-")), "the tasks' files are removed");
    }

    // A partition whose file is lost: the summary is read from the metrics instead.
    RunStore second = RunJob.store(spark, s.output());
    AnalyzeJob.Result again = AnalyzeJob.drawAndAnalyze(spark, s.output(), s.channels(), s.analysis(), s.summary(), second, null);
    try (var files = Files.walk(working)) {
      Path one = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
      Files.delete(one);
    }
    assertEquals(16 * 3, SummarizeJob.fromTap(spark, s.output(), s.summary(), second, again.summary(), again.partitions()).rows());
    second.commit();
    assertEquals(read.get(5).<Double>getAs("capacity_mean"),
        spark.read().parquet(s.output().paths().summary()).orderBy("subcarrier", "snr_db").collectAsList().get(5)
            .<Double>getAs("capacity_mean"), 1e-12);
  }

  @Test
  void jobsLeaveTheSessionsSettingsAsTheyWere() {
    Map<String, String> before = scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll());
    RunJob.run(spark, settings("settings", "output.compression=zstd", "summary.group-by=[subcarrier]"));
    Jobs.summarize(spark, settings("settings", "output.compression=uncompressed"));
    assertEquals(before, scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll()));
  }

  private List<Row> sortedChannels(Settings s) {
    return spark.read().parquet(s.output().paths().channels())
        .orderBy("link", "slot", "subcarrier").collectAsList();
  }
}
