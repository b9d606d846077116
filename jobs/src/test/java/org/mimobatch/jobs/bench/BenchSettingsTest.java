package org.mimobatch.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;

/** The bench keys live beside the bench command: read by it, refused by every other command. */
class BenchSettingsTest {

  private static BenchSettings bench(String... overrides) {
    return BenchSettings.of(Settings.load(Map.of(), null, List.of(overrides), null, null, BenchSettings.SECTION));
  }

  private static String error(String... overrides) {
    return assertThrows(SettingsException.class, () -> bench(overrides)).getMessage();
  }

  @Test
  void defaultsComeFromBenchConfNotFromReferenceConf() {
    BenchSettings b = bench();
    assertEquals(1, b.shrink());
    assertEquals(3, b.repeats());
    assertEquals(List.of(), b.scale());
    assertEquals(List.of(100L, 1000L), b.wholeRun());
    assertEquals("bench/numpy_run.py", b.numpyPipeline());
    assertFalse(ConfigFactory.defaultReference().hasPath("mimobatch.bench"), "reference.conf has no bench section");
  }

  @Test
  void otherCommandsRefuseBenchKeysByName() {
    String m = assertThrows(SettingsException.class, () -> Settings.load(null, List.of("bench.repeats=5"), null))
        .getMessage();
    assertTrue(m.startsWith("unknown key 'bench.repeats' in --set bench.repeats=5"), m);
    assertThrows(IllegalStateException.class, () -> BenchSettings.of(Settings.defaults()));
  }

  @Test
  void scaleBenchmarkCountsAreWholePositiveNumbers() {
    assertEquals(List.of(100_000L, 10_000_000L), bench("bench.scale=[100000, 1e7]").scale());
    assertTrue(error("bench.scale=[0]").startsWith("bench.scale: 0.0 is not allowed"));
    assertTrue(error("bench.scale=[1.5]").contains("bench.scale"));
    assertTrue(error("bench.scale=many").contains("bench.scale"));
    assertTrue(error("bench.repeats=0").startsWith("bench.repeats"));
  }

  @Test
  void commandPathsAreTakenAsWritten() {
    // A path with // would be cut at a HOCON comment if it were parsed as HOCON.
    assertEquals("/opt//venv/bin/python", bench("bench.python=/opt//venv/bin/python").python());
  }
}
