package org.mimobatch.jobs;

import org.mimobatch.jobs.cli.MimoBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a hostile or careless user hands over: each stops with exit status 2 and one line naming
 * the file and what is wrong (no stack trace), or, for empty arrays, gives empty outputs.
 */
class HostileInputTest {
  private static final File HOSTILE = new File(HostileInputTest.class.getResource("/ingest/hostile/soft.h5").getFile())
      .getParentFile();

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--master", "local[2]", "--out", dir.resolve("out").toString(), "--set", "spark.ui.enabled=false",
        "--set", "output.report=false", "--set", "progress.interval-s=0"));
    return new MimoBatch(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8)).execute(all.toArray(new String[0]));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Runs {@code args}, expecting exit 2 and a message containing every one of {@code expected}, without a stack trace. */
  private void refused(List<String> args, String... expected) {
    int status = run(args.toArray(new String[0]));
    String e = err();
    assertEquals(2, status, args + ": " + e);
    for (String x : expected) {
      assertTrue(e.contains(x), "'" + x + "' in: " + e);
    }
    assertFalse(e.contains("\tat "), "no stack trace: " + e);
  }

  private static List<String> ingest(String file, String... set) {
    List<String> a = new ArrayList<>(List.of("ingest", "--set", "input.path=\"" + file + "\""));
    for (String s : set) {
      a.add("--set");
      a.add(s);
    }
    return a;
  }

  private static String hostile(String name) {
    return new File(HOSTILE, name).getAbsolutePath();
  }

  private Path npy(String name, String header, int doubles) throws IOException {
    Path f = dir.resolve(name);
    NpyFiles.write(f, header, new double[doubles]);
    return f;
  }

  @Test
  void npyHeadersAreReadAsNumPyReadsThem() throws IOException {
    String axes = "input.axes=[link, rx, tx]";
    Path overflow = npy("overflow.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (1152921504606846976, 4, 4), }", 0);
    refused(ingest(overflow.toString(), axes), "overflow.npy", "overflows 64-bit byte counts");
    Path negative = npy("negative.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (-1, 4, 4), }", 0);
    refused(ingest(negative.toString(), axes), "negative.npy", "not a tuple of integers from 0");
    // NumPy's literal_eval keeps a key's last value: this is an int32 array.
    Path twice = npy("twice.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 4, 4), 'descr': '<i4', }", 64);
    refused(ingest(twice.toString(), axes), "twice.npy", "dtype '<i4' is not a channel dtype");
    Path huge = npy("huge.npy", "{'descr': '<c99999999999', 'fortran_order': False, 'shape': (2, 4, 4), }", 64);
    refused(ingest(huge.toString(), axes), "huge.npy", "'descr' is '<c99999999999'");
    Path extra = npy("extra.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 4, 4), 'x': 1}", 64);
    refused(ingest(extra.toString(), axes), "extra.npy", "exactly [descr, fortran_order, shape]");
    Path bigDim = npy("bigdim.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (99999999999999999999, 4), }", 0);
    refused(ingest(bigDim.toString(), axes), "bigdim.npy", "too large");
  }

  @Test
  void emptyArraysGiveEmptyOutputs() throws IOException {
    Path empty = npy("empty.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (0, 4, 4), }", 0);
    for (String file : List.of(empty.toString(), hostile("empty.h5"), hostile("empty.mat"))) {
      List<String> args = new ArrayList<>(List.of("run", "--run-id", new File(file).getName().replace('.', '-'),
          "--set", "input.path=\"" + file + "\""));
      args.addAll(List.of("--set", file.endsWith(".mat") ? "input.variable=H" : "input.variable=h", "--set",
          file.endsWith(".mat") ? "input.axes=[rx, tx, link]" : "input.axes=[link, rx, tx]"));
      assertEquals(0, run(args.toArray(new String[0])), file + ": " + err());
      String o = out.toString(StandardCharsets.UTF_8);
      assertTrue(o.contains("run: 0 matrices, 0 failed"), o);
    }
  }

  @Test
  void hdf5LinksAreFollowedSafely() {
    refused(ingest(hostile("link_loop.h5"), "input.variable=a", "input.axes=[link, rx, tx]"), "link_loop.h5",
        "a loop of links");
    refused(ingest(hostile("dangling.h5"), "input.variable=h", "input.axes=[link, rx, tx]"), "dangling.h5",
        "no dataset 'h'", "/h -> /nowhere");
    refused(ingest(hostile("external.h5"), "input.variable=h", "input.axes=[link, rx, tx]"), "external.h5",
        "external link to", "set input.path");
    assertEquals(0, run(ingest(hostile("soft.h5"), "input.variable=h", "input.axes=[link, rx, tx]")
        .toArray(new String[0])), err());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("ingest: 3 matrices"), out.toString());
  }

  @Test
  void aDatasetOfMoreMatricesThanTheDriverCanPlanIsRefusedBeforePlanning() {
    refused(ingest(hostile("unallocated.h5"), "input.variable=h", "input.axes=[link, rx, tx]"), "unallocated.h5",
        "1099511627776 matrices");
  }

  @Test
  void matArraysThatAreNoChannelsAreRefusedByName() {
    for (String name : List.of("sparse.mat", "int32.mat", "logical.mat")) {
      refused(ingest(hostile(name), "input.variable=H", "input.axes=[rx, tx, link]"), name, "not a channel array");
    }
    refused(ingest(hostile("int32.mat"), "input.variable=\"H{99999999999}\"", "input.axes=[rx, tx]"), "int32.mat",
        "H is an int32 array; {99999999999} needs a cell array");
  }

  @Test
  void truncatedArchivesAndOtherThanFilesAreRefusedByName() throws Exception {
    byte[] npz = Files.readAllBytes(new File(HOSTILE.getParentFile(), "deepmimo_compressed.npz").toPath());
    Path truncated = dir.resolve("truncated.npz");
    Files.write(truncated, Arrays.copyOf(npz, npz.length / 2));
    refused(ingest(truncated.toString(), "input.preset=deepmimo"), "truncated.npz");
    Path fifo = dir.resolve("fifo.npy");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    refused(ingest(fifo.toString(), "input.axes=[link, rx, tx]"), "fifo.npy", "not a regular file");
  }

  @Test
  void showAndAnalysisInputNameADirectoryThatHoldsNoParquet() throws IOException {
    Path csv = Files.createDirectories(dir.resolve("csv"));
    Files.writeString(csv.resolve("a.csv"), "link,slot\n1,2\n");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    refused(List.of("show", csv.toString()), csv.toString(), "not a readable Parquet file");
    refused(List.of("show", empty.toString()), empty.toString(), "no Parquet files");
    refused(List.of("analyze", "--set", "analysis.input=\"" + csv + "\""), csv.toString(), "not a readable Parquet file");
  }

  @Test
  void aCorruptRunDescriptionOfARunWrittenBeforeManifestsIsNamed() throws IOException {
    assertEquals(0, run("run", "--run-id", "old", "--set", "channel.slots=1", "--set", "channel.subcarriers=8"), err());
    // As an earlier version left a run: no manifest, the description beside the metrics.
    org.apache.commons.io.FileUtils.deleteDirectory(dir.resolve("out/_mimobatch_runs").toFile());
    Files.writeString(dir.resolve("out/metrics/run_id=old/_mimobatch_run.json"), "{\"settings\": {\"cut");
    refused(List.of("report", "--run-id", "old"), "_mimobatch_run.json", "not a readable run description");
  }

  @Test
  void showEscapesControlCharacters() throws IOException {
    Path data = dir.resolve("escapes");
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master("local[1]")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sql("SELECT 'a\u001b[2Jb\u0007' AS s").write().parquet(data.toString());
    assertEquals(0, run("show", data.toString()), err());
    String o = out.toString(StandardCharsets.UTF_8);
    assertFalse(o.contains("\u001b") || o.contains("\u0007"), "no raw control characters");
    assertTrue(o.contains("a\\u001b[2Jb\\u0007"), o);
    spark.stop();
  }
}
