package org.mimobatch.jobs.io;

import org.apache.hadoop.fs.Path;

/** Where the three datasets of a run live under the output root. */
public record DatasetPaths(String root) {
  public static final String CHANNELS = "channels";
  public static final String METRICS = "metrics";
  public static final String SUMMARY = "summary";
  public static final String HISTORIES = "histories";

  public String channels() {
    return new Path(root, CHANNELS).toString();
  }

  public String metrics() {
    return new Path(root, METRICS).toString();
  }

  public String summary() {
    return new Path(root, SUMMARY).toString();
  }

  public String histories() {
    return new Path(root, HISTORIES).toString();
  }
}
