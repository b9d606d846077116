package org.mimobatch.jobs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.api.ChannelAnalysis;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.AnalyzeJob;
import org.mimobatch.jobs.config.AnalysisSettings;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.bench.KernelBench;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * {@code bench}: the kernel benchmark on this thread (lines named as in the NumPy baseline), then,
 * unless bench.end-to-end is off, generate, analyze and summarize of the channel.* scenario in a
 * scratch directory under the output root, reported as
 * <pre>BENCH|analyze_e2e|n=&lt;rx&gt;x&lt;tx&gt;|N=&lt;matrices&gt;|&lt;matrices per second&gt;|&lt;where&gt;</pre>
 * and {@code analyze_e2e_warm} for the best of ten more analyses of the same channels,
 * {@code analyze_e2e_paired} for the median of the last five set against the analysis alone (no
 * Spark) timed just before each, on one thread and on every core, then {@code run_e2e}.
 */
public final class BenchCommand {
  /** Analyses of the same channels after the first run, for the warm figures. */
  static final int WARM_PASSES = 10;
  /** The warm passes that still run while the JIT compiles Spark's code; the paired figure skips them. */
  static final int SETTLING_PASSES = 5;
  /** Passes of the Dataset API's metrics after the warm passes. */
  static final int API_PASSES = 3;
  /** Matrices per thread of the kernel-only analysis timed before each warm pass. */
  static final long KERNEL_BATCH = 51_200;

  /** The first run, and each warm pass's rate with the kernel-only rates timed just before it. */
  private record WarmPasses(RunJob.Result first, double[] pipeline, double[] oneThread, double[] allThreads,
      double api) {}

  private BenchCommand() {}

  /** Runs the benchmarks {@code settings} (loaded with {@link BenchSettings#SECTION}) ask for. */
  public static void run(SparkSession spark, Settings settings, PrintStream out) {
    BenchSettings bench = BenchSettings.of(settings);
    if (!bench.scale().isEmpty()) {
      ScaleBench.run(spark, settings, bench.scale(), out);
      return;
    }
    if (!bench.wholeRun().isEmpty()) {
      WholeRunBench.run(bench, spark.sparkContext().defaultParallelism(), out);
    }
    if (bench.baselines()) {
      BaselineBench.run(bench, out);
    }
    AnalysisSettings analysis = settings.analysis();
    out.println("# kernels on one thread, backend " + analysis.backend() + ", chunks of " + analysis.chunkSize());
    KernelBench kernels = new KernelBench(analysis.backend(), analysis.chunkSize(), bench.repeats(), out);
    kernels.run(bench.shrink());
    out.println("# refinements on one thread, at most 2000 iterations per matrix");
    kernels.runRefinements(Math.max(16, 256 / bench.shrink()));
    out.println("# refinements at their defaults: the fraction of Rayleigh channels that converge");
    kernels.refinementsConverged(Math.max(100, 2000 / bench.shrink()));
    if (!bench.endToEnd()) {
      return;
    }
    ChannelSpec c = settings.channels().spec();
    int cores = spark.sparkContext().defaultParallelism();
    // The warm passes analyse the channels again: written once.
    WarmPasses warm = inScratch(spark, settings.withOutputChannels(true), s -> runThenRepeat(spark, s, kernels, cores,
        out));
    RunJob.Result r = warm.first();
    String where = "spark " + spark.sparkContext().master() + ", " + cores + " cores, " + analysis.backend();
    long n = r.analyze().rowsOut();
    out.println(String.format(Locale.ROOT, "BENCH|analyze_e2e|n=%dx%d|N=%d|%.0f|%s", c.rx(), c.tx(), n,
        r.analyzeRate(), where));
    double best = max(warm.pipeline());
    out.println(String.format(Locale.ROOT, "BENCH|analyze_e2e_warm|n=%dx%d|N=%d|%.0f|%s; analyze again, best of %d,"
        + " %.2f s", c.rx(), c.tx(), n, best, where, WARM_PASSES, n / best));
    reportPaired(warm, c, n, cores, where, out);
    out.println(String.format(Locale.ROOT, "BENCH|api_metrics_warm|n=%dx%d|N=%d|%.0f|%s; ChannelAnalysis.metrics on"
        + " the same channels into Spark's noop sink, best of %d: %.2f× analyze_e2e_warm", c.rx(), c.tx(), n,
        warm.api(), where, API_PASSES, warm.api() / best));
    double total = r.generateSeconds() + r.analyzeSeconds() + r.summarizeSeconds();
    out.println(String.format(Locale.ROOT, "BENCH|run_e2e|n=%dx%d|N=%d|%.0f|%s; generate %.1f s, analyze and"
        + " summarise %.1f s, write the summary %.1f s (with output.channels)", c.rx(), c.tx(), n, n / total, where,
        r.generateSeconds(), r.analyzeSeconds(), r.summarizeSeconds()));
  }

