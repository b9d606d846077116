package org.mimobatch.jobs.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole runs as a user times them: {@code bin/mimobatch run} in a fresh JVM against the NumPy script
 * a user would write instead (same grid, same analysis, summary and files, one thread), alternated,
 * in one scratch directory. Prints the script's own E2E lines, one for mimobatch's wall time, and
 * their ratio:
 * <pre>E2E|numpy|total|&lt;s&gt;|slots=N
 * E2E|mimobatch|run|&lt;s&gt;|slots=N, &lt;cores&gt; cores
 * E2E|ratio|numpy/mimobatch|&lt;x&gt;|slots=N, best of each; per core &lt;x / cores&gt;</pre>
 */
final class WholeRunBench {
  private WholeRunBench() {}

  static void run(BenchSettings bench, int cores, PrintStream out) {
    File script = located(bench.numpyPipeline());
    File mimobatch = located(bench.mimobatch());
    if (!script.isFile()) {
      out.println("# whole runs: no NumPy script at " + script.getAbsolutePath() + " (bench.numpy-pipeline); skipped");
      return;
    }
    if (!mimobatch.canExecute()) {
      out.println("# whole runs: no " + mimobatch.getAbsolutePath() + " to start (bench.mimobatch); skipped");
      return;
    }
    Path scratch;
    try {
      scratch = Files.createTempDirectory("mimobatch-whole-run-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (long slots : bench.wholeRun()) {
        out.println("# whole runs of " + slots * 1024 + " default channels (channel.slots = " + slots
            + "), alternated " + bench.repeats() + " times");
        double numpy = Double.MAX_VALUE;
        double ours = Double.MAX_VALUE;
        for (int r = 0; r < bench.repeats(); r++) {
          numpy = Math.min(numpy, numpy(bench.python(), script, scratch, slots, out));
          ours = Math.min(ours, mimobatch(mimobatch, scratch, slots, cores, out));
        }
        out.println(String.format(Locale.ROOT, "E2E|ratio|numpy/mimobatch|%.2f|slots=%d, best of each; per core %.2f",
            numpy / ours, slots, numpy / ours / cores));
      }
    } finally {
      delete(scratch.toFile());
    }
  }

  /** The script's total, after echoing its E2E lines. */
  private static double numpy(String python, File script, Path scratch, long slots, PrintStream out) {
    List<String> lines = exec(List.of(python, script.getAbsolutePath(), "--out", scratch.resolve("numpy").toString(),
        "--slots", Long.toString(slots)), true);
    double total = Double.NaN;
    for (String l : lines) {
      if (l.startsWith("E2E|numpy|")) {
        out.println(l + (l.startsWith("E2E|numpy|total|") ? "|slots=" + slots : ""));
        if (l.startsWith("E2E|numpy|total|")) {
          total = Double.parseDouble(l.split("\\|")[3]);
        }
      }
    }
    if (Double.isNaN(total)) {
      throw new IllegalStateException("the NumPy script printed no total: " + String.join("\n", lines));
    }
    return total;
  }

  /**
   * A relative path as given where it exists from the working directory, else under the
   * installation bin/mimobatch names ({@code -Dmimobatch.home}), so that the defaults
   * (bench/numpy_run.py, bin/mimobatch) hold from any directory.
   */
  static File located(String path) {
    File asGiven = new File(path);
    String home = System.getProperty("mimobatch.home");
    if (asGiven.isAbsolute() || asGiven.exists() || home == null) {
      return asGiven;
    }
    File installed = new File(home, path);
    return installed.exists() ? installed : asGiven;
  }

  /** The wall time of a whole {@code bin/mimobatch run}. */
  private static double mimobatch(File command, Path scratch, long slots, int cores, PrintStream out) {
    long t0 = System.nanoTime();
    List<String> lines = exec(List.of(command.getAbsolutePath(), "run", "--out", scratch.resolve("mimobatch").toString(),
        "--set", "channel.slots=" + slots, "--set", "progress.interval-s=0"), false);
    double seconds = (System.nanoTime() - t0) / 1e9;
    String run = lines.stream().filter(l -> l.startsWith("run: ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("bin/mimobatch run printed no result: " + lines));
    out.println(String.format(Locale.ROOT, "E2E|mimobatch|run|%.3f|slots=%d, %d cores; %s", seconds, slots, cores,
        run));
    return seconds;
  }

  private static List<String> exec(List<String> command, boolean oneThread) {
    Finished done = start(command, oneThread);
    if (done.status() != 0) {
      List<String> lines = done.lines();
      throw new IllegalStateException(command.get(0) + " exited with " + done.status() + ": "
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
    return done.lines();
  }

  /** What a finished process printed (standard output and error, in order) and its exit status. */
  record Finished(List<String> lines, int status) {}

  /**
   * Runs {@code command} to its end; with {@code oneThread}, with OpenBLAS, OpenMP and MKL on one
   * thread, as the baselines are timed.
   */
  static Finished start(List<String> command, boolean oneThread) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (oneThread) {
      pb.environment().put("OPENBLAS_NUM_THREADS", "1");
      pb.environment().put("OMP_NUM_THREADS", "1");
      pb.environment().put("MKL_NUM_THREADS", "1");
    }
    try {
      Process p = pb.start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      }
      return new Finished(lines, p.waitFor());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void delete(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      Arrays.stream(children).forEach(WholeRunBench::delete);
    }
    f.delete();
  }
}
