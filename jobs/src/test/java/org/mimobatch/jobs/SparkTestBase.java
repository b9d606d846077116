package org.mimobatch.jobs;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One local Spark session per test class: two cores, no UI, few shuffle partitions, and local
 * paths through {@link org.mimobatch.jobs.io.NioLocalFileSystem} as in mimobatch's own sessions.
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  @BeforeAll
  public static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("mimobatch-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.hadoop.fs.file.impl", org.mimobatch.jobs.io.NioLocalFileSystem.class.getName())
        .getOrCreate();
  }

  @AfterAll
  public static void stopSpark() {
    spark.stop();
    spark = null;
  }
}
