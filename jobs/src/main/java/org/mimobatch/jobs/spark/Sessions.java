package org.mimobatch.jobs.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/** Sessions for one job's settings, so that a job never changes the settings of the session it is given. */
public final class Sessions {
  private Sessions() {}

  /** Spark's setting of the fewest splits a file read is cut into (default: the cores). */
  private static final String MIN_PARTITIONS = "spark.sql.files.minPartitionNum";

  /**
   * A session whose file reads are cut into at least {@code perCore} splits per core (unless the
   * user set Spark's own setting): Spark packs small files into as few splits as there are cores,
   * and a few per core balance uneven files, report progress sooner and lose less work with a dead
   * executor. A session of its own, because Spark takes this setting only from the session.
   */
  public static SparkSession splittingReads(SparkSession spark, int perCore) {
    if (spark.conf().contains(MIN_PARTITIONS)) {
      return spark;
    }
    return withConf(spark, Map.of(MIN_PARTITIONS, String.valueOf(perCore * spark.sparkContext().defaultParallelism())));
  }

  /**
   * A session on the same SparkContext with the SQL settings of {@code spark} and {@code overrides}
   * on top, leaving {@code spark}'s untouched: Spark reads some settings (how files are split, say)
   * only from the session, not per read.
   */
  public static SparkSession withConf(SparkSession spark, Map<String, String> overrides) {
    SparkSession child = spark.newSession();
    for (var e : CollectionConverters.asJava(spark.conf().getAll()).entrySet()) {
      if (spark.conf().isModifiable(e.getKey())) {
        child.conf().set(e.getKey(), e.getValue());
      }
    }
    overrides.forEach(child.conf()::set);
    return child;
  }
}
