package org.mimobatch.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mimobatch.jobs.NpyFiles;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.summary.SummaryAggregation;

/**
 * The application jar on a real standalone cluster (a master and two one-core workers, separate
 * JVMs) through SparkSubmit: its outputs equal a local-mode run of the same scenario, it survives a
 * killed executor, a killed driver leaves no half-written dataset, and bad input or natives that
 * cannot load on the executors stop it with a message naming the path or the executor's error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  private static final Pattern ANALYZE_PROGRESS = Pattern.compile("^analyze: ([\\d,]+)/([\\d,]+) matrices");

  /**
   * 30,720 8×8 TDL matrices with a Newton–Schulz refinement: enough work that analyze runs for
   * several seconds on two one-core executors, so that faults land in the middle of it.
   */
  private static final List<String> SCENARIO = List.of("channel.slots=30", "channel.subcarriers=1024",
      "channel.partitions=8", "refine.methods=[newton-schulz]", "progress.interval-s=1", "output.channels=true");
  private static final long MATRICES = 30L * 1024;

  private Path dir;
  private LocalStandaloneCluster cluster;
  private SparkSession spark;
  private Settings local;
  private Path clusterOut;

  @BeforeAll
  void startClusterAndRunLocally() throws Exception {
    dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mimobatch-cluster-");
    cluster = LocalStandaloneCluster.start(dir.resolve("cluster"), 2);
    spark = SparkSession.builder().master("local[2]").appName("mimobatch-cluster-reference")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    local = Settings.load(null, SCENARIO, dir.resolve("local").toString(), "reference");
    RunJob.run(spark, local);
    clusterOut = dir.resolve("cluster-out");
  }

  @AfterAll
  void stopEverything() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (spark != null) {
      spark.stop();
    }
    if (dir != null) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void aClusterRunWritesWhatALocalRunWrites() throws Exception {
    LocalStandaloneCluster.Driver d = submit("run-equal", "run", "--run-id", "equal");
    assertEquals(0, d.await(JOB_TIMEOUT), d.stderr() + cluster.logs());
    assertTrue(d.stdout().contains("analyze: " + MATRICES + " rows in, " + MATRICES + " rows out"), d.stdout());

    assertSameRows(local.output().paths().channels(), runPath(DatasetPaths.CHANNELS, "equal"));
    assertSameRows(local.output().paths().metrics(), runPath(DatasetPaths.METRICS, "equal"));
    assertSummariesAgree(local.output().paths(), runPath(DatasetPaths.SUMMARY, "equal"));
  }

  @Test
  @Order(2)
  void aKilledDriverLeavesNoHalfWrittenMetricsAndTheNextRunCompletes() throws Exception {
    LocalStandaloneCluster.Driver d = analyzeEqualRun("analyze-crash", "crash", List.of());
    awaitAnalyzeUnderway(d);
    d.process.toHandle().destroyForcibly();
    d.process.onExit().get();
    // The killed driver's executors go too; give the workers a moment to notice.
    Thread.sleep(2000);

    Path metrics = Path.of(runPath(DatasetPaths.METRICS, "crash"));
    assertEquals(null, published("crash"), "a killed analyze published its metrics");
    assertTrue(hasEntries(metrics), "the killed analyze was writing under " + metrics);
    InputException none = assertThrows(InputException.class, () -> Runs.readRun(spark, metrics.toString(), null));
    assertTrue(none.getMessage().contains("run crash has published no metrics"), none.getMessage());

    LocalStandaloneCluster.Driver again = analyzeEqualRun("analyze-after-crash", "crash", List.of());
    assertEquals(0, again.await(JOB_TIMEOUT), again.stderr() + cluster.logs());
    // Read as a directory, not through the manifest: the killed attempt's files are gone.
    assertSameRows(local.output().paths().metrics(), metrics.toString());
    assertEquals(published("crash").files().stream().sorted().toList(), dataFiles(metrics), "only the published files");
  }

  @Test
  @Order(3)
  void aKilledExecutorDoesNotChangeTheOutputs() throws Exception {
    LocalStandaloneCluster.Driver d = analyzeEqualRun("analyze-executor-lost", "executor-lost", List.of());
    awaitAnalyzeUnderway(d);
    List<ProcessHandle> executors = cluster.executors();
    assertEquals(2, executors.size(), "one executor per worker");
    executors.get(0).destroyForcibly();

    assertEquals(0, d.await(JOB_TIMEOUT), d.stderr() + cluster.logs());
    assertTrue(d.stdout().contains("analyze: " + MATRICES + " rows in, " + MATRICES + " rows out"), d.stdout());
    assertSameRows(local.output().paths().metrics(), runPath(DatasetPaths.METRICS, "executor-lost"));
  }

  @Test
  @Order(4)
  void nativesThatCannotLoadOnTheExecutorsStopTheJobNamingTheExecutor() throws Exception {
    // The executors look for OpenBLAS natives of another platform, which the jar does not carry.
    LocalStandaloneCluster.Driver d = analyzeEqualRun("analyze-no-natives", "no-natives",
        List.of("--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.platform=linux-ppc64le"));
    assertEquals(2, d.await(JOB_TIMEOUT), d.stderr());
    String err = d.stderr();
    assertTrue(err.contains("mimobatch: ") && err.contains("executor") && err.contains("cannot run here"), err);
    assertEquals(null, published("no-natives"), "nothing published");
    assertEquals(List.of(), dataFiles(Path.of(runPath(DatasetPaths.METRICS, "no-natives"))),
        "the failed command removed its files");
  }

  @Test
  @Order(5)
  void aMissingInputRunAndAnUnwritableOutputAreNamed() throws Exception {
    // A file where the output directory should be: no user, root included, can create it.
    Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
    String out = blocker.resolve("out").toString();
    // Both stop before any task runs, so they can share the cluster.
    LocalStandaloneCluster.Driver missing = submit("analyze-missing", "analyze", "--run-id", "never-generated");
    LocalStandaloneCluster.Driver unwritable = cluster.submit("generate-unwritable", List.of(),
        List.of("generate", "--out", out, "--set", "channel.slots=1"));

    assertEquals(2, missing.await(JOB_TIMEOUT), missing.stderr());
    assertTrue(missing.stderr().contains(runPath(DatasetPaths.CHANNELS, "never-generated")), missing.stderr());
    assertEquals(2, unwritable.await(JOB_TIMEOUT), unwritable.stderr());
    assertTrue(unwritable.stderr().contains("cannot write under " + out), unwritable.stderr());
  }

  @Test
  @Order(6)
  void ingestedFilesSplitOverTasksAnalyseAsLocally() throws Exception {
    // 2,560 4x2 matrices in one .npy, cut into four pieces along its links, ingested and analysed
    // in one pass (no channels written).
    Path file = dir.resolve("campaign.npy");
    NpyFiles.write(file, new long[] {40, 4, 2, 64}, NpyFiles.gaussian(40L * 4 * 2 * 64, 7));
    List<String> input = List.of("input.path=\"" + file + "\"", "input.preset=deepmimo", "channel.partitions=4",
        "progress.interval-s=0", "output.channels=false");
    Settings reference = Settings.load(null, input, dir.resolve("local-ingest").toString(), "ingest");
    RunJob.run(spark, reference);

    List<String> app = new ArrayList<>(List.of("run", "--out", clusterOut.toString(), "--run-id", "ingest"));
    for (String s : input) {
      app.add("--set");
      app.add(s);
    }
    LocalStandaloneCluster.Driver d = cluster.submit("ingest-run", List.of(), app);
    assertEquals(0, d.await(JOB_TIMEOUT), d.stderr() + cluster.logs());
    assertTrue(d.stdout().contains("run: 2560 matrices, 0 failed; ingest and analyze"), d.stdout());
    assertSameRows(reference.output().paths().metrics(), runPath(DatasetPaths.METRICS, "ingest"));
    assertSummariesAgree(reference.output().paths(), runPath(DatasetPaths.SUMMARY, "ingest"));
  }

  /** Analyze of the channels the first test's cluster run wrote, as run {@code runId}. */
  private LocalStandaloneCluster.Driver analyzeEqualRun(String name, String runId, List<String> sparkArgs)
      throws IOException {
    return submit(name, sparkArgs, "analyze", "--run-id", runId,
        "--set", "analysis.input=\"" + runPath(DatasetPaths.CHANNELS, "equal") + "\"");
  }

  private LocalStandaloneCluster.Driver submit(String name, String command, String... args) throws IOException {
    return submit(name, List.of(), command, args);
  }

  private LocalStandaloneCluster.Driver submit(String name, List<String> sparkArgs, String command, String... args)
      throws IOException {
    List<String> app = new ArrayList<>(List.of(command, "--out", clusterOut.toString()));
    app.addAll(Arrays.asList(args));
    for (String s : SCENARIO) {
      app.add("--set");
      app.add(s);
    }
    return cluster.submit(name, sparkArgs, app);
  }

  /** The metrics run {@code runId} of the cluster's output has published, or null. */
  private RunManifest.Entry published(String runId) {
    return RunStore.published(spark, clusterOut.toString(), runId).entry(DatasetPaths.METRICS);
  }

  private String runPath(String dataset, String runId) {
    return new DatasetPaths(clusterOut.toString(), runId).of(dataset);
  }

  /** Waits for a progress line that shows analyze started but not finished. */
  private static void awaitAnalyzeUnderway(LocalStandaloneCluster.Driver d) throws Exception {
    String line = d.awaitLine(ANALYZE_PROGRESS, JOB_TIMEOUT);
    Matcher m = ANALYZE_PROGRESS.matcher(line);
    assertTrue(m.find());
    long done = Long.parseLong(m.group(1).replace(",", ""));
    long total = Long.parseLong(m.group(2).replace(",", ""));
    assertTrue(done < total, "analyze was already done when the fault was due: " + line);
  }

  /** Same rows, same values, bit for bit (every column but run_id). */
  private void assertSameRows(String expectedPath, String actualPath) {
    Dataset<Row> expected = spark.read().parquet(expectedPath);
    Dataset<Row> actual = spark.read().parquet(actualPath);
    assertEquals(Arrays.asList(expected.columns()), Arrays.asList(actual.columns()), actualPath);
    assertEquals(expected.count(), actual.count(), actualPath);
    assertEquals(0, expected.exceptAll(actual).count(), "rows of " + expectedPath + " missing from " + actualPath);
    assertEquals(0, actual.exceptAll(expected).count(), "rows of " + actualPath + " not in " + expectedPath);
  }

  /**
   * Same summary rows: counts equal, means to the last bits (partitions sum in another order), and
   * each quantile within the sketches' rank error of the exact one, since the cluster's sketches
   * merge other partitions than the local ones.
   */
  private void assertSummariesAgree(DatasetPaths reference, String actualPath) {
    List<Row> expected = spark.read().parquet(reference.summary()).orderBy("snr_db").collectAsList();
    List<Row> actual = spark.read().parquet(actualPath).orderBy("snr_db").collectAsList();
    assertEquals(expected.size(), actual.size());
    for (int r = 0; r < expected.size(); r++) {
      Row e = expected.get(r);
      Row a = actual.get(r);
      for (StructField f : e.schema().fields()) {
        int i = e.fieldIndex(f.name());
        int j = a.fieldIndex(f.name());
        Matcher quantile = QUANTILE.matcher(f.name());
        if (quantile.matches() && !e.isNullAt(i)) {
          double q = Double.parseDouble(quantile.group(2).replace('_', '.')) / 100;
          double[] sample = sampleOf(reference.metrics(), quantile.group(1), e.getAs("snr_db"));
          assertQuantile(sample, q, ((Number) e.get(i)).doubleValue(), f.name() + " (local) at row " + r);
          assertQuantile(sample, q, ((Number) a.get(j)).doubleValue(), f.name() + " (cluster) at row " + r);
        } else if (f.dataType() instanceof ArrayType) {
          List<Object> x = e.getList(i);
          List<Object> y = a.getList(j);
          assertEquals(x.size(), y.size(), f.name());
          for (int k = 0; k < x.size(); k++) {
            assertClose(x.get(k), y.get(k), f.name() + "[" + k + "] at row " + r);
          }
        } else {
          assertClose(e.get(i), a.get(j), f.name() + " at row " + r);
        }
      }
    }
  }

  /** A summary column that is a quantile: the quantity, then q in percent ('_' for '.'). */
  private static final Pattern QUANTILE = Pattern.compile("(capacity|cond_db|refine_\\w+_(?:iterations|error))_p(\\d+(?:_\\d+)?)");

  /** The values behind a quantile column of a summary of {@code metricsPath}, as the summary counts them. */
  private double[] sampleOf(String metricsPath, String quantity, double snr) {
    Dataset<Row> metrics = spark.read().parquet(metricsPath);
    String values;
    if (quantity.equals("capacity")) {
      values = "SELECT element_at(capacity, CAST(array_position(snr_db, CAST(" + snr + " AS DOUBLE)) AS INT)) AS v FROM m"
          + " WHERE status = 'ok'";
    } else if (quantity.equals("cond_db")) {
      values = "SELECT cond_db AS v FROM m WHERE status = 'ok'";
    } else {
      String method = quantity.substring(0, quantity.lastIndexOf('_'));
      values = "SELECT CAST(" + quantity + " AS DOUBLE) AS v FROM m WHERE " + method
          + "_status IN ('converged', 'not-converged')";
    }
    metrics.createOrReplaceTempView("m");
    return spark.sql("SELECT v FROM (" + values + ") WHERE v IS NOT NULL").collectAsList().stream()
        .mapToDouble(row -> row.getDouble(0)).toArray();
  }

  /** {@code value} is one of the sample's values whose rank lies within the sketches' error of q·n. */
  private static void assertQuantile(double[] sample, double q, double value, String what) {
    long below = Arrays.stream(sample).filter(v -> v < value).count();
    long atOrBelow = Arrays.stream(sample).filter(v -> v <= value).count();
    double slack = sample.length * SummaryAggregation.rankError(Settings.defaults().summary().sketchK()) + 1;
    assertTrue(atOrBelow > below, what + ": " + value + " is not a value of the metrics");
    assertTrue(below <= q * sample.length + slack && atOrBelow >= q * sample.length - slack,
        what + ": " + value + " holds ranks " + (below + 1) + " to " + atOrBelow + " of " + sample.length
            + ", not within " + slack + " of " + q * sample.length);
  }

  private static void assertClose(Object x, Object y, String what) {
    if (x instanceof Double dx && y instanceof Double dy) {
      assertEquals(dx, dy, 1e-12 * Math.max(1, Math.abs(dx)), what);
    } else {
      assertEquals(x, y, what);
    }
  }

  /** The names of the data files in {@code dir} (none where it is missing), sorted. */
  private static List<String> dataFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> !f.startsWith(".") && !f.startsWith("_"))
          .sorted().toList();
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> all = Files.list(dir)) {
      return all.findAny().isPresent();
    }
  }
}
