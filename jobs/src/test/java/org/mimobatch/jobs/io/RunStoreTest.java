package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

/** Publication: a run's datasets switch together, and a crash at any instant loses nothing. */
class RunStoreTest extends SparkTestBase {
  private static final List<String> DATASETS = List.of(DatasetPaths.SUMMARY, DatasetPaths.DISTRIBUTIONS);

  @TempDir
  Path dir;

  @BeforeEach
  void faultyFileSystem() {
    spark.sparkContext().hadoopConfiguration().set("fs.file.impl", FaultyFileSystem.class.getName());
    spark.sparkContext().hadoopConfiguration().set("fs.file.impl.disable.cache", "true");
  }

  @AfterEach
  void plainFileSystem() {
    spark.sparkContext().hadoopConfiguration().set("fs.file.impl", NioLocalFileSystem.class.getName());
    spark.sparkContext().hadoopConfiguration().unset("fs.file.impl.disable.cache");
  }

  private String root(String name) {
    return dir.resolve(name).toString();
  }

  /** Publishes run r with a rows in the summary and b in the distributions. */
  private void publish(String root, int a, int b) {
    RunStore.publish(spark, root, "r", ParquetCodec.SNAPPY, store -> {
      store.write(DatasetPaths.SUMMARY, spark.range(a).toDF());
      store.write(DatasetPaths.DISTRIBUTIONS, spark.range(b).toDF());
      return null;
    });
  }

  /** The rows a reader through the manifest finds in each dataset. */
  private List<Long> published(String root) {
    RunManifest run = RunStore.published(spark, root, "r");
    List<Long> rows = new ArrayList<>();
    for (String d : DATASETS) {
      RunManifest.Entry e = run.entry(d);
      rows.add(e == null ? -1 : Runs.readFiles(spark, RunStore.files(new DatasetPaths(root, "r"), d, e)).count());
    }
    return rows;
  }

  /** The data files in the run's directory of each dataset are exactly those its manifest names. */
  private void assertNothingElse(String root) {
    RunManifest run = RunStore.published(spark, root, "r");
    for (String d : DATASETS) {
      File runDir = new File(root, d + "/run_id=r");
      Set<String> present = new TreeSet<>();
      for (String name : runDir.list()) {
        if (!name.startsWith("_") && !name.startsWith(".")) {
          present.add(name);
        }
      }
      assertEquals(new TreeSet<>(run.entry(d).files()), present, d);
    }
  }

  @Test
  void aFailureBetweenAnyTwoOperationsOfARerunLeavesTheOldRunOrTheNewWhole() {
    String probe = root("probe");
    publish(probe, 10, 20);
    FaultyFileSystem.arm(0);
    publish(probe, 7, 3);
    int operations = FaultyFileSystem.disarm();
    assertEquals(List.of(7L, 3L), published(probe));
    assertTrue(operations >= 6, "a rerun's publication takes " + operations + " operations");
    int failed = 0;
    for (int k = 1; k <= operations; k++) {
      String root = root("fail-at-" + k);
      publish(root, 10, 20);
      FaultyFileSystem.arm(k);
      try {
        publish(root, 7, 3);
      } catch (Exception e) {
        failed++;
      } finally {
        FaultyFileSystem.disarm();
      }
      List<Long> seen = published(root);
      assertTrue(seen.equals(List.of(10L, 20L)) || seen.equals(List.of(7L, 3L)),
          "after a failure at operation " + k + " of " + operations + " a reader finds " + seen);
      publish(root, 5, 6);
      assertEquals(List.of(5L, 6L), published(root), "the next command after a failure at " + k);
      assertNothingElse(root);
    }
    assertTrue(failed > 0);
  }

  @Test
  void aCommandKilledInANewRunsFirstWriteLeavesNothingAReaderTakesForARun() {
    String root = root("killed");
    // Killed after Spark wrote the summary's files: neither committed nor aborted.
    RunStore killed = RunStore.open(spark, root, "r", ParquetCodec.SNAPPY);
    killed.write(DatasetPaths.SUMMARY, spark.range(7).toDF());
    assertTrue(new File(root, "summary/run_id=r").list().length > 0, "the killed command's files are there");
    assertEquals(List.of(-1L, -1L), published(root), "not read as a run written before manifests");
    InputException e = assertThrows(InputException.class, () -> Runs.readRun(spark, root + "/summary/run_id=r", null));
    assertTrue(e.getMessage().contains("run r has published no summary"), e.getMessage());
    publish(root, 5, 6);
    assertEquals(List.of(5L, 6L), published(root));
    assertEquals(5L, Runs.readRun(spark, root + "/summary/run_id=r", null).count(), "the directory read as published");
    assertNothingElse(root);
  }

  @Test
  void aFailureAtAnyOperationOfANewRunsFirstPublicationLeavesNothingOrTheRunWhole() {
    String probe = root("first-probe");
    FaultyFileSystem.arm(0);
    publish(probe, 7, 3);
    int operations = FaultyFileSystem.disarm();
    for (int k = 1; k <= operations; k++) {
      String root = root("first-fail-at-" + k);
      FaultyFileSystem.arm(k);
      try {
        publish(root, 7, 3);
      } catch (Exception e) {
        // reported below by what a reader finds
      } finally {
        FaultyFileSystem.disarm();
      }
      List<Long> seen = published(root);
      assertTrue(seen.equals(List.of(-1L, -1L)) || seen.equals(List.of(7L, 3L)),
          "after a failure at operation " + k + " of " + operations + " a reader finds " + seen);
      publish(root, 5, 6);
      assertEquals(List.of(5L, 6L), published(root), "the next command after a failure at " + k);
      assertNothingElse(root);
    }
  }

  @Test
  void aCommandThatFailsPublishesNothingAndLeavesNothing() {
    String root = root("failing");
    publish(root, 10, 20);
    assertThrows(Exception.class, () -> RunStore.publish(spark, root, "r", ParquetCodec.SNAPPY, store -> {
      store.write(DatasetPaths.SUMMARY, spark.range(7).toDF());
      store.write(DatasetPaths.DISTRIBUTIONS, spark.range(5).selectExpr("assert_true(id < 3) as broken"));
      return null;
    }));
    assertEquals(List.of(10L, 20L), published(root), "the summary written before the failure is not published");
    assertNothingElse(root);
    assertThrows(IllegalStateException.class, () -> RunStore.publish(spark, root, "r", ParquetCodec.SNAPPY, store -> {
      store.write(DatasetPaths.SUMMARY, spark.range(7).toDF(), files -> {
        throw new IllegalStateException("rejected");
      }, List.of(), java.util.Map.of());
      return null;
    }));
    assertEquals(List.of(10L, 20L), published(root));
    assertNothingElse(root);
  }

  @Test
  void aRunWrittenBeforeManifestsIsReadAndAdoptedAsItIs() {
    String root = dir.resolve("legacy").toString();
    spark.range(4).write().parquet(root + "/summary/run_id=r");
    spark.range(9).write().parquet(root + "/distributions/run_id=r");
    assertEquals(List.of(4L, 9L), published(root), "read without a manifest");
    RunStore.publish(spark, root, "r", ParquetCodec.SNAPPY, store -> {
      store.write(DatasetPaths.SUMMARY, spark.range(2).toDF());
      return null;
    });
    assertEquals(List.of(2L, 9L), published(root), "the dataset not rewritten stays as it was");
    assertEquals(2, Arrays.stream(new File(root, "summary/run_id=r").list()).filter(n -> n.endsWith(".parquet"))
        .count(), "the replaced files are gone");
  }
}
