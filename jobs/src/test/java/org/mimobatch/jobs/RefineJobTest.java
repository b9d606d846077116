package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.DatasetPaths;

/** Refinements through analyze and summarize, with their loss histories. */
class RefineJobTest extends SparkTestBase {
  @TempDir
  Path dir;

  private Settings settings(String out, String... more) {
    List<String> all = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=4", "channel.tx=4",
        "channel.slots=2", "channel.subcarriers=8", "analysis.chunk-size=5",
        "refine.methods=[gd-inverse, adam-match, newton-schulz, mixed-precision, covariance-ascent]",
        "refine.gd-inverse.lr=optimal", "refine.gd-inverse.max-iterations=20000", "refine.history-sample=3",
        "output.channels=true"));
    all.addAll(List.of(more));
    return Settings.load(null, all, dir.resolve(out).toString());
  }

  @Test
  void refinementsLandInMetricsSummaryAndHistories() {
    Settings s = settings("refined");
    RunJob.Result r = RunJob.run(spark, s);
    DatasetPaths paths = s.output().paths();
    assertEquals(16, r.analyze().rowsOut());

    Map<List<Integer>, Row> metrics = new HashMap<>();
    for (Row m : spark.read().parquet(paths.metrics()).collectAsList()) {
      metrics.put(List.of(m.getAs("link"), m.getAs("slot"), m.getAs("subcarrier")), m);
      if (!"ok".equals(m.getAs("status"))) {
        assertTrue(m.isNullAt(m.fieldIndex("refine_newton_schulz_status")), "no refinement without an analysis");
        continue;
      }
      assertEquals("converged", m.getAs("refine_newton_schulz_status"));
      assertTrue(m.<Integer>getAs("refine_newton_schulz_iterations") <= 40);
      assertTrue(m.<Boolean>getAs("refine_newton_schulz_converged"));
      assertEquals("converged", m.getAs("refine_mixed_precision_status"));
      double before = m.getAs("refine_mixed_precision_error_before");
      double after = m.getAs("refine_mixed_precision_error");
      assertTrue(after < 1e-12 && before > 100 * after, "mixed precision " + before + " → " + after);
      if ("converged".equals(m.getAs("refine_covariance_ascent_status"))) {
        assertTrue(Math.abs(m.<Double>getAs("refine_covariance_ascent_error")) <= 1e-6);
      }
      assertEquals(4, m.getList(m.fieldIndex("lowrank_error")).size());
    }

    // The histories of the three sampled matrices end where the metrics say each method ended.
    Dataset<Row> histories = spark.read().parquet(paths.histories());
    assertEquals(r.analyze().historyRows(), histories.count());
    Map<List<Object>, List<Row>> runs = new HashMap<>();
    for (Row h : histories.orderBy("link", "slot", "subcarrier", "method", "iteration").collectAsList()) {
      List<Object> key = List.of(h.getAs("link"), h.getAs("slot"), h.getAs("subcarrier"), h.getAs("method"));
      runs.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
    }
    assertEquals(3 * 5, runs.size(), "3 matrices × 5 methods");
    for (Map.Entry<List<Object>, List<Row>> run : runs.entrySet()) {
      List<Object> k = run.getKey();
      Row m = metrics.get(List.of((Integer) k.get(0), (Integer) k.get(1), (Integer) k.get(2)));
      String prefix = "refine_" + ((String) k.get(3)).replace('-', '_');
      List<Row> steps = run.getValue();
      for (int it = 0; it < steps.size(); it++) {
        assertEquals(it, steps.get(it).<Integer>getAs("iteration"));
      }
      assertEquals(m.<Integer>getAs(prefix + "_iterations") + 1, steps.size(), prefix);
      assertEquals(m.<Double>getAs(prefix + "_loss"), steps.get(steps.size() - 1).<Double>getAs("loss"), prefix);
    }

    Row summary = spark.read().parquet(paths.summary()).orderBy("snr_db").first();
    assertEquals(summary.<Long>getAs("matrices") - summary.<Long>getAs("failed"),
        summary.<Long>getAs("refine_newton_schulz_matrices"));
    assertEquals(1.0, summary.<Double>getAs("refine_newton_schulz_converged_fraction"));
    assertTrue(summary.<Number>getAs("refine_newton_schulz_iterations_p99").intValue() <= 40);
    assertTrue(summary.<Double>getAs("refine_mixed_precision_error_p50") < 1e-12);
    for (String m : new String[] {"gd_inverse", "adam_match", "newton_schulz", "mixed_precision", "covariance_ascent"}) {
      for (String suffix : new String[] {"_matrices", "_converged_fraction", "_iterations_p50", "_iterations_p99",
          "_error_p50"}) {
        assertTrue(Arrays.asList(summary.schema().fieldNames()).contains("refine_" + m + suffix), m + suffix);
      }
    }
  }

  @Test
  void theSampleAndItsHistoriesDoNotDependOnPartitioning() {
    Settings one = settings("one", "channel.partitions=1", "refine.methods=[newton-schulz]");
    Settings three = settings("three", "channel.partitions=3", "analysis.partitions=3",
        "refine.methods=[newton-schulz]");
    RunJob.run(spark, one);
    RunJob.run(spark, three);
    List<Row> a = spark.read().parquet(one.output().paths().histories())
        .orderBy("link", "slot", "subcarrier", "iteration").collectAsList();
    List<Row> b = spark.read().parquet(three.output().paths().histories())
        .orderBy("link", "slot", "subcarrier", "iteration").collectAsList();
    assertFalse(a.isEmpty());
    assertEquals(a, b);
    // The sample is pinned: the three smallest hashes of (analysis seed 1, matrix key) in this grid.
    Set<List<Integer>> sampled = new HashSet<>();
    for (Row h : a) {
      sampled.add(List.of(h.getAs("link"), h.getAs("slot"), h.getAs("subcarrier")));
    }
    assertEquals(Set.of(List.of(0, 1, 2), List.of(0, 0, 2), List.of(0, 0, 1)), sampled);

    // Without a sample, the histories of the earlier run are removed.
    AnalyzeJob.Result r = Jobs.analyze(spark, settings("one", "channel.partitions=1", "refine.history-sample=0",
        "refine.methods=[newton-schulz]"));
    assertEquals(-1, r.historyRows());
    assertFalse(new File(one.output().paths().histories()).exists());
  }
}
