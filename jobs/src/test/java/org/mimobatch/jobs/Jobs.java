package org.mimobatch.jobs;

import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.summary.SummaryAggregation;

/** Each command given the sections of {@code settings} it reads, as {@code bin/mimobatch} gives them. */
public final class Jobs {
  private Jobs() {}

  public static GenerateJob.Result generate(SparkSession spark, Settings settings) {
    return GenerateJob.run(spark, settings.output(), settings.channels());
  }

  public static IngestJob.Result ingest(SparkSession spark, Settings settings) {
    return IngestJob.run(spark, settings.output(), settings.input(), settings.channels().partitions());
  }

  public static AnalyzeJob.Result analyze(SparkSession spark, Settings settings) {
    return AnalyzeJob.run(spark, settings.output(), settings.analysis());
  }

  public static SummaryAggregation.Result summarize(SparkSession spark, Settings settings) {
    return SummarizeJob.run(spark, settings.output(), settings.summary());
  }
}
