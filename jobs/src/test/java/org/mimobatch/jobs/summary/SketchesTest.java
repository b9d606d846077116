package org.mimobatch.jobs.summary;

import org.mimobatch.jobs.Jobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.Runs;

/**
 * The summary's quantiles against exact ones, and the sketches beside it: merged across runs
 * without their metrics, and read by Spark's own KLL functions.
 */
class SketchesTest extends SparkTestBase {
  @TempDir
  Path dir;

  private Settings settings(String runId, String... more) {
    List<String> all = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=2", "channel.tx=2",
        "channel.slots=6", "channel.subcarriers=16", "output.report=false", "progress.interval-s=0"));
    all.addAll(List.of(more));
    return Settings.load(null, all, dir.resolve("out").toString(), runId);
  }

  /** Every run's ok capacities at SNR 10 dB, sorted: the exact values the quantiles stand for. */
  private double[] capacities(String metrics) {
    return spark.read().parquet(metrics).filter("status = 'ok'").selectExpr("capacity[1]").collectAsList().stream()
        .mapToDouble(r -> r.getDouble(0)).sorted().toArray();
  }

  private static double exact(double[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  @Test
  void storedSketchesMergeAcrossRunsWithoutTheirMetrics() {
    Settings a = settings("day-1");
    Settings b = settings("day-2", "channel.seed=7");
    RunJob.run(spark, a);
    RunJob.run(spark, b);
    double[] both = capacities(a.output().paths().base(DatasetPaths.METRICS));
    assertEquals(2 * 96, both.length);

    Settings week = settings("week", "summary.runs=[day-1, day-2]");
    Jobs.summarize(spark, week);
    Row pooled = spark.read().parquet(week.output().paths().summary()).filter("snr_db = 10").first();
    assertEquals(192L, pooled.<Long>getAs("matrices"));
    assertEquals(Arrays.stream(both).average().orElseThrow(), pooled.<Double>getAs("capacity_mean"), 1e-12);
    // 192 values, fewer than k: exact.
    assertEquals(exact(both, 0.5), pooled.<Double>getAs("capacity_p50"), 0);
    assertEquals(exact(both, 0.01), pooled.<Double>getAs("capacity_p01"), 0);
    Row distribution = spark.read().parquet(week.output().paths().distributions())
        .filter("metric = 'capacity' AND snr_db = 10").first();
    List<Double> p = distribution.getList(distribution.fieldIndex("p"));
    List<Double> value = distribution.getList(distribution.fieldIndex("value"));
    for (int i = 0; i < p.size(); i++) {
      assertEquals(exact(both, p.get(i)), value.get(i), 0, "the quantile at p = " + p.get(i));
    }

    // Without the runs' metrics, the same summary from their sketches alone.
    for (Settings s : List.of(a, b)) {
      FileUtils.deleteQuietly(new File(s.output().paths().metrics()));
    }
    Settings again = settings("week-again", "summary.runs=[day-1, day-2]");
    Jobs.summarize(spark, again);
    Row fromSketches = spark.read().parquet(again.output().paths().summary()).filter("snr_db = 10").first();
    for (String c : List.of("matrices", "capacity_mean", "capacity_stderr", "capacity_p50", "rate_zf_mean",
        "recon_error_max")) {
      assertEquals((Object) pooled.getAs(c), fromSketches.getAs(c), c);
    }
    assertEquals(pooled.<Double>getAs("capacity_mean"), fromSketches.<Double>getAs("capacity_mean"), 1e-12);

    Settings perRun = settings("by-run", "summary.runs=[day-1, day-2]", "summary.group-by=[run_id]");
    Jobs.summarize(spark, perRun);
    List<Row> runs = spark.read().parquet(perRun.output().paths().summary()).filter("snr_db = 10").orderBy("run_id")
        .collectAsList();
    assertEquals(List.of("day-1", "day-2"), runs.stream().map(r -> r.<String>getAs("run_id")).toList());
    assertEquals(96L, runs.get(1).<Long>getAs("matrices"));
  }

  @Test
  void quantilesBeyondKStayWithinTheStatedRankError() {
    int k = 64;
    Settings s = settings("estimated", "channel.slots=40", "channel.subcarriers=64", "summary.sketch-k=" + k);
    RunJob.run(spark, s);
    double[] values = capacities(s.output().paths().metrics());
    int n = values.length;
    assertEquals(2560, n);
    // KLL's error holds with 99 % confidence per quantile; twice it leaves no room for chance.
    double slack = 2 * SummaryAggregation.rankError(k) * n + 1;
    Row distribution = spark.read().parquet(s.output().paths().distributions())
        .filter("metric = 'capacity' AND snr_db = 10").first();
    List<Double> p = distribution.getList(distribution.fieldIndex("p"));
    List<Double> value = distribution.getList(distribution.fieldIndex("value"));
    boolean approximate = false;
    for (int i = 0; i < p.size(); i++) {
      double v = value.get(i);
      long below = Arrays.stream(values).filter(x -> x < v).count();
      long atOrBelow = Arrays.stream(values).filter(x -> x <= v).count();
      assertTrue(atOrBelow > below, v + " is one of the values");
      assertTrue(below <= p.get(i) * n + slack && atOrBelow >= p.get(i) * n - slack,
          "p = " + p.get(i) + ": ranks " + (below + 1) + " to " + atOrBelow + " of " + n);
      approximate |= v != exact(values, p.get(i));
    }
    assertTrue(approximate, "beyond k values the sketch summarises rather than keeps them");

    // The stored sketch is Spark's KLL format: Spark's own functions read it and agree.
    Dataset<Row> sketches = Runs.readRun(spark, s.output().paths().sketches(), null)
        .filter("metric = 'capacity' AND snr_db = 10");
    Row viaSpark = sketches.selectExpr("count", "kll_sketch_get_n_double(sketch)",
        "kll_sketch_get_quantile_double(sketch, 0.5)").first();
    assertEquals(2560L, viaSpark.getLong(0));
    assertEquals(2560L, viaSpark.getLong(1));
    Row summary = spark.read().parquet(s.output().paths().summary()).filter("snr_db = 10").first();
    assertEquals(summary.<Double>getAs("capacity_p50"), viaSpark.getDouble(2), 0);
  }

  @Test
  void anOutputRootIsReadWithEveryColumnOfEveryRun() {
    RunJob.run(spark, settings("2026-11-23", "refine.methods=[newton-schulz]"));
    RunJob.run(spark, settings("2026-11-24"));
    String metrics = settings("x").output().paths().base(DatasetPaths.METRICS);
    Dataset<Row> all = Runs.readAny(spark, metrics);
    assertTrue(Arrays.asList(all.columns()).contains("refine_newton_schulz_status"), "a column one run has");
    assertEquals("string", all.schema().apply("run_id").dataType().simpleString(), "ids stay strings");
    assertEquals(96, all.filter("run_id = '2026-11-23' AND refine_newton_schulz_status IS NOT NULL").count());
    assertEquals(96, all.filter("run_id = '2026-11-24' AND refine_newton_schulz_status IS NULL").count());
    String plan = all.filter("run_id = '2026-11-24'").queryExecution().executedPlan().toString();
    assertTrue(plan.contains("PartitionFilters: [isnotnull(run_id") && plan.contains("(run_id#"),
        "a filter on run_id prunes whole runs: " + plan);
    assertNull(all.filter("run_id = '2026-11-24'").select("refine_newton_schulz_iterations").first().get(0));
  }
}
