package org.mimobatch.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.SparkTestBase;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.pipeline.batch.MatrixStatus;

/**
 * The tally passes every row on unchanged and counts them: all rows for progress, and each status
 * once per partition, over partitions of which one is empty.
 */
class MetricsTallyTest extends SparkTestBase {

  @Test
  void everyRowPassesAndEveryStatusIsCountedOnce() {
    // 4 partitions: 700 ok and 3 zero rows, 300 non-finite ones, none, 1 shape-error row.
    List<List<String>> partitions = List.of(labels("ok", 700, "zero", 3), labels("non-finite", 300),
        List.of(), labels("shape-error", 1));
    StructType schema = new StructType().add("part", "int").add("status", "string");
    Dataset<Row> source = InternalRows.dataFrame(spark, JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0, 1, 2, 3), partitions.size()).mapPartitions(parts -> {
          List<InternalRow> rows = new ArrayList<>();
          while (parts.hasNext()) {
            int p = parts.next();
            for (String label : partitions.get(p)) {
              rows.add(new GenericInternalRow(new Object[] {p, UTF8String.fromString(label)}));
            }
          }
          return rows.iterator();
        }).rdd(), schema);
    LongAccumulator counter = spark.sparkContext().longAccumulator("rows");
    MatrixStatus[] statuses = MatrixStatus.values();
    LongAccumulator[] byStatus = new LongAccumulator[statuses.length];
    for (MatrixStatus s : statuses) {
      byStatus[s.code()] = spark.sparkContext().longAccumulator(s.label());
    }
    Dataset<Row> tallied = InternalRows.mapPartitions(source, new MetricsTally(counter, byStatus, 1, null), schema);
    List<Row> out = tallied.collectAsList();
    assertEquals(1004, out.size());
    assertEquals(1004L, counter.value());
    assertEquals(700L, byStatus[MatrixStatus.OK.code()].value());
    assertEquals(3L, byStatus[MatrixStatus.ZERO.code()].value());
    assertEquals(300L, byStatus[MatrixStatus.NON_FINITE.code()].value());
    assertEquals(1L, byStatus[MatrixStatus.SHAPE_ERROR.code()].value());
    assertEquals(300L, out.stream().filter(r -> r.getString(1).equals("non-finite") && r.getInt(0) == 1).count(),
        "rows pass unchanged");
  }

  private static List<String> labels(Object... labelsAndCounts) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      for (int k = 0; k < (Integer) labelsAndCounts[i + 1]; k++) {
        out.add((String) labelsAndCounts[i]);
      }
    }
    return out;
  }
}
