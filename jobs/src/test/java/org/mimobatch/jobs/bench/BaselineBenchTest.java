package org.mimobatch.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.ExternalTools;
import org.mimobatch.jobs.config.Settings;

/**
 * The baselines bench runs before its kernels: NumPy's lines for every op and size of the kernel
 * table, in the format bench/ratios.py reads and sets against mimobatch's; torch's where it is
 * installed, and a note where it is not.
 */
class BaselineBenchTest {
  @TempDir
  Path dir;

  @Test
  void theBaselinesPrintLinesRatiosReadsAndNameWhatIsMissing() throws Exception {
    Path python = ExternalTools.python(List.of("numpy"));
    System.setProperty("mimobatch.home", ExternalTools.projectRoot().toString());
    BenchSettings bench = BenchSettings.of(Settings.load(java.util.Map.of(), null,
        List.of("bench.python=" + python, "bench.shrink=1000"), null, null, BenchSettings.SECTION));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BaselineBench.run(bench, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (String op : List.of("svd_values", "svd_full", "eigvalsh", "eigh", "solve", "analyze")) {
      for (int n : new int[] {2, 4, 8, 16, 32, 64}) {
        assertTrue(out.contains("BASELINE|" + op + "|n=" + n + "|N=200|"), op + " " + n + " in\n" + out);
      }
    }
    boolean torch = ExternalTools.run(List.of(python.toString(), "-c", "import torch"), null, 120).exit() == 0;
    assertEquals(torch, out.contains("TORCH|solve|n=8|N=200|"), out);
    assertEquals(!torch, out.contains("has no torch"), out);

    // ratios.py sets a BENCH line of the same op, size and batch against both.
    Path lines = dir.resolve("bench.txt");
    Files.writeString(lines, out + "BENCH|solve|n=8|N=200|1000000|java lu\n");
    ExternalTools.Output table = ExternalTools.run(List.of(python.toString(),
        ExternalTools.projectRoot().resolve("bench/ratios.py").toString(), lines.toString()), null, 60);
    assertEquals(0, table.exit(), table.stderr());
    String row = table.stdout().lines().filter(l -> l.startsWith("| solve | 8 |")).findFirst().orElseThrow();
    assertEquals(torch ? 0 : 2, row.split("\\| – ", -1).length - 1, row);
  }
}
