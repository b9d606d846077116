package org.mimobatch.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmark's report lines line up with the NumPy baseline's; no timing is asserted. */
class KernelBenchTest {
  private static final Pattern LINE = Pattern.compile("BENCH\\|([a-z_0-9]+)\\|n=(\\d+)\\|N=(\\d+)\\|(\\d+)\\|(.+)");

  @Test
  void everyBaselineOpAndSizeIsReported() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    List<String> lines = new KernelBench("cpu", 256, 1, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run(1000);
    assertEquals(7 * KernelBench.SIZES.length, lines.size());
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      assertTrue(m.matches(), line);
      assertTrue(Long.parseLong(m.group(4)) > 0, line);
      assertTrue(m.group(5).contains("lapacke") || m.group(5).contains("java") || m.group(5).contains("analyzer"), line);
    }
    assertTrue(lines.get(0).startsWith("BENCH|svd_values|n=4|N=200|"));
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("BENCH|analyze|n=64|N=200|"));
  }
}
