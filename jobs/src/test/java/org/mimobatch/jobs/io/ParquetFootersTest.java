package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

/** Footers answer what Spark's schema inference and count would, without a job. */
class ParquetFootersTest extends SparkTestBase {
  @TempDir
  Path dir;

  private static Dataset<Row> rows(long n) {
    return spark.range(n).selectExpr("id", "cast(id % 3 as short) as part", "case when id % 2 = 0 then null else 'x' end as s",
        "array(cast(id as float), null) as floats", "cast(id as decimal(12, 2)) as amount", "timestamp_seconds(id) as t");
  }

  @Test
  void schemaAndRowCountMatchSparksAnswers() {
    String plain = dir.resolve("plain").toString();
    rows(1234).repartition(5).write().parquet(plain);
    Dataset<Row> inferred = spark.read().parquet(plain);
    assertEquals(inferred.schema(), Runs.readRun(spark, plain, null).schema(), "Spark reads files as nullable");
    assertEquals(inferred.schema().simpleString(), ParquetFooters.schema(spark, plain).orElseThrow().simpleString());
    assertEquals(1234, ParquetFooters.rowCount(spark, inferred.inputFiles()));
    assertEquals(1234, ParquetFooters.rowCount(spark, plain));
    assertEquals(1234, Runs.readRun(spark, plain, null).count());

    String single = inferred.inputFiles()[0];
    assertEquals(spark.read().parquet(single).schema(), Runs.readRun(spark, single, null).schema());
  }

  @Test
  void manyFilesAreCountedBySpark() {
    String many = dir.resolve("many").toString();
    int files = ParquetFooters.DRIVER_FILES + 20;
    spark.range(0, 3 * files, 1, files).write().parquet(many);
    assertEquals(3L * files, ParquetFooters.rowCount(spark, many));
  }

  @Test
  void mergedSchemasAreLeftToSpark() {
    String mixed = dir.resolve("mixed").toString();
    spark.range(10).selectExpr("id", "id * 2 as a").write().parquet(mixed);
    spark.range(10).selectExpr("id", "cast(id as string) as b").write().mode("append").parquet(mixed);
    spark.conf().set("spark.sql.parquet.mergeSchema", "true");
    try {
      assertEquals(3, Runs.readRun(spark, mixed, null).schema().size(), "id, a and b from both files");
    } finally {
      spark.conf().unset("spark.sql.parquet.mergeSchema");
    }
    assertEquals(2, Runs.readRun(spark, mixed, null).schema().size(), "one file's schema, as Spark reads it");
  }

  @Test
  void partitionedDirectoriesAreLeftToSpark() {
    String partitioned = dir.resolve("partitioned").toString();
    rows(300).write().partitionBy("part").parquet(partitioned);
    assertTrue(ParquetFooters.schema(spark, partitioned).isEmpty(), "partition columns come from directory names");
    Dataset<Row> read = Runs.readRun(spark, partitioned, null);
    assertTrue(read.schema().getFieldIndex("part").isDefined());
    assertEquals(300, ParquetFooters.rowCount(spark, read.inputFiles()));
  }
}
