package org.mimobatch.jobs;

import org.mimobatch.jobs.cli.MimoBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: exit status and what it prints. */
class MimoBatchTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new MimoBatch(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usageAndConfigurationErrorsExitWithTwo() {
    assertEquals(2, run("frobnicate"));
    assertTrue(err().contains("unknown command 'frobnicate'") && err().contains("Usage:"), err());
    assertEquals(2, run("run", "--set", "channel.rx=-1"));
    assertTrue(err().contains("channel.rx:"), err());
    assertEquals(0, run("--help"));
    assertTrue(out().contains("Usage: mimobatch"));
  }

  @Test
  void runThenShowTheSummary(@TempDir Path dir) {
    String outDir = dir.resolve("out").toString();
    int status = run("run", "--master", "local[2]", "--out", outDir, "--set", "channel.subcarriers=8",
        "--set", "channel.slots=2", "--set", "channel.rx=2", "--set", "channel.tx=2", "--set", "spark.ui.enabled=false");
    assertEquals(0, status, err());
    assertTrue(out().contains("run: 16 matrices, 0 failed"), out());
    assertEquals(0, run("show", dir.resolve("out/summary").toString(), "--master", "local[2]", "--rows", "2"));
    String shown = out();
    assertTrue(shown.contains("3 rows in") && shown.contains("capacity_mean") && shown.contains("snr_db"), shown);
    assertEquals(2, run("show", dir.resolve("missing").toString(), "--master", "local[2]"));
    assertTrue(err().contains("no dataset at"), err());

    // A later run with columns the first lacks: show reads every run's columns, not the first file's.
    assertEquals(0, run("run", "--master", "local[2]", "--out", outDir, "--run-id", "z-later", "--set",
        "channel.subcarriers=8", "--set", "channel.slots=2", "--set", "channel.rx=2", "--set", "channel.tx=2",
        "--set", "spark.ui.enabled=false", "--set", "refine.methods=[newton-schulz]", "--set", "output.report=false"),
        err());
    assertEquals(0, run("show", dir.resolve("out/metrics").toString(), "--master", "local[2]", "--rows", "1"));
    assertTrue(out().contains("refine_newton_schulz_status") && out().contains("32 rows in"), out());
  }
}
