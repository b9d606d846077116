package org.mimobatch.jobs.bench;

import java.io.File;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

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

  static void run(BenchSettings bench, PrintStream out) {
    String python = bench.python();
    run(python, "bench/numpy_kernels.py", "NumPy", bench.shrink(), out);
    run(python, "bench/torch_kernels.py", "torch (pip install torch==2.13.0+cpu)", bench.shrink(), out);
  }

  private static void run(String python, String path, String library, int shrink, PrintStream out) {
    File script = WholeRunBench.located(path);
    if (!script.isFile()) {
      out.println("# baseline: no " + path + "; skipped");
      return;
    }
    WholeRunBench.Finished done;
    try {
      done = WholeRunBench.start(List.of(python, script.getAbsolutePath(), "--shrink", Integer.toString(shrink)), true);
    } catch (UncheckedIOException e) {
      out.println("# baseline: could not start " + python + " (bench.python): " + e.getCause().getMessage()
          + "; skipped");
      return;
    }
    done.lines().forEach(out::println);
    if (done.status() == NO_LIBRARY) {
      out.println("# baseline: " + python + " has no " + library + "; skipped");
    } else if (done.status() != 0) {
      out.println("# baseline: " + path + " exited with " + done.status() + "; its lines above are what it measured");
    }
  }
}
