package org.mimobatch.jobs.summary;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.AtomicDatasetWriter;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.SummarySchema;

/**
 * The summary of a run computed in one pass over its metrics rows, in whichever job produces or
 * reads them: register a {@link SummaryAccumulator}, let the job's tasks pass their metrics rows
 * through {@link SummaryAccumulator#tap}, then {@link #write} the summary and distributions
 * datasets from what it gathered. Both are small (a row per group and SNR; 103 quantile points per
 * distribution), written in one task.
 */
public final class SummaryPass {
  private final SummaryAccumulator accumulator;
  private final StructType metricsSchema;
  private final List<String> keys;
  private final double[] quantiles;

  private SummaryPass(SummaryAccumulator accumulator, StructType metricsSchema, List<String> keys, double[] quantiles) {
    this.accumulator = accumulator;
    this.metricsSchema = metricsSchema;
    this.keys = keys;
    this.quantiles = quantiles;
  }

  /**
   * A pass over metrics rows of {@code metricsSchema}, grouped by {@code keys} (rows, cols, then
   * the group-by columns, already validated against the schema), reporting {@code quantiles} of the
   * capacity.
   */
  public static SummaryPass start(SparkContext context, StructType metricsSchema, List<String> keys,
      double[] quantiles) {
    SummaryAccumulator acc = new SummaryAccumulator(new SummaryLayout(metricsSchema, keys));
    // Unnamed: Spark keeps every task's update of a named accumulator for its UI, and these hold
    // sketches of megabytes each.
    context.register(acc);
    return new SummaryPass(acc, metricsSchema, keys, quantiles.clone());
  }

  public SummaryAccumulator accumulator() {
    return accumulator;
  }

  /** What was written. */
  public record Result(String path, long rows, String distributionsPath, long distributions) {}

  /** Writes the summary and the distributions of what the pass saw into {@code paths}' run. */
  public Result write(SparkSession spark, DatasetPaths paths) {
    Summary s = accumulator.finish();
    SummaryLayout layout = new SummaryLayout(metricsSchema, keys);
    List<StructField> keyFields = SummaryLayout.keyFields(metricsSchema, keys);
    List<Row> summary = SummaryTables.summaryRows(s, quantiles);
    List<Row> distributions = SummaryTables.distributionRows(s, layout.refinements);
    Dataset<Row> a = spark.createDataFrame(summary,
        SummarySchema.of(keyFields, quantiles, layout.refinements)).coalesce(1);
    Dataset<Row> b = spark.createDataFrame(distributions, SummaryTables.distributionSchema(keyFields)).coalesce(1);
    AtomicDatasetWriter.write(a, paths.summary());
    AtomicDatasetWriter.write(b, paths.distributions());
    return new Result(paths.summary(), summary.size(), paths.distributions(), distributions.size());
  }
}
