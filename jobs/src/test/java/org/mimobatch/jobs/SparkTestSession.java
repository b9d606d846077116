package org.mimobatch.jobs;

import org.apache.spark.sql.SparkSession;

/** The local Spark session of a test class: two cores, no UI, few shuffle partitions. */
final class SparkTestSession {
  private SparkTestSession() {}

  static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("mimobatch-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
