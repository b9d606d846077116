package org.mimobatch.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.bench.KernelBench;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * {@code bench}: the kernel benchmark on this thread (lines named as in the NumPy baseline), then,
 * unless bench.end-to-end is off, generate, analyze and summarize of the channel.* scenario in a
 * scratch directory under the output root, reported as
 * <pre>BENCH|analyze_e2e|n=&lt;rx&gt;x&lt;tx&gt;|N=&lt;matrices&gt;|&lt;matrices per second&gt;|&lt;where&gt;</pre>
 * and {@code analyze_e2e_warm} for the best of five more analyses of the same channels, then
 * {@code run_e2e}.
 */
final class BenchCommand {
  /** Analyses of the same channels after the first run, for the warm figure. */
  static final int WARM_PASSES = 5;

  private BenchCommand() {}

  static void run(SparkSession spark, Settings settings, PrintStream out) {
    if (!settings.benchScale().isEmpty()) {
      ScaleBench.run(spark, settings, out);
      return;
    }
    out.println("# kernels on one thread, backend " + settings.backend() + ", chunks of " + settings.chunkSize());
    KernelBench kernels = new KernelBench(settings.backend(), settings.chunkSize(), settings.benchRepeats(), out);
    kernels.run(settings.benchShrink());
    out.println("# refinements on one thread, at most 2000 iterations per matrix");
    kernels.runRefinements(Math.max(16, 256 / settings.benchShrink()));
    if (!settings.benchEndToEnd()) {
      return;
    }
    // The whole run once, then analyze again on the same channels, WARM_PASSES times: by then
    // Spark's jobs, the Parquet reader and writer and every class involved are compiled, which is
    // the steady state of a long run without its one-off start-up (the lane-parallel kernels'
    // large methods reach C2 only during the first passes, on cores the tasks keep busy: warm
    // passes still went 2.8, 2.5, 2.2, 2.0 s). The best pass counts, as for the kernels.
    double[] warmSeconds = {Double.POSITIVE_INFINITY};
    RunJob.Result r = inScratch(spark, settings, s -> {
      RunJob.Result first = RunJob.run(spark, s);
      for (int pass = 0; pass < WARM_PASSES; pass++) {
        long t0 = System.nanoTime();
        AnalyzeJob.run(spark, s);
        warmSeconds[0] = Math.min(warmSeconds[0], (System.nanoTime() - t0) / 1e9);
      }
      return first;
    });
    ChannelSpec c = settings.channel();
    String where = "spark " + spark.sparkContext().master() + ", " + spark.sparkContext().defaultParallelism()
        + " cores, " + settings.backend();
    long n = r.analyze().rowsOut();
    out.println(String.format(Locale.ROOT, "BENCH|analyze_e2e|n=%dx%d|N=%d|%.0f|%s", c.rx(), c.tx(), n,
        r.analyzeRate(), where));
    out.println(String.format(Locale.ROOT, "BENCH|analyze_e2e_warm|n=%dx%d|N=%d|%.0f|%s; analyze again, best of %d,"
        + " %.2f s", c.rx(), c.tx(), n, n / warmSeconds[0], where, WARM_PASSES, warmSeconds[0]));
    double total = r.generateSeconds() + r.analyzeSeconds() + r.summarizeSeconds();
    out.println(String.format(Locale.ROOT, "BENCH|run_e2e|n=%dx%d|N=%d|%.0f|%s; generate %.1f s, analyze %.1f s,"
        + " summarize %.1f s", c.rx(), c.tx(), n, n / total, where, r.generateSeconds(), r.analyzeSeconds(),
        r.summarizeSeconds()));
  }

  /** Runs {@code step} with the output root moved to a scratch directory under it, deleted afterwards. */
  static <T> T inScratch(SparkSession spark, Settings settings, Function<Settings, T> step) {
    Path scratch = new Path(settings.outputDir(), "bench-" + UUID.randomUUID());
    try {
      return step.apply(settings.withOutputDir(scratch.toString()));
    } finally {
      try {
        FileSystem fs = scratch.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.delete(scratch, true);
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the bench scratch directory " + scratch, e);
      }
    }
  }
}
