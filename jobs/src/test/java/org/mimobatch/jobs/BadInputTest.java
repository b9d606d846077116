package org.mimobatch.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.pipeline.analysis.Metric;

/** Channels written by other tools, with every kind of trouble: rows are kept and get their status. */
class BadInputTest extends SparkTestBase {
  @TempDir
  Path dir;

  /** A schema as another tool might write it: long links, nullable arrays, an extra key column. */
  private static final StructType SCHEMA = new StructType()
      .add("link", DataTypes.LongType)
      .add("slot", DataTypes.IntegerType)
      .add("subcarrier", DataTypes.IntegerType)
      .add("rows", DataTypes.IntegerType)
      .add("cols", DataTypes.IntegerType)
      .add("re", DataTypes.createArrayType(DataTypes.DoubleType, true))
      .add("im", DataTypes.createArrayType(DataTypes.DoubleType, true))
      .add("scenario", DataTypes.StringType);

  private static Row row(long subcarrier, Integer rows, Integer cols, Double[] re, Double[] im) {
    return RowFactory.create(7L, 3, (int) subcarrier, rows, cols, re == null ? null : Arrays.asList(re),
        im == null ? null : Arrays.asList(im), "lab-" + subcarrier);
  }

  private static Double[] values(double... v) {
    return Arrays.stream(v).boxed().toArray(Double[]::new);
  }

  private String write(String name, List<Row> rows, StructType schema) {
    String out = dir.resolve(name).toString();
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(settings(out).output().paths().channels());
    return out;
  }

  private static Settings settings(String out, String... overrides) {
    List<String> all = new ArrayList<>(List.of("analysis.chunk-size=4"));
    all.addAll(List.of(overrides));
    return Settings.load(null, all, out);
  }

  @Test
  void everyTroubledRowIsKeptWithItsStatus() {
    Double[] zeros = values(0, 0, 0, 0);
    List<Row> rows = List.of(
        row(0, 2, 2, values(1, 0.5, -0.3, 2), values(0, 0.1, 0.2, -1)),
        row(1, 2, 2, values(1, Double.NaN, 0, 1), zeros),
        row(2, 2, 2, zeros, zeros),
        row(3, 2, 2, values(1, 2, 2, 4), zeros),
        row(4, 2, 2, values(1, 2, 3), values(0, 0, 0)),
        row(5, 2, 2, null, zeros),
        row(6, 0, 2, values(), values()),
        row(7, null, 2, values(1, 2), values(0, 0)),
        row(8, 2, 2, new Double[] {1.0, null, 0.0, 1.0}, zeros),
        row(9, 2, 2, values(1, 0, 0, Double.POSITIVE_INFINITY), zeros),
        row(10, 3, 2, values(1, 0, 0, 1, 1, 1), values(0, 0.5, 0, 0, 0, 0)),
        row(11, 2, 3, values(1, 0, 0, 0, 1, 0), values(0, 0, 0.5, 0, 0, 0)),
        row(12, 2, 2, values(0.3, -1, 2, 0.7), values(1, 0, 0, -0.2)),
        row(13, 2000, 2000, values(1, 2), values(0, 0)),
        row(14, 300, 1, new Double[300], new Double[300]));
    String out = write("troubled", rows, SCHEMA);
    AnalyzeJob.Result r = Jobs.analyze(spark, settings(out));
    assertEquals(15, r.rowsIn());
    assertEquals(15, r.rowsOut());
    assertEquals(10, r.failed());
    assertEquals(Map.of("ok", 5L, "non-finite", 3L, "zero", 1L, "shape-error", 6L), r.statusCounts(),
        "the tasks' per-status counts, as the rows below hold them");

    Map<Integer, Row> bySubcarrier = new HashMap<>();
    for (Row m : spark.read().parquet(settings(out).output().paths().metrics()).collectAsList()) {
      bySubcarrier.put(m.getAs("subcarrier"), m);
    }
    String[] expected = {"ok", "non-finite", "zero", "ok", "shape-error", "shape-error", "shape-error",
        "shape-error", "non-finite", "non-finite", "ok", "ok", "ok", "shape-error", "shape-error"};
    for (int k = 0; k < expected.length; k++) {
      Row m = bySubcarrier.get(k);
      assertEquals(expected[k], m.getAs("status"), "subcarrier " + k);
      assertEquals(7L, m.<Long>getAs("link"), "key columns keep their type and value");
      assertEquals("lab-" + k, m.getAs("scenario"), "extra columns are kept as keys");
      assertEquals(3, m.getList(m.fieldIndex("snr_db")).size(), "the SNR grid is on every row");
      if (!expected[k].equals("ok")) {
        for (Metric metric : Metric.values()) {
          assertTrue(m.isNullAt(m.fieldIndex(metric.column())), metric + " of a " + expected[k] + " row is null");
        }
      }
    }
    assertEquals(2, bySubcarrier.get(10).getList(bySubcarrier.get(10).fieldIndex("singular_values")).size());
    assertNull(bySubcarrier.get(11).getAs("zf_mse"), "a wide channel has no zero-forcing error");
    Row rankOne = bySubcarrier.get(3);
    assertEquals(1, rankOne.<Integer>getAs("rank"), "[[1, 2], [2, 4]] has rank one");
    assertEquals(Double.POSITIVE_INFINITY, rankOne.<Double>getAs("cond_db"));
    assertNull(rankOne.getAs("rate_zf"), "no zero-forcing of a rank-one channel");
    // σ_1² = ‖H‖_F² = 25: capacity log2(1 + ρ·25/2).
    assertEquals(Math.log1p(25 / 2.0) / Math.log(2), rankOne.<Double>getList(rankOne.fieldIndex("capacity")).get(0), 1e-12);
    assertTrue(bySubcarrier.get(11).getAs("capacity") != null);

    Jobs.summarize(spark, settings(out));
    long failed = 0;
    long matrices = 0;
    for (Row s : spark.read().parquet(settings(out).output().paths().summary()).filter("snr_db = 0").collectAsList()) {
      failed += s.<Long>getAs("failed");
      matrices += s.<Long>getAs("matrices");
    }
    assertEquals(15, matrices, "the summary counts every row");
    assertEquals(10, failed, "and every failed one");
  }

