package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.Runs;

/** Scheduled runs: outputs named by run id, replaced per run, summarised across runs. */
class RunsTest extends SparkTestBase {
  @TempDir
  Path dir;

  private Settings settings(String runId, String... more) {
    List<String> all = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=2", "channel.tx=2",
        "channel.slots=2", "channel.subcarriers=8", "output.channels=true"));
    all.addAll(List.of(more));
    return Settings.load(null, all, dir.resolve("out").toString(), runId);
  }

  private List<Row> channels(Settings s) {
    return spark.read().parquet(s.output().paths().channels()).orderBy("link", "slot", "subcarrier").collectAsList();
  }

  @Test
  void runsLiveSideBySideAndARerunReplacesOnlyItsOwn() {
    Settings monday = settings("2026-11-23");
    Settings tuesday = settings("2026-11-24", "channel.seed=2");
    RunJob.run(spark, monday);
    RunJob.run(spark, tuesday);
    List<Row> tuesdayBefore = channels(tuesday);

    Settings mondayAgain = settings("2026-11-23", "channel.seed=3", "channel.slots=3");
    List<Row> mondayBefore = channels(monday);
    RunJob.run(spark, mondayAgain);
    assertEquals(24, channels(mondayAgain).size(), "the rerun replaced Monday");
    assertNotEquals(mondayBefore, channels(mondayAgain));
    assertEquals(tuesdayBefore, channels(tuesday), "Tuesday is untouched");

    // Read as a whole, every dataset carries the runs as a run_id column.
    Set<String> ids = new HashSet<>();
    for (Row r : spark.read().parquet(monday.output().paths().base(DatasetPaths.METRICS)).select("run_id").distinct()
        .collectAsList()) {
      ids.add(r.get(0).toString());
    }
    assertEquals(Set.of("2026-11-23", "2026-11-24"), ids);
  }

  @Test
  void aSummaryCanSpanRuns() {
    Settings a = settings("day-1");
    Settings b = settings("day-2", "channel.seed=7");
    RunJob.run(spark, a);
    RunJob.run(spark, b);
    Settings rollup = settings("week-47", "summary.runs=[\"*\"]", "summary.group-by=[run_id]");
    org.mimobatch.jobs.summary.SummaryAggregation.Result r = Jobs.summarize(spark, rollup);
    assertEquals(2 * 3, r.rows(), "one row per run and SNR");
    List<Row> rows = spark.read().parquet(rollup.output().paths().summary()).filter("snr_db = 10").orderBy("run_id")
        .collectAsList();
    assertEquals("day-1", rows.get(0).getAs("run_id"));
    assertEquals(16L, rows.get(0).<Long>getAs("matrices"));
    assertEquals("day-2", rows.get(1).getAs("run_id"));

    Settings both = settings("week-47b", "summary.runs=[day-1, day-2]");
    Jobs.summarize(spark, both);
    Row pooled = spark.read().parquet(both.output().paths().summary()).filter("snr_db = 10").first();
    assertEquals(32L, pooled.<Long>getAs("matrices"), "both runs pooled");
  }

  @Test
  void aMissingRunIsNamedWithTheRunsThatExist() {
    RunJob.run(spark, settings("2026-11-23"));
    InputException e = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings("2026-11-30")));
    assertTrue(e.getMessage().contains("run_id=2026-11-30") && e.getMessage().contains("runs present: 2026-11-23"),
        e.getMessage());
    e = assertThrows(InputException.class, () -> Jobs.summarize(spark, settings("x", "summary.runs=[nope]")));
    assertTrue(e.getMessage().contains("run_id=nope"), e.getMessage());
    SettingsException bad = assertThrows(SettingsException.class, () -> settings("../escape"));
    assertTrue(bad.getMessage().startsWith("run.id:"), bad.getMessage());
  }

  @Test
  void analysisCanReadChannelsFromAnywhere() {
    Settings elsewhere = Settings.load(null, List.of("channel.rx=2", "channel.tx=2", "channel.slots=1",
        "channel.subcarriers=4"), dir.resolve("lab").toString(), "measured");
    Jobs.generate(spark, elsewhere);
    Settings s = settings("from-lab", "analysis.input=\"" + elsewhere.output().paths().channels() + "\"");
    AnalyzeJob.Result r = Jobs.analyze(spark, s);
    assertEquals(4, r.rowsOut());
    assertTrue(new File(s.output().paths().metrics()).isDirectory());
  }

  @Test
  void anUnwritableOutputIsNamedBeforeAnyWork() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Settings s = Settings.load(null, List.of(), file.resolve("out").toString(), "r");
    InputException e = assertThrows(InputException.class, () -> Jobs.generate(spark, s));
    assertTrue(e.getMessage().startsWith("cannot write under " + file.resolve("out")), e.getMessage());
  }

  @Test
  void runsWhoseIdsBeginAlikeRunAtTheSameTime() throws Exception {
    Settings a = settings("a");
    Settings ab = settings("a-b", "channel.seed=5", "channel.slots=3");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RunJob.Result> first = pool.submit(() -> RunJob.run(spark, a));
      Future<RunJob.Result> second = pool.submit(() -> RunJob.run(spark, ab));
      assertEquals(16, first.get().analyze().rowsOut());
      assertEquals(24, second.get().analyze().rowsOut());
    } finally {
      pool.shutdown();
    }
    for (Settings s : List.of(a, ab)) {
      long matrices = Runs.readAny(spark, s.output().paths().summary()).first().<Long>getAs("matrices");
      assertEquals(s == a ? 16 : 24, matrices, s.output().runId());
      for (String dataset : List.of(DatasetPaths.CHANNELS, DatasetPaths.METRICS)) {
        assertEquals(matrices, Runs.readAny(spark, s.output().paths().of(dataset)).count(), s.output().runId() + " " + dataset);
        assertEquals(matrices, spark.read().parquet(s.output().paths().of(dataset)).count(), "read as a directory too");
      }
    }
  }

  @Test
  void filesOfADeadCommandAreInvisibleAndRemovedByTheNextWrite() throws IOException {
    Settings s = settings("r1");
    Jobs.generate(spark, s);
    Path dir = Path.of(s.output().paths().channels());
    Path published;
    try (var files = Files.list(dir)) {
      published = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    // As a command that died after its job committed, before its manifest: files no manifest names.
    Path dead = dir.resolve("part-99999-dead-c000.snappy.parquet");
    Files.copy(published, dead);
    assertEquals(16, RunJob.store(spark, s.output()).read(DatasetPaths.CHANNELS).count(), "readers through the manifest skip them");
    assertEquals(16, Runs.readAny(spark, s.output().paths().channels()).count());
    Jobs.generate(spark, s);
    assertFalse(Files.exists(dead), "the next write of the same dataset of the same run removes them");

    // Not those of a run whose id begins alike.
    Settings other = settings("r1-b");
    Jobs.generate(spark, other);
    Path otherDir = Path.of(other.output().paths().channels());
    Path kept = otherDir.resolve("part-99999-dead-c000.snappy.parquet");
    try (var files = Files.list(otherDir)) {
      Files.copy(files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow(), kept);
    }
    Jobs.generate(spark, s);
    assertTrue(Files.exists(kept), "run r1 never touches run r1-b");
  }
}
