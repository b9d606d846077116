package org.mimobatch.jobs.summary;

import org.mimobatch.jobs.Jobs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.config.Settings;

/**
 * The summary of many tasks and many groups with the driver allowed only a few megabytes of task
 * results: nothing per task or per group may travel to the driver.
 */
class SummaryAtScaleTest {
  /** Bytes a task may return to the driver: its status, metrics and write commit, never per-group state. */
  private static final long RESULT_BOUND = 64 << 10;
  private static SparkSession spark;
  private static final AtomicLong largestResult = new AtomicLong();
  private static final AtomicLong tasks = new AtomicLong();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("mimobatch-summary-scale")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        // The whole of the task results of one job; a summary gathered in accumulators, as an earlier
        // design did, returned some 350 kB per task here and failed.
        .config("spark.driver.maxResultSize", "2m")
        .config("spark.hadoop.fs.file.impl", org.mimobatch.jobs.io.NioLocalFileSystem.class.getName())
        .getOrCreate();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
          largestResult.accumulateAndGet(end.taskMetrics().resultSize(), Math::max);
          tasks.incrementAndGet();
        }
      }
    });
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Settings settings(String out, String... more) {
    List<String> all = new ArrayList<>(List.of("channel.model=rayleigh", "channel.rx=2", "channel.tx=2",
        "channel.links=1", "channel.slots=80", "channel.subcarriers=128", "channel.partitions=80",
        "output.report=false", "analysis.zf-vectors=0", "progress.interval-s=0"));
    all.addAll(List.of(more));
    return Settings.load(null, all, dir.resolve(out).toString());
  }

  @Test
  void aRunOf80TasksGroupedBySubcarrierReturnsNoGroupStateToTheDriver() {
    Settings s = settings("by-subcarrier", "summary.group-by=[subcarrier]");
    largestResult.set(0);
    tasks.set(0);
    RunJob.Result r = RunJob.run(spark, s);
    // Past 64 tasks the states of a group merge in two levels.
    assertTrue(tasks.get() >= 80, "at least 80 tasks ran: " + tasks.get());
    assertTrue(largestResult.get() < RESULT_BOUND, "largest task result " + largestResult.get() + " bytes");
    assertEquals(128 * 3, r.summarize().rows(), "one row per subcarrier and SNR");

    // Exact aggregates of the metrics, by Spark SQL over the written rows.
    spark.read().parquet(s.output().paths().metrics()).createOrReplaceTempView("m");
    Map<List<Object>, double[]> capacities = new HashMap<>();
    for (Row row : spark.sql("SELECT subcarrier, s.snr, collect_list(s.c) FROM m"
        + " LATERAL VIEW inline(arrays_zip(snr_db, capacity)) s AS snr, c WHERE status = 'ok'"
        + " GROUP BY subcarrier, s.snr").collectAsList()) {
      capacities.put(List.of(row.getInt(0), row.getDouble(1)),
          row.getList(2).stream().mapToDouble(v -> (Double) v).sorted().toArray());
    }
    List<Row> summary = spark.read().parquet(s.output().paths().summary()).collectAsList();
    assertEquals(128 * 3, summary.size());
    for (Row row : summary) {
      double[] c = capacities.get(List.of(row.<Integer>getAs("subcarrier"), row.<Double>getAs("snr_db")));
      assertEquals(80L, row.<Long>getAs("matrices"), "80 slots per subcarrier");
      assertEquals(Arrays.stream(c).average().orElseThrow(), row.<Double>getAs("capacity_mean"), 1e-12);
      // 80 values per group, fewer than the sketches' k: every quantile is exact.
      for (double q : new double[] {0.01, 0.1, 0.5}) {
        String column = q == 0.5 ? "capacity_p50" : q == 0.1 ? "capacity_p10" : "capacity_p01";
        assertEquals(c[(int) Math.ceil(q * c.length) - 1], row.<Double>getAs(column), 0, column);
      }
    }
  }

  @Test
  void whatATaskReturnsDoesNotGrowWithTheGroups() {
    Settings s = settings("groups", "channel.slots=16", "channel.partitions=16");
    RunJob.run(spark, s);
    long[] largest = new long[2];
    String[][] groupings = {{"summary.group-by=[]"}, {"summary.group-by=[slot, subcarrier]"}};
    for (int g = 0; g < 2; g++) {
      largestResult.set(0);
      var r = Jobs.summarize(spark, settings("groups", "channel.slots=16", "channel.partitions=16", groupings[g][0]));
      largest[g] = largestResult.get();
      assertEquals(g == 0 ? 3 : 16 * 128 * 3, r.rows());
    }
    assertTrue(largest[0] < RESULT_BOUND && largest[1] < RESULT_BOUND,
        "one group: " + largest[0] + " bytes; 2,048 groups: " + largest[1] + " bytes");
  }
}