  @Test
  void narrowIntegerKeysAndSinglePrecisionEntriesAreReadWithTheirOwnTypes() {
    StructType narrow = new StructType()
        .add("link", DataTypes.ByteType)
        .add("slot", DataTypes.ShortType)
        .add("subcarrier", DataTypes.LongType)
        .add("rows", DataTypes.ShortType)
        .add("cols", DataTypes.ByteType)
        .add("re", DataTypes.createArrayType(DataTypes.FloatType, false))
        .add("im", DataTypes.createArrayType(DataTypes.FloatType, false));
    // Row-major diag(3, 1) and diag(3, 2i): singular values (3, 1) and (3, 2).
    long big = 5_000_000_000L; // beyond int: the long key must not be read as an int
    List<Row> rows = List.of(
        RowFactory.create((byte) 1, (short) 300, big, (short) 2, (byte) 2, List.of(3f, 0f, 0f, 1f),
            List.of(0f, 0f, 0f, 0f)),
        RowFactory.create((byte) 2, (short) 301, big + 1, (short) 2, (byte) 2, List.of(3f, 0f, 0f, 0f),
            List.of(0f, 0f, 0f, 2f)));
    String out = write("narrow", rows, narrow);
    AnalyzeJob.Result r = Jobs.analyze(spark, settings(out));
    assertEquals(Map.of("ok", 2L), r.statusCounts());
    Map<Long, Row> bySubcarrier = new HashMap<>();
    for (Row m : spark.read().parquet(settings(out).output().paths().metrics()).collectAsList()) {
      bySubcarrier.put(m.getAs("subcarrier"), m);
    }
    for (int k = 0; k < 2; k++) {
      Row m = bySubcarrier.get(big + k);
      assertEquals((byte) (1 + k), (Byte) m.getAs("link"), "a byte key stays a byte");
      assertEquals((short) (300 + k), (Short) m.getAs("slot"), "a short key stays a short");
      List<Double> sv = m.getList(m.fieldIndex("singular_values"));
      assertEquals(3, sv.get(0), 1e-6);
      assertEquals(1 + k, sv.get(1), 1e-6);
    }
  }

  @Test
  void emptyInputGivesEmptyOutputs() {
    String out = write("empty", List.of(), SCHEMA);
    AnalyzeJob.Result r = Jobs.analyze(spark, settings(out));
    assertEquals(0, r.rowsOut());
    assertEquals(0, Jobs.summarize(spark, settings(out)).rows());
  }

