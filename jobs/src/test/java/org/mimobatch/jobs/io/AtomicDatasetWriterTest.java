package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

class AtomicDatasetWriterTest extends SparkTestBase {
  @TempDir
  Path dir;

  @Test
  void aRejectedOrFailedWriteLeavesThePreviousDatasetInPlace() {
    String target = dir.resolve("data").toString();
    AtomicDatasetWriter writer = AtomicDatasetWriter.prepare(spark, dir.toString(), ParquetCodec.SNAPPY);
    writer.write(spark.range(10).toDF(), target);
    assertEquals(10, spark.read().parquet(target).count());

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> writer.write(spark.range(3).toDF(), target, staged -> {
          assertEquals(3, spark.read().parquet(staged).count(), "the check sees the staged copy");
          throw new IllegalStateException("rejected");
        }));
    assertEquals("rejected", e.getMessage());
    assertEquals(10, spark.read().parquet(target).count(), "the previous dataset is untouched");

    assertThrows(Exception.class, () -> writer.write(
        spark.range(5).selectExpr("assert_true(id < 3) as broken"), target));
    assertEquals(10, spark.read().parquet(target).count(), "a failed job publishes nothing");

    writer.write(spark.range(7).toDF(), target);
    assertEquals(7, spark.read().parquet(target).count(), "a successful rerun replaces it");
    String[] left = new File(dir.toString()).list();
    Arrays.sort(left);
    assertArrayEquals(new String[] {"data"}, left, "no staging or old copies remain: " + Arrays.toString(left));
  }

  @Test
  void statisticsAreSwitchedOffForTheLeafColumnsOfTheNamedOnes() {
    StructType schema = spark.range(1).selectExpr("id", "1.5 as x", "array(1.0, 2.0) as xs", "'ok' as s").schema();
    assertEquals(Map.of("parquet.column.statistics.enabled#x", "false",
        "parquet.column.statistics.enabled#xs.list.element", "false"),
        AtomicDatasetWriter.noStatistics(schema, List.of("x", "xs")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AtomicDatasetWriter.noStatistics(schema, List.of("missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }
}
