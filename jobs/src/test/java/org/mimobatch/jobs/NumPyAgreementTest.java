package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.DatasetPaths;

/**
 * Every metric of a run, recomputed from the channels it wrote by the project's NumPy baseline
 * (bench/numpy_analysis.py, np.linalg throughout, the script the benchmarks time): square, tall and
 * wide channels, rank-deficient ones, both precisions. The script exits 1 naming each metric that
 * differs beyond its tolerance, so the benchmarks compare like with like.
 */
class NumPyAgreementTest extends SparkTestBase {
  @TempDir
  Path dir;

  @Test
  void numpyRecomputesEveryMetricFromTheChannelsARunWrote() {
    Path python = ExternalTools.python(List.of("numpy", "pandas", "pyarrow"));
    Path script = ExternalTools.projectRoot().resolve("bench/numpy_analysis.py");
    List<List<String>> scenarios = List.of(
        List.of("channel.rx=8", "channel.tx=8"),
        List.of("channel.rx=4", "channel.tx=2", "channel.model=kronecker", "channel.correlation.rx=1"),
        List.of("channel.rx=2", "channel.tx=4", "channel.model=kronecker", "channel.correlation.tx=0.9"),
        List.of("channel.rx=3", "channel.tx=3", "channel.precision=single"));
    int checked = 0;
    for (List<String> scenario : scenarios) {
      List<String> overrides = new ArrayList<>(scenario);
      overrides.addAll(List.of("channel.slots=4", "channel.subcarriers=16", "output.channels=true",
          "output.report=false"));
      Settings s = Settings.load(null, overrides, dir.resolve("run" + checked).toString());
      RunJob.run(spark, s);
      ExternalTools.Output out = ExternalTools.run(List.of(python.toString(), script.toString(), "--check",
          s.output().paths().of(DatasetPaths.CHANNELS), s.output().paths().of(DatasetPaths.METRICS)), null, 300);
      assertEquals(0, out.exit(), scenario + "\n" + out.stdout() + out.stderr());
      assertTrue(out.stdout().contains("CHECK|matrices|64\n"), scenario + "\n" + out.stdout());
      for (String metric : List.of("singular_values", "capacity_wf", "rate_mmse", "zf_solve_error", "eig_gap")) {
        assertTrue(out.stdout().contains("CHECK|" + metric + "|"), metric + " unchecked in " + scenario);
      }
      checked++;
    }
  }
}
