package org.mimobatch.jobs;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;

/** {@code bench}: placeholder replaced below. */
final class BenchCommand {
  private BenchCommand() {}

  static void run(SparkSession spark, Settings settings, PrintStream out) {
    throw new UnsupportedOperationException("bench");
  }
}
