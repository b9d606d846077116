package org.mimobatch.jobs.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mimobatch.jobs.config.Settings;

/**
 * The kernel baselines, NumPy's and torch.linalg's on the CPU ({@code bench/numpy_kernels.py},
 * {@code bench/torch_kernels.py}): each run in its own Python on one thread, with the batches
 * divided by bench.shrink as the kernel table's are, its lines echoed, so that one bench output
 * holds the three sides that {@code bench/ratios.py} sets side by side.
 */
final class BaselineBench {
  /** The exit status bench/torch_kernels.py gives where torch is not installed. */
  private static final int NO_LIBRARY = 3;

  private BaselineBench() {}

  static void run(Settings settings, PrintStream out) {
    String python = settings.benchCommands().get(1);
    run(python, "bench/numpy_kernels.py", "NumPy", settings.benchShrink(), out);
    run(python, "bench/torch_kernels.py", "torch (pip install torch==2.13.0+cpu)", settings.benchShrink(), out);
  }

  private static void run(String python, String path, String library, int shrink, PrintStream out) {
    File script = WholeRunBench.located(path);
    if (!script.isFile()) {
      out.println("# baseline: no " + path + "; skipped");
      return;
    }
    ProcessBuilder pb = new ProcessBuilder(List.of(python, script.getAbsolutePath(), "--shrink",
        Integer.toString(shrink))).redirectErrorStream(true);
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.environment().put("MKL_NUM_THREADS", "1");
    try {
      Process p = pb.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          out.println(l);
        }
      }
      int status = p.waitFor();
      if (status == NO_LIBRARY) {
        out.println("# baseline: " + python + " has no " + library + "; skipped");
      } else if (status != 0) {
        out.println("# baseline: " + path + " exited with " + status + "; its lines above are what it measured");
      }
    } catch (IOException e) {
      out.println("# baseline: could not start " + python + " (bench.python): " + e.getMessage() + "; skipped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
