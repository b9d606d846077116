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
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;

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
    return spark.read().parquet(s.paths().channels()).orderBy("link", "slot", "subcarrier").collectAsList();
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
    for (Row r : spark.read().parquet(monday.paths().base(DatasetPaths.METRICS)).select("run_id").distinct()
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
    org.mimobatch.jobs.summary.SummaryAggregation.Result r = SummarizeJob.run(spark, rollup);
    assertEquals(2 * 3, r.rows(), "one row per run and SNR");
    List<Row> rows = spark.read().parquet(rollup.paths().summary()).filter("snr_db = 10").orderBy("run_id")
        .collectAsList();
    assertEquals("day-1", rows.get(0).getAs("run_id"));
    assertEquals(16L, rows.get(0).<Long>getAs("matrices"));
    assertEquals("day-2", rows.get(1).getAs("run_id"));

    Settings both = settings("week-47b", "summary.runs=[day-1, day-2]");
    SummarizeJob.run(spark, both);
    Row pooled = spark.read().parquet(both.paths().summary()).filter("snr_db = 10").first();
    assertEquals(32L, pooled.<Long>getAs("matrices"), "both runs pooled");
  }

  @Test
  void aMissingRunIsNamedWithTheRunsThatExist() {
    RunJob.run(spark, settings("2026-11-23"));
    InputException e = assertThrows(InputException.class, () -> AnalyzeJob.run(spark, settings("2026-11-30")));
    assertTrue(e.getMessage().contains("run_id=2026-11-30") && e.getMessage().contains("runs present: 2026-11-23"),
        e.getMessage());
    e = assertThrows(InputException.class, () -> SummarizeJob.run(spark, settings("x", "summary.runs=[nope]")));
    assertTrue(e.getMessage().contains("run_id=nope"), e.getMessage());
    SettingsException bad = assertThrows(SettingsException.class, () -> settings("../escape"));
    assertTrue(bad.getMessage().startsWith("run.id:"), bad.getMessage());
  }

  @Test
  void analysisCanReadChannelsFromAnywhere() {
    Settings elsewhere = Settings.load(null, List.of("channel.rx=2", "channel.tx=2", "channel.slots=1",
        "channel.subcarriers=4"), dir.resolve("lab").toString(), "measured");
    GenerateJob.run(spark, elsewhere);
    Settings s = settings("from-lab", "analysis.input=\"" + elsewhere.paths().channels() + "\"");
    AnalyzeJob.Result r = AnalyzeJob.run(spark, s);
    assertEquals(4, r.rowsOut());
    assertTrue(new File(s.paths().metrics()).isDirectory());
  }

  @Test
  void anUnwritableOutputIsNamedBeforeAnyWork() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Settings s = Settings.load(null, List.of(), file.resolve("out").toString(), "r");
    InputException e = assertThrows(InputException.class, () -> GenerateJob.run(spark, s));
    assertTrue(e.getMessage().startsWith("cannot write under " + file.resolve("out")), e.getMessage());
  }

  @Test
  void leftoversOfAKilledWriterAreInvisibleAndRemovedByTheNextWrite() throws IOException {
    Settings s = settings("r1");
    GenerateJob.run(spark, s);
    Path base = Path.of(s.paths().base(DatasetPaths.CHANNELS));
    Path leftover = Files.createDirectories(base.resolve("_mimobatch_staging/run_id=r1-dead"));
    Files.writeString(leftover.resolve("part-0.parquet"), "half a file");
    assertEquals(16, spark.read().parquet(base.toString()).count(), "readers skip hidden staging directories");
    GenerateJob.run(spark, s);
    assertFalse(Files.exists(leftover), "the next write of the same dataset cleans up");
  }
}
