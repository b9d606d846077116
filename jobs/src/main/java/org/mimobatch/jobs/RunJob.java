package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.OutputSettings;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SummarySettings;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.jobs.ingest.Format;
import org.mimobatch.jobs.ingest.IngestPlan;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.report.Report;
import org.mimobatch.jobs.summary.SummaryAggregation;

/**
 * {@code run}: the channels of {@code channel.*} (or of {@code input.*}, when input.path names channel
 * files), analysed, then summarised. Unless output.channels asks for the channels dataset, the
 * channels are drawn (or read) and analysed in one pass without being written, and the metrics are
 * what generate (or ingest) then analyze would have written; with it, the steps run one after the
 * other. Last, unless output.report is off, the HTML report of the run.
 */
public final class RunJob {
  private RunJob() {}

  /**
   * The steps' results and how long each took, in seconds.
   *
   * @param generate the channels drawn and written, or null when they were ingested or not written
   * @param ingest the channels read and written, or null when they were drawn or not written
   * @param generateSeconds the time of whichever of the two ran; 0 when the channels were analysed
   *     as drawn (or read)
   * @param fused whether the channels were analysed as drawn or read, without being written
   * @param summarizeSeconds the time of the summarize step: merging what the analysis tasks gathered
   *     (or reading the metrics just written), or over the runs summary.runs names
   * @param report the HTML report written last, or null when output.report is off
   */
  public record Result(
      GenerateJob.Result generate,
      IngestJob.Result ingest,
      double generateSeconds,
      AnalyzeJob.Result analyze,
      double analyzeSeconds,
      SummaryAggregation.Result summarize,
      double summarizeSeconds,
      boolean fused,
      Report.Result report) {

    /** Matrices analysed per second of the analyze step. */
    public double analyzeRate() {
      return analyze.rowsOut() / analyzeSeconds;
    }
  }

  /** Runs every step; the one command that reads every section of the settings. */
  public static Result run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /** A new store of the run of {@code output} ({@link RunStore#open}). */
  static RunStore store(SparkSession spark, OutputSettings output) {
    return RunStore.open(spark, output.dir(), output.runId(), output.compression());
  }

  /** Runs {@code work} against a new store of the run of {@code output} and publishes what it wrote ({@link RunStore#publish}). */
  static <T> T publish(SparkSession spark, OutputSettings output, java.util.function.Function<RunStore, T> work) {
    return RunStore.publish(spark, output.dir(), output.runId(), output.compression(), work);
  }

  /** As {@link #run(SparkSession, Settings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, Settings settings, PrintStream progress) {
    OutputSettings output = settings.output();
    Result r = publish(spark, output, store -> steps(spark, settings, store, progress));
    // Written from what was published: the run's datasets and its description, steps timed.
    Report.Result report = output.report() ? Report.write(spark, output.paths(), null) : null;
    return new Result(r.generate(), r.ingest(), r.generateSeconds(), r.analyze(), r.analyzeSeconds(), r.summarize(),
        r.summarizeSeconds(), r.fused(), report);
  }

  /** The steps of a run, every dataset written into {@code store}, pending its commit. */
  private static Result steps(SparkSession spark, Settings settings, RunStore store, PrintStream progress) {
    OutputSettings output = settings.output();
    IngestSpec input = settings.input();
    boolean ingest = input.enabled();
    // The tasks that write the metrics gather their summary, unless it is to cover other runs too.
    SummarySettings summary = settings.summary();
    SummarySettings tapped = summary.ownRunOnly() ? summary : null;
    boolean fused = !output.channels() && input.format() != Format.PARQUET;
    long t0 = System.nanoTime();
    GenerateJob.Result g = null;
    IngestJob.Result i = null;
    AnalyzeJob.Result a;
    long t1;
    if (fused) {
      t1 = t0;
      a = ingest ? AnalyzeJob.ingestAndAnalyze(spark, output, input, settings.channels().partitions(),
              settings.analysis(), tapped, store, IngestPlan.of(input, spark.sparkContext().hadoopConfiguration()),
              progress)
          : AnalyzeJob.drawAndAnalyze(spark, output, settings.channels(), settings.analysis(), tapped, store,
              progress);
    } else {
      g = ingest ? null : GenerateJob.write(spark, output, settings.channels(), store, progress);
      i = ingest ? IngestJob.write(spark, output, input, settings.channels().partitions(), store, progress) : null;
      t1 = System.nanoTime();
      a = AnalyzeJob.analyze(spark, output, settings.analysis(), store, progress);
    }
    long t2 = System.nanoTime();
    SummaryAggregation.Result s = a.summary() == null ? SummarizeJob.summarize(spark, output, summary, store)
        : SummarizeJob.fromTap(spark, output, summary, store, a.summary(), a.partitions());
    long t3 = System.nanoTime();
    String source = ingest ? "ingest" : "generate";
    Map<String, Double> seconds = new LinkedHashMap<>();
    if (fused) {
      seconds.put(source + " and analyze", (t2 - t1) / 1e9);
    } else {
      seconds.put(source, (t1 - t0) / 1e9);
      seconds.put("analyze", (t2 - t1) / 1e9);
    }
    seconds.put("summarize", (t3 - t2) / 1e9);
    // The run describes how it summarised, besides how it analysed.
    Map<String, String> described = new LinkedHashMap<>(a.info().settings());
    described.putAll(summary.describe());
    store.describe(a.info().withSettings(described).withSeconds(seconds));
    return new Result(g, i, (t1 - t0) / 1e9, a, (t2 - t1) / 1e9, s, (t3 - t2) / 1e9, fused, null);
  }

}
