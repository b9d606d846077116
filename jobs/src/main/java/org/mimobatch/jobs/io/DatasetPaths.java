package org.mimobatch.jobs.io;

import org.apache.hadoop.fs.Path;

/**
 * Where the datasets of one run live: {@code ROOT/<dataset>/run_id=<id>}. The run_id directory
 * level is Hive-style partitioning, so reading {@code ROOT/metrics} with Spark, pyarrow or DuckDB
 * yields every run with a run_id column.
 */
public record DatasetPaths(String root, String runId) {
  public static final String CHANNELS = "channels";
  public static final String METRICS = "metrics";
  public static final String SUMMARY = "summary";
  public static final String HISTORIES = "histories";
  public static final String DISTRIBUTIONS = "distributions";
  public static final String SKETCHES = "sketches";
  public static final String REPORT = "report";
  public static final String RUN_ID = "run_id";

  /** The directory holding every run of {@code dataset}. */
  public String base(String dataset) {
    return new Path(root, dataset).toString();
  }

  /** This run's directory of {@code dataset}. */
  public String of(String dataset) {
    return new Path(base(dataset), RUN_ID + "=" + runId).toString();
  }

  public String channels() {
    return of(CHANNELS);
  }

  public String metrics() {
    return of(METRICS);
  }

  public String summary() {
    return of(SUMMARY);
  }

  public String histories() {
    return of(HISTORIES);
  }

  public String distributions() {
    return of(DISTRIBUTIONS);
  }

  public String sketches() {
    return of(SKETCHES);
  }

  /** The directory of this run's HTML report. */
  public String report() {
    return of(REPORT);
  }
}
