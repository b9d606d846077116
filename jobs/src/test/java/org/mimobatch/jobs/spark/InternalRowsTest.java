package org.mimobatch.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

/** Partitions mapped over the scan's column batches see the same rows as through Spark's own rows. */
class InternalRowsTest extends SparkTestBase {
  @TempDir
  Path dir;
  private String path;

  @BeforeEach
  void write() {
    path = dir.resolve("data").toString();
    // 10,000 rows in two files: several of the reader's 4096-row batches per partition, strings,
    // null arrays, null elements and NaN among the values.
    spark.range(10_000).repartition(2).selectExpr("id",
        "case when id % 7 = 0 then null else concat('row-', id) end as label",
        "case when id % 11 = 0 then null else array(cast(id as double), id / 3.0, "
            + "case when id % 5 = 0 then null else double('NaN') end) end as re",
        "array(cast(id as float), cast(-id as float)) as im").write().parquet(path);
  }

  @Test
  void aPlainReadIsMappedOverItsColumnBatches() {
    Dataset<Row> plain = spark.read().parquet(path);
    assertNotNull(InternalRows.columnarScan(plain.queryExecution().executedPlan()));
    assertSameRows(plain);
  }

  @Test
  void aSubsetOfAPartitionedReadIsMappedOverItsColumnBatchesByOrdinal() {
    String partitioned = dir.resolve("runs").toString();
    spark.read().parquet(path).write().parquet(partitioned + "/run_id=a");
    spark.read().parquet(path).selectExpr("id + 1 as id", "label", "re", "im").write().parquet(partitioned + "/run_id=b");
    // The scan adds the partition column run_id; picking columns past it, reordered, drops it.
    Dataset<Row> subset = spark.read().parquet(partitioned).select("im", "id", "label");
    assertNotNull(InternalRows.columnarScan(subset.queryExecution().executedPlan()));
    assertSameRows(subset);
    Dataset<Row> withRun = spark.read().parquet(partitioned).select("run_id", "re");
    assertSameRows(withRun);
  }

  @Test
  void otherPlansRunAsSparkPlannedThem() {
    Dataset<Row> filtered = spark.read().parquet(path).filter("id % 3 = 0");
    assertNull(InternalRows.columnarScan(filtered.queryExecution().executedPlan()));
    assertSameRows(filtered);
    Dataset<Row> repartitioned = spark.read().parquet(path).repartition(3);
    assertNull(InternalRows.columnarScan(repartitioned.queryExecution().executedPlan()));
    assertSameRows(repartitioned);
    Dataset<Row> projected = spark.read().parquet(path).select("im", "id");
    assertSameRows(projected);
    String nested = dir.resolve("nested").toString();
    spark.range(100).selectExpr("id", "named_struct('re', array(id), 'label', 'x') as s").write().parquet(nested);
    Dataset<Row> structs = spark.read().parquet(nested);
    assertNull(InternalRows.columnarScan(structs.queryExecution().executedPlan()));
    assertSameRows(structs);
  }

  @Test
  void rowsMadeHereReachTheNextFunctionAsMadeUnlessCached() {
    Dataset<Row> plain = spark.read().parquet(path);
    org.apache.spark.util.LongAccumulator made = spark.sparkContext().longAccumulator("rows made");
    Dataset<Row> copies = counted(plain, made);
    // The producer's GenericInternalRows, not Spark's UnsafeRow copies of them.
    List<String> kinds = InternalRows.mapPartitions(copies, rows -> {
      List<InternalRow> out = new ArrayList<>();
      rows.forEachRemaining(r -> out.add(new GenericInternalRow(new Object[] {
          org.apache.spark.unsafe.types.UTF8String.fromString(r.getClass().getSimpleName())})));
      return out.iterator();
    }, new org.apache.spark.sql.types.StructType().add("kind", "string")).distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("GenericInternalRow"), kinds);
    assertSameRows(copies);
    // A cached DataFrame is read from the cache, not made again.
    Dataset<Row> cached = counted(plain, made).cache();
    assertEquals(10_000, cached.count());
    long before = made.value();
    assertSameRows(cached);
    assertEquals(before, made.value(), "the cached rows are not made again");
    cached.unpersist();
  }

  /** A DataFrame of copies of {@code input}'s rows, made here, each counted into {@code made}. */
  private static Dataset<Row> counted(Dataset<Row> input, org.apache.spark.util.LongAccumulator made) {
    CopyRows copy = new CopyRows(input.schema().fields());
    return InternalRows.dataFrame(input.sparkSession(), InternalRows.rows(input).toJavaRDD().mapPartitions(rows -> {
      List<InternalRow> out = new ArrayList<>();
      copy.call(rows).forEachRemaining(out::add);
      made.add(out.size());
      return out.iterator();
    }).rdd(), input.schema());
  }

  private static void assertSameRows(Dataset<Row> input) {
    Dataset<Row> copied = InternalRows.mapPartitions(input, new CopyRows(input.schema().fields()), input.schema());
    assertEquals(sorted(input.collectAsList()), sorted(copied.collectAsList()));
  }

  private static List<String> sorted(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.toString());
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Copies every row it is given, as a function must before it asks for the next. */
  private record CopyRows(StructField[] fields) implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      List<InternalRow> out = new ArrayList<>();
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
          DataType type = fields[i].dataType();
          values[i] = row.isNullAt(i) ? null : InternalRow.copyValue(row.get(i, type));
        }
        out.add(new GenericInternalRow(values));
      }
      return out.iterator();
    }
  }
}
