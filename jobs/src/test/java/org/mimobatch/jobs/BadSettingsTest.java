package org.mimobatch.jobs;

import org.mimobatch.jobs.cli.MimoBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that are wrong in every way a user finds: exit 2, one line naming the key, no stack trace. */
class BadSettingsTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String refused(String... args) {
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--master")) {
      all.addAll(List.of("--master", "local[1]"));
    }
    if (!all.contains("--out")) {
      all.addAll(List.of("--out", dir.resolve("out").toString()));
    }
    all.addAll(List.of("--set", "spark.ui.enabled=false", "--set", "output.report=false"));
    int status = new MimoBatch(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(all.toArray(new String[0]));
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, all + ": " + e);
    assertFalse(e.contains("\tat "), "no stack trace: " + e);
    return e;
  }

  @Test
  void numbersThatAreNoNumbersAndNullsNameTheKey() {
    String e = refused("run", "--set", "analysis.snr-db=[0,NaN,20]");
    assertTrue(e.contains("analysis.snr-db"), e);
    e = refused("run", "--set", "analysis.snr-db=[0,Infinity]");
    assertTrue(e.contains("analysis.snr-db"), e);
    e = refused("run", "--set", "refine.methods=[gd-inverse]", "--set", "refine.gd-inverse.lr=null");
    assertTrue(e.contains("refine.gd-inverse.lr"), e);
    e = refused("run", "--set", "refine.methods=[mixed-precision]", "--set", "refine.mixed-precision.tolerance=null");
    assertTrue(e.contains("refine.mixed-precision.tolerance"), e);
    e = refused("run", "--set", "channel.seed=null");
    assertTrue(e.contains("channel.seed"), e);
  }

  @Test
  void benchKeysAreTheBenchCommandsAndCheckedBeforeSparkStarts() {
    // A master Spark would refuse: the bench key is named first, so it was checked before Spark started.
    String e = refused("bench", "--master", "bogus://x", "--set", "bench.repeats=0");
    assertTrue(e.startsWith("mimobatch: configuration: bench.repeats"), e);
    e = refused("run", "--set", "bench.repeats=2");
    assertTrue(e.contains("unknown key 'bench.repeats'"), e);
  }

  @Test
  void gridsTooLargeToPlanNameWhatToChange() {
    String e = refused("run", "--set", "channel.links=1000000", "--set", "channel.slots=1000000");
    assertTrue(e.contains("channel.links") && e.contains("10^11") || e.contains("100000000000"), e);
    e = refused("run", "--set", "channel.partitions=100000000");
    assertTrue(e.contains("channel.partitions"), e);
  }

  @Test
  void sparkAndPathSettingsSparkRefusesNameTheirKey() {
    String e = refused("run", "--master", "bogus://x");
    assertTrue(e.contains("--master bogus://x"), e);
    e = refused("run", "--set", "spark.serializer=org.example.NoSuchSerializer");
    assertTrue(e.contains("spark.serializer") && e.contains("org.example.NoSuchSerializer"), e);
    e = refused("run", "--out", "x:y");
    assertTrue(e.contains("x:y"), e);
  }
}