  /**
   * The whole run once, then analyze again on the same channels, WARM_PASSES times: by then
   * Spark's jobs, the Parquet reader and writer and every class involved are compiled, which is
   * the steady state of a long run without its one-off start-up (the lane-parallel kernels' large
   * methods reach C2 only during the first passes, on cores the tasks keep busy, and Spark's own
   * code keeps the JIT busy for longer). Before each pass
   * the analysis alone is timed on one thread and on every core: a VM's speed can drift by a third
   * within minutes, LAPACKE's native code included, so each pass is set against kernel-only rates
   * taken just before it.
   */
  private static WarmPasses runThenRepeat(SparkSession spark, Settings s, KernelBench kernels, int cores,
      PrintStream out) {
    RunJob.Result first = RunJob.run(spark, s);
    long n = first.analyze().rowsOut();
    int kernelBatch = (int) Math.min(n, KERNEL_BATCH);
    ChannelSpec c = s.channels().spec();
    AnalysisSpec spec = s.analysis().spec();
    double[] pipeline = new double[WARM_PASSES];
    double[] oneThread = new double[WARM_PASSES];
    double[] allThreads = new double[WARM_PASSES];
    try (KernelBench.AnalyzeLoad one = kernels.analyzeLoad(spec, c.precision(), c.rx(), c.tx(), kernelBatch, 1);
        KernelBench.AnalyzeLoad all = kernels.analyzeLoad(spec, c.precision(), c.rx(), c.tx(), kernelBatch, cores)) {
      for (int pass = 0; pass < WARM_PASSES; pass++) {
        oneThread[pass] = one.rate();
        allThreads[pass] = all.rate();
        long t0 = System.nanoTime();
        AnalyzeJob.run(spark, s.output(), s.analysis());
        pipeline[pass] = n / ((System.nanoTime() - t0) / 1e9);
        out.println(String.format(Locale.ROOT, "# warm pass %d: analyze %.0f/s (%.2f s); the analysis alone just"
            + " before it %.0f/s on one thread, %.0f/s on %d", pass + 1, pipeline[pass], n / pipeline[pass],
            oneThread[pass], allThreads[pass], cores));
      }
    }
    // The Dataset API on the same channels, its metrics computed and dropped: analyze's work without its write.
    ChannelAnalysis analysis = ChannelAnalysis.of(s.analysis());
    double api = 0;
    for (int pass = 0; pass < API_PASSES; pass++) {
      long t0 = System.nanoTime();
      analysis.metrics(spark.read().parquet(s.output().paths().channels())).write().format("noop").mode("overwrite").save();
      api = Math.max(api, n / ((System.nanoTime() - t0) / 1e9));
    }
    return new WarmPasses(first, pipeline, oneThread, allThreads, api);
  }

  /** The {@code analyze_e2e_paired} line: the settled passes against the kernel-only rates timed before each. */
  private static void reportPaired(WarmPasses warm, ChannelSpec c, long n, int cores, String where, PrintStream out) {
    int settled = WARM_PASSES - SETTLING_PASSES;
    double[] pipeline = Arrays.copyOfRange(warm.pipeline(), SETTLING_PASSES, WARM_PASSES);
    double[] oneThread = Arrays.copyOfRange(warm.oneThread(), SETTLING_PASSES, WARM_PASSES);
    double[] allThreads = Arrays.copyOfRange(warm.allThreads(), SETTLING_PASSES, WARM_PASSES);
    double[] ofCores = new double[settled];
    double[] ofThreads = new double[settled];
    for (int pass = 0; pass < settled; pass++) {
      ofCores[pass] = pipeline[pass] / (cores * oneThread[pass]);
      ofThreads[pass] = pipeline[pass] / allThreads[pass];
    }
    out.println(String.format(Locale.ROOT, "BENCH|analyze_e2e_paired|n=%dx%d|N=%d|%.0f|%s; median of warm passes %d-%d,"
        + " each after the analysis alone on %d matrices: %.0f/s on one thread, %.0f/s on %d threads;"
        + " pipeline / (one thread x %d) %.0f %% (passes %.0f-%.0f %%), pipeline / %d threads %.0f %%",
        c.rx(), c.tx(), n, median(pipeline), where, SETTLING_PASSES + 1, WARM_PASSES, Math.min(n, KERNEL_BATCH),
        median(oneThread), median(allThreads), cores, cores, 100 * median(ofCores),
        100 * min(ofCores), 100 * max(ofCores), cores, 100 * median(ofThreads)));
  }

  private static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  /** Runs {@code step} with the output root moved to a scratch directory under it, deleted afterwards. */
  static <T> T inScratch(SparkSession spark, Settings settings, Function<Settings, T> step) {
    Path scratch = new Path(settings.output().dir(), "bench-" + UUID.randomUUID());
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
