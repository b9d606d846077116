package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/mimobatch as a user starts it (after the package phase built it): a local run prints only
 * mimobatch's own lines; the class-data archive is written by a successful run alone, so that a
 * run stopped early by a bad setting, or a smaller command, cannot leave an archive of a few
 * classes in place until the next build; and a signal to the launcher stops its JVM.
 */
class LauncherIT {
  private static final Pattern OWN_LINE = Pattern.compile("(mimobatch|generate|ingest|analyze|summarize|run|report): .*");
  /** A run's archive holds Spark's, Hadoop's and Parquet's classes: well over this many bytes. */
  private static final long FULL_ARCHIVE_BYTES = 50L << 20;

  @TempDir
  Path dir;

  @Test
  void onlyASuccessfulRunWritesTheArchiveAndALocalRunPrintsOnlyItsOwnLines() throws Exception {
    Path archive = dir.resolve("cds/mimobatch.jsa");
    Files.createDirectories(archive.getParent());

    ExternalTools.Output badSetting = launch(archive, "run", "--out", dir.resolve("bad").toString(), "--set", "no.such-key=1");
    assertNotEquals(0, badSetting.exit());
    assertTrue(badSetting.stderr().contains("no.such-key"), badSetting.stderr());
    assertEquals(List.of(), filesIn(archive.getParent()), "a failed run leaves no archive");

    ExternalTools.Output help = launch(archive, "run", "--help");
    assertEquals(0, help.exit(), help.stderr());
    assertEquals(List.of(), filesIn(archive.getParent()), "run --help writes no archive");

    ExternalTools.Output generate = launch(archive, "--out", dir.resolve("gen").toString(), "generate",
        "--set", "channel.slots=1", "--set", "channel.subcarriers=64");
    assertEquals(0, generate.exit(), generate.stdout() + generate.stderr());
    assertEquals(List.of(), filesIn(archive.getParent()), "only run writes the archive");

    assertTrue(stopsOnTerm(archive), "the JVM of a terminated launcher stopped");
    assertEquals(List.of(), filesIn(archive.getParent()), "a run stopped by a signal leaves no archive");

    ExternalTools.Output run = launch(archive, "--out", dir.resolve("run").toString(), "run",
        "--set", "channel.slots=1", "--set", "channel.subcarriers=64", "--set", "output.report=false");
    assertEquals(0, run.exit(), run.stdout() + run.stderr());
    Path jdk = archive.resolveSibling(archive.getFileName() + ".jdk");
    assertEquals(List.of(archive, jdk), filesIn(archive.getParent()));
    assertTrue(Files.size(archive) > FULL_ARCHIVE_BYTES, "archive of " + Files.size(archive) + " bytes");

    for (String line : (run.stdout() + run.stderr()).split("\n")) {
      assertTrue(line.isBlank() || OWN_LINE.matcher(line).matches(), "not mimobatch's own line: " + line);
    }
    assertTrue(run.stdout().contains("run: 64 matrices, 0 failed"), run.stdout());
  }

  @Test
  void anInputErrorFoundByATaskIsOneLineAndItsAccountStaysInTheLog() throws Exception {
    // A deflated .npz entry whose data ends before its header's shape: found by the task reading it.
    Path npz = dir.resolve("short.npz");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("channel.npy"));
      Path npy = dir.resolve("channel.npy");
      NpyFiles.write(npy, "{'descr': '<c16', 'fortran_order': False, 'shape': (100, 4, 4), }", new double[2 * 16 * 10]);
      zip.write(Files.readAllBytes(npy));
      zip.closeEntry();
    }
    Path log = dir.resolve("spark.log");
    ExternalTools.Output failed = ExternalTools.run(List.of("env", "MIMOBATCH_LOG=" + log,
        ExternalTools.projectRoot().resolve("bin/mimobatch").toString(), "ingest", "--out", dir.resolve("out").toString(),
        "--set", "input.path=\"" + npz + "\"", "--set", "input.variable=channel", "--set", "input.axes=[link, rx, tx]"),
        ExternalTools.projectRoot(), 600);
    assertEquals(2, failed.exit(), failed.stderr());
    List<String> lines = failed.stderr().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() <= 2, "one line, and where the log is: " + failed.stderr());
    assertTrue(lines.get(0).contains("short.npz") && lines.get(0).contains("its data ends after 2560 bytes"),
        lines.get(0));
    assertTrue(lines.get(lines.size() - 1).contains(log.toString()), failed.stderr());
    String account = Files.readString(log);
    assertTrue(account.contains("Exception in task") && account.contains("\tat "), "the traces are in the log");
  }

  /**
   * Starts a long run, sends the launcher SIGTERM once its JVM is up, and tells whether every
   * process under it has ended within a minute.
   */
  private boolean stopsOnTerm(Path archive) throws Exception {
    Path root = ExternalTools.projectRoot();
    Process launcher = new ProcessBuilder("env", "MIMOBATCH_CDS_ARCHIVE=" + archive, root.resolve("bin/mimobatch").toString(),
        "run", "--out", dir.resolve("stopped").toString(), "--set", "channel.slots=100000", "--set", "output.report=false")
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<ProcessHandle> under = List.of();
    while (under.stream().noneMatch(LauncherIT::isJava) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      under = launcher.descendants().toList();
    }
    assertTrue(under.stream().anyMatch(LauncherIT::isJava), "no JVM under the launcher");
    try {
      Thread.sleep(3000);
      launcher.destroy();
      assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
      assertNotEquals(0, launcher.exitValue());
      for (ProcessHandle p : under) {
        p.onExit().get(60, TimeUnit.SECONDS);
      }
      return under.stream().noneMatch(ProcessHandle::isAlive);
    } finally {
      under.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean isJava(ProcessHandle p) {
    return p.info().command().map(c -> c.endsWith("/java")).orElse(false);
  }

  private ExternalTools.Output launch(Path archive, String... arguments) {
    Path root = ExternalTools.projectRoot();
    List<String> command = new ArrayList<>(List.of("env", "MIMOBATCH_CDS_ARCHIVE=" + archive,
        root.resolve("bin/mimobatch").toString()));
    command.addAll(List.of(arguments));
    return ExternalTools.run(command, root, 600);
  }

  private static List<Path> filesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> found = files.sorted().toList();
      assertFalse(found.stream().anyMatch(Files::isDirectory), found.toString());
      return found;
    }
  }
}