  @Test
  void missingAndMistypedColumnsAreNamed() {
    StructType noIm = new StructType(Arrays.stream(SCHEMA.fields()).filter(f -> !f.name().equals("im"))
        .toArray(org.apache.spark.sql.types.StructField[]::new));
    String out = dir.resolve("no-im").toString();
    spark.createDataFrame(List.<Row>of(), noIm).write().parquet(settings(out).output().paths().channels());
    String m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out))).getMessage();
    assertTrue(m.contains("'im'") && m.contains("channels"), m);

    StructType stringRe = new StructType().add("link", DataTypes.IntegerType).add("slot", DataTypes.IntegerType)
        .add("subcarrier", DataTypes.IntegerType).add("rows", DataTypes.IntegerType).add("cols", DataTypes.IntegerType)
        .add("re", DataTypes.StringType).add("im", DataTypes.createArrayType(DataTypes.DoubleType));
    String out2 = dir.resolve("string-re").toString();
    spark.createDataFrame(List.<Row>of(), stringRe).write().parquet(settings(out2).output().paths().channels());
    m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out2))).getMessage();
    assertTrue(m.contains("'re'") && m.contains("array<double> or array<float>") && m.contains("string"), m);

    StructType textLink = new StructType(Arrays.stream(SCHEMA.fields())
        .map(f -> f.name().equals("slot") ? DataTypes.createStructField("slot", DataTypes.StringType, true) : f)
        .toArray(org.apache.spark.sql.types.StructField[]::new));
    String out3 = dir.resolve("text-slot").toString();
    spark.createDataFrame(List.<Row>of(), textLink).write().parquet(settings(out3).output().paths().channels());
    m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out3))).getMessage();
    assertTrue(m.contains("'slot'") && m.contains("integer"), m);
  }

  @Test
  void aFileThatIsNotParquetIsNamed() throws java.io.IOException {
    String out = write("garbage", List.of(row(0, 2, 2, values(1, 0, 0, 1), values(0, 0, 0, 0))), SCHEMA);
    Path bad = Path.of(settings(out).output().paths().channels(), "part-99999-from-elsewhere.parquet");
    java.nio.file.Files.writeString(bad, "not parquet at all");
    String m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out))).getMessage();
    assertTrue(m.contains(bad.getFileName().toString()) && m.contains("not a readable Parquet file"), m);
  }

  @Test
  void inputColumnsNamedLikeMetricsAreRejected() {
    StructType withStatus = SCHEMA.add("status", DataTypes.StringType);
    String out = dir.resolve("status-column").toString();
    spark.createDataFrame(List.<Row>of(), withStatus).write().parquet(settings(out).output().paths().channels());
    String m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out))).getMessage();
    assertTrue(m.contains("'status'") && m.contains("rename"), m);
  }

  @Test
  void missingDatasetsAndUnknownGroupKeysAreReported() {
    String out = dir.resolve("nothing").toString();
    String m = assertThrows(InputException.class, () -> Jobs.analyze(spark, settings(out))).getMessage();
    assertTrue(m.contains(settings(out).output().paths().channels()), m);
    m = assertThrows(InputException.class, () -> Jobs.summarize(spark, settings(out))).getMessage();
    assertTrue(m.contains(settings(out).output().paths().metrics()), m);

    String small = write("small", List.of(row(0, 2, 2, values(1, 0, 0, 1), values(0, 0, 0, 0))), SCHEMA);
    Jobs.analyze(spark, settings(small));
    m = assertThrows(SettingsException.class,
        () -> Jobs.summarize(spark, settings(small, "summary.group-by=[antenna]"))).getMessage();
    assertTrue(m.startsWith("summary.group-by:") && m.contains("'antenna'") && m.contains("scenario"), m);
    m = assertThrows(SettingsException.class,
        () -> Jobs.summarize(spark, settings(small, "summary.group-by=[capacity]"))).getMessage();
    assertTrue(m.startsWith("summary.group-by:") && m.contains("metric"), m);
    m = assertThrows(SettingsException.class,
        () -> Jobs.summarize(spark, settings(small, "summary.group-by=[snr_db]"))).getMessage();
    assertTrue(m.startsWith("summary.group-by:") && m.contains("always grouped"), m);
  }
}
