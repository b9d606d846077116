package org.mimobatch.jobs;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;

/**
 * {@code run}: generate (or ingest, when input.path names channel files), analyze and summarize in
 * sequence, each timed.
 */
public final class RunJob {
  private RunJob() {}

  /**
   * The three steps' results and how long each took, in seconds.
   *
   * @param generate the channels drawn, or null when they were ingested
   * @param ingest the channels read, or null when they were drawn
   * @param generateSeconds the time of whichever of the two ran
   */
  public record Result(
      GenerateJob.Result generate,
      IngestJob.Result ingest,
      double generateSeconds,
      AnalyzeJob.Result analyze,
      double analyzeSeconds,
      SummarizeJob.Result summarize,
      double summarizeSeconds) {

    /** Matrices analysed per second of the analyze step. */
    public double analyzeRate() {
      return analyze.rowsOut() / analyzeSeconds;
    }
  }

  public static Result run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /** As {@link #run(SparkSession, Settings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, Settings settings, PrintStream progress) {
    long t0 = System.nanoTime();
    boolean ingest = settings.input().enabled();
    GenerateJob.Result g = ingest ? null : GenerateJob.run(spark, settings, progress);
    IngestJob.Result i = ingest ? IngestJob.run(spark, settings, progress) : null;
    long t1 = System.nanoTime();
    AnalyzeJob.Result a = AnalyzeJob.run(spark, settings, progress);
    long t2 = System.nanoTime();
    SummarizeJob.Result s = SummarizeJob.run(spark, settings);
    long t3 = System.nanoTime();
    return new Result(g, i, (t1 - t0) / 1e9, a, (t2 - t1) / 1e9, s, (t3 - t2) / 1e9);
  }
}
