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
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.batch.Precision;

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
    assertTrue(lines.get(0).startsWith("BENCH|svd_values|n=2|N=200|"));
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("BENCH|analyze|n=64|N=200|"));
  }

  @Test
  void analyzeLoadTimesEveryThreadOnTheScenariosShape() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    KernelBench bench = new KernelBench("cpu", 64, 1, quiet);
    AnalysisSpec spec = new AnalysisSpec(new double[] {0, 10}, 2, 1);
    for (int threads : new int[] {1, 2}) {
      try (KernelBench.AnalyzeLoad load = bench.analyzeLoad(spec, Precision.SINGLE, 4, 2, 300, threads)) {
        double rate = load.rate();
        assertTrue(rate > 0 && Double.isFinite(rate), threads + " threads: " + rate);
      }
    }
  }
}
