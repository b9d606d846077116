package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.SparkTestBase;

/**
 * The flat writer against Spark's own: the same rows read back, the same Parquet schema, Spark
 * metadata, codec and statistics in the footers, for every type it takes (nulls, empty lists, null
 * elements, NaN and infinities, non-ASCII strings), across row groups, and Spark's writer for what
 * it does not take.
 */
class FlatParquetFormatTest extends SparkTestBase {
  @TempDir
  Path dir;

  /** Every column kind the flat writer takes, nullable and not, with the awkward values. */
  private static Dataset<Row> flatRows(long n) {
    return spark.range(n).selectExpr(
        "id",
        "cast(id as int) as i",
        "cast(id % 100 - 50 as short) as s",
        "cast(id % 7 - 3 as byte) as b",
        "case when id % 5 = 0 then null when id % 5 = 1 then double('NaN') when id % 5 = 2 then double('-Infinity')"
            + " else id * 1.5 end as d",
        "cast(id as float) / 3 as f",
        "id % 2 = 0 as flag",
        "case when id % 3 = 0 then null when id % 3 = 1 then '' else concat('row ', id, ' σ²') end as str",
        "case when id % 4 = 0 then null when id % 4 = 1 then cast(array() as array<double>)"
            + " else transform(sequence(0, cast(id % 9 as int)), k -> k * 0.25 + id) end as doubles",
        "array(id * 1.0, id * 2.0, double('NaN')) as required_doubles",
        "case when id % 6 = 0 then null else array(cast(id as int), null, -1) end as ints_with_nulls",
        "array(id, -id) as longs",
        "array(cast(id as float), cast(null as float)) as floats",
        "array(id % 2 = 0, null) as flags",
        "array(cast(-id % 30000 as short), null, cast(7 as short)) as shorts",
        "case when id % 3 = 0 then null else array(cast(id % 100 - 50 as byte), cast(-128 as byte)) end as bytes",
        "case when id % 2 = 0 then array('a', null, concat('id', id)) else cast(array() as array<string>) end as strs");
  }

  @Test
  void flatRowsReadBackAsSparksWriterWritesThem() throws IOException {
    Dataset<Row> data = flatRows(3000).coalesce(1);
    long started = FlatParquetWriter.STARTED.get();
    String flat = write(data, FlatParquetFormat.class.getName(), Map.of());
    assertEquals(started + 1, FlatParquetWriter.STARTED.get(), "written by the flat writer");
    String reference = write(data, "parquet", Map.of());

    assertSameRows(reference, flat);
    ParquetMetadata f = footer(flat);
    ParquetMetadata r = footer(reference);
    assertEquals(r.getFileMetaData().getSchema(), f.getFileMetaData().getSchema());
    assertEquals(r.getFileMetaData().getKeyValueMetaData(), f.getFileMetaData().getKeyValueMetaData());
    ColumnChunkMetaData fd = column(f, "d");
    ColumnChunkMetaData rd = column(r, "d");
    assertEquals(rd.getCodec(), fd.getCodec());
    assertEquals(rd.getStatistics(), fd.getStatistics(), "min, max and null count of a double column");
    assertEquals(column(r, "str").getStatistics(), column(f, "str").getStatistics());
    assertEquals(column(r, "s").getStatistics(), column(f, "s").getStatistics(), "negative shorts, as shorts");
    assertEquals(column(r, "b").getStatistics(), column(f, "b").getStatistics(), "negative bytes, as bytes");
    assertEquals(column(r, "doubles", "list", "element").getValueCount(),
        column(f, "doubles", "list", "element").getValueCount(), "the same levels, value for value");
    assertTrue(new File(flat).list((d, name) -> name.endsWith(".snappy.parquet")).length > 0);
  }

  @Test
  void rowGroupsAreCutAtTheConfiguredSize() throws IOException {
    Dataset<Row> data = flatRows(10_000).coalesce(1);
    String flat = write(data, FlatParquetFormat.class.getName(), Map.of("parquet.block.size", "65536"));
    String reference = write(data, "parquet", Map.of("parquet.block.size", "65536"));
    assertSameRows(reference, flat);
    List<BlockMetaData> groups = footer(flat).getBlocks();
    assertTrue(groups.size() > 3, groups.size() + " row groups");
    long rows = 0;
    for (BlockMetaData g : groups) {
      rows += g.getRowCount();
      assertTrue(g.getTotalByteSize() < 2 * 65536, "row group of " + g.getTotalByteSize() + " bytes");
    }
    assertEquals(10_000, rows);
  }

  @Test
  void statisticsSwitchedOffPerColumnAsParquetMrsWriterDoes() throws IOException {
    Dataset<Row> data = flatRows(2000).coalesce(1);
    Map<String, String> off = Map.of("parquet.column.statistics.enabled#d", "false",
        "parquet.column.statistics.enabled#doubles.list.element", "false");
    long started = FlatParquetWriter.STARTED.get();
    String flat = write(data, FlatParquetFormat.class.getName(), off);
    assertEquals(started + 1, FlatParquetWriter.STARTED.get(), "written by the flat writer");
    String reference = write(data, "parquet", off);
    assertSameRows(reference, flat);
    ParquetMetadata f = footer(flat);
    ParquetMetadata r = footer(reference);
    for (String[] path : new String[][] {{"d"}, {"doubles", "list", "element"}}) {
      assertTrue(!column(f, path).getStatistics().hasNonNullValue(), String.join(".", path) + " has no min/max");
      assertEquals(column(r, path).getStatistics(), column(f, path).getStatistics(), "as Spark's writer leaves it");
    }
    assertTrue(column(f, "i").getStatistics().hasNonNullValue(), "the other columns keep theirs");
    assertEquals(column(r, "required_doubles", "list", "element").getStatistics(),
        column(f, "required_doubles", "list", "element").getStatistics());
  }

  @Test
  void numbersWrittenAsPlainPagesMatchSparksWriter() throws IOException {
    Dataset<Row> data = flatRows(6000).coalesce(1);
    // Many small pages and several row groups; statistics off for a scalar and a list, as for metric values.
    Map<String, String> options = Map.of("parquet.enable.dictionary", "false", "parquet.page.size", "2048",
        "parquet.page.row.count.limit", "700", "parquet.block.size", "65536",
        "parquet.column.statistics.enabled#required_doubles.list.element", "false",
        "parquet.column.statistics.enabled#f", "false");
    long pages = PlainColumn.PAGES_WRITTEN.get();
    String flat = write(data, FlatParquetFormat.class.getName(), options);
    assertTrue(PlainColumn.PAGES_WRITTEN.get() - pages > 11 * 10, "pages written as plain pages");
    String reference = write(data, "parquet", options);
    assertSameRows(reference, flat);
    // And through parquet-mr's record reader, whose level decoder is not Spark's vectorized one.
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    try {
      assertSameRows(reference, flat);
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
    }

    ParquetMetadata f = footer(flat);
    ParquetMetadata r = footer(reference);
    assertTrue(f.getBlocks().size() > 2, f.getBlocks().size() + " row groups");
    for (ColumnDescriptor leaf : f.getFileMetaData().getSchema().getColumns()) {
      // Levels, min, max, null count, level histograms and encodings over the row groups, for the
      // plain columns and those parquet-mr's writers write beside them (booleans, strings).
      String[] path = leaf.getPath();
      assertEquals(total(r, path), total(f, path), String.join(".", path));
    }
    assertPagesIndexed(flat, "doubles.list.element", true);
    assertPagesIndexed(flat, "required_doubles.list.element", false);
    assertPagesIndexed(flat, "i", true);
    assertPagesIndexed(flat, "id", true);
  }

  @Test
  void theWriterBenchWritesWithTheSchemaTheDatasetWasWrittenWithAndLeavesNothing() {
    // Required columns and lists of required elements, which a read would turn nullable.
    Dataset<Row> data = spark.range(3000).selectExpr("id", "array(cast(id as double), id * 0.5d) as values",
        "cast(id as int) as i");
    StructType required = new StructType().add("id", DataTypes.LongType, false)
        .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("i", DataTypes.IntegerType, true);
    String dataset = write(spark.createDataFrame(data.collectAsList(), required).coalesce(1), "parquet", Map.of());
    // The schema the bench writes with: the footer's, as written.
    assertEquals(required, ParquetFooters.schema(spark, dataset).orElseThrow());
    assertTrue(spark.read().parquet(dataset).schema().fields()[0].nullable(), "what a read makes of it");
    String scratch = dir.resolve("writer-bench").toString();
    long started = FlatParquetWriter.STARTED.get();
    long pages = PlainColumn.PAGES_WRITTEN.get();
    WriterBench.Rates rates = WriterBench.time(spark, dataset, List.of("values"), 2000, 3, scratch);
    assertEquals(2000, rates.rows(), "the first rows, held in memory");
    assertEquals(started + 3, FlatParquetWriter.STARTED.get(), "one flat file per pass, Spark's writer for the others");
    assertEquals(3 * 3, PlainColumn.PAGES_WRITTEN.get() - pages, "a page of each column per pass");
    assertTrue(rates.flat() > 0 && rates.spark() > 0, rates.toString());
    String[] left = new File(scratch).list();
    assertTrue(left == null || left.length == 0, "left behind: " + (left == null ? "" : String.join(", ", left)));
  }

  @Test
  void settingsTheFlatWriterDoesNotApplyGoToSparksWriter() throws IOException {
    Dataset<Row> data = flatRows(500).coalesce(1);
    long started = FlatParquetWriter.STARTED.get();
    String bloom = write(data, FlatParquetFormat.class.getName(), Map.of("parquet.bloom.filter.enabled#id", "true"));
    assertEquals(started, FlatParquetWriter.STARTED.get(), "Spark's writer took it");
    assertTrue(column(footer(bloom), "id").getBloomFilterOffset() >= 0, "with the bloom filter asked for");
    assertSameRows(write(data, "parquet", Map.of()), bloom);
  }

  @Test
  void aRowTheWriterRefusesAbortsTheFile() throws IOException {
    // With the dictionary the list goes through parquet-mr's column writer, without it into plain pages.
    for (boolean dictionary : new boolean[] {true, false}) {
      StructType schema = new StructType().add("id", DataTypes.LongType, false)
          .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
      Job job = Job.getInstance(spark.sparkContext().hadoopConfiguration());
      OutputWriterFactory factory = new FlatParquetFormat().prepareWrite(spark, job,
          scala.collection.immutable.Map$.MODULE$.<String, String>empty(), schema);
      job.getConfiguration().setBoolean("parquet.enable.dictionary", dictionary);
      String path = dir.resolve("refused-" + dictionary + ".parquet").toString();
      OutputWriter writer = factory.newInstance(path, schema,
          new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID()));
      assertTrue(writer instanceof FlatParquetWriter, writer.getClass().getName());
      writer.write(new GenericInternalRow(new Object[] {1L, UnsafeArrayData.fromPrimitiveArray(new double[] {1, 2})}));
      InternalRow bad = new GenericInternalRow(new Object[] {2L, new GenericArrayData(new Object[] {3.0, null})});
      String m = assertThrows(IllegalStateException.class, () -> writer.write(bad)).getMessage();
      assertTrue(m.contains("null element in column 'values'"), m);
      assertThrows(IllegalStateException.class, () -> writer.write(bad), "nothing more goes into an aborted file");
      writer.close();
      // The stream is closed without a row group or a footer: no reader takes the half row as data.
      assertThrows(InputException.class, () -> ParquetFooters.rowCount(spark, new String[] {path}));

      OutputWriter second = factory.newInstance(path + "-null", schema,
          new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID()));
      InternalRow nullList = new GenericInternalRow(new Object[] {3L, null});
      m = assertThrows(IllegalStateException.class, () -> second.write(nullList)).getMessage();
      assertTrue(m.contains("null in the non-nullable column 'values'"), m);
      second.close();
    }
  }

  @Test
  void otherSchemasAndTheLegacyLayoutGoThroughSparksWriter() throws IOException {
    Dataset<Row> nested = spark.range(50).selectExpr("id", "named_struct('x', id, 'y', cast(id as double)) as point",
        "map('k', id) as m", "timestamp_seconds(id) as t", "array(array(id)) as nested");
    assertSameRows(write(nested, "parquet", Map.of()), write(nested, FlatParquetFormat.class.getName(), Map.of()));

    spark.conf().set(FlatParquetFormat.LEGACY_FORMAT, "true");
    try {
      Dataset<Row> data = flatRows(100);
      String flat = write(data, FlatParquetFormat.class.getName(), Map.of());
      String reference = write(data, "parquet", Map.of());
      assertSameRows(reference, flat);
      MessageType legacy = footer(flat).getFileMetaData().getSchema();
      assertEquals(footer(reference).getFileMetaData().getSchema(), legacy);
      assertTrue(legacy.toString().contains("group bag"), "Spark's legacy list layout: " + legacy);
    } finally {
      spark.conf().unset(FlatParquetFormat.LEGACY_FORMAT);
    }
  }

  private int written;

  private String write(Dataset<Row> data, String format, Map<String, String> options) {
    String path = dir.resolve("out-" + written++).toString();
    data.write().format(format).options(options).save(path);
    return path;
  }

  private static void assertSameRows(String expected, String actual) {
    List<Row> e = spark.read().parquet(expected).orderBy("id").collectAsList();
    List<Row> a = spark.read().parquet(actual).orderBy("id").collectAsList();
    assertEquals(spark.read().parquet(expected).schema(), spark.read().parquet(actual).schema());
    assertEquals(e.size(), a.size());
    for (int k = 0; k < e.size(); k++) {
      // As text: Scala's sequence equality says NaN != NaN; Java prints every double and float exactly.
      assertEquals(e.get(k).toString(), a.get(k).toString(), "row " + k);
    }
  }

  /** The footer of the dataset's largest file. */
  private static ParquetMetadata footer(String dataset) throws IOException {
    File largest = null;
    for (File f : new File(dataset).listFiles((d, name) -> name.endsWith(".parquet"))) {
      if (largest == null || f.length() > largest.length()) {
        largest = f;
      }
    }
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(largest.toURI()), new Configuration()))) {
      return reader.getFooter();
    }
  }

  /** A column over all row groups of a file: levels, statistics, level histograms, encodings. */
  private record Totals(long levels, Statistics<?> statistics, List<Long> repetition, List<Long> definition,
      Set<Encoding> encodings) {}

  private static Totals total(ParquetMetadata footer, String... path) {
    Statistics<?> statistics = Statistics.getBuilderForReading(column(footer, path).getPrimitiveType()).build();
    SizeStatistics sizes = null;
    long levels = 0;
    Set<Encoding> encodings = new HashSet<>();
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData c : block.getColumns()) {
        if (c.getPath().toDotString().equals(String.join(".", path))) {
          statistics.mergeStatistics(c.getStatistics());
          if (sizes == null) {
            sizes = c.getSizeStatistics().copy();
          } else {
            sizes.mergeStatistics(c.getSizeStatistics());
          }
          levels += c.getValueCount();
          encodings.addAll(c.getEncodings());
        }
      }
    }
    return new Totals(levels, statistics, sizes.getRepetitionLevelHistogram(), sizes.getDefinitionLevelHistogram(),
        encodings);
  }

  /**
   * Every row group of the dataset's largest file has several pages of the column, its offset index
   * counts every row, and its column index holds the pages' min and max where statistics are on.
   */
  private static void assertPagesIndexed(String dataset, String column, boolean withStatistics) throws IOException {
    File largest = null;
    for (File f : new File(dataset).listFiles((d, name) -> name.endsWith(".parquet"))) {
      largest = largest == null || f.length() > largest.length() ? f : largest;
    }
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(largest.toURI()), new Configuration()))) {
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        ColumnChunkMetaData chunk = null;
        for (ColumnChunkMetaData c : block.getColumns()) {
          chunk = c.getPath().toDotString().equals(column) ? c : chunk;
        }
        OffsetIndex pages = reader.readOffsetIndex(chunk);
        assertTrue(pages.getPageCount() > 1 || block.getRowCount() < 100, pages.getPageCount() + " pages");
        long rows = 0;
        for (int p = 0; p < pages.getPageCount(); p++) {
          assertEquals(rows, pages.getFirstRowIndex(p), "page " + p + " starts on the next row");
          rows = pages.getLastRowIndex(p, block.getRowCount()) + 1;
        }
        assertEquals(block.getRowCount(), rows, "the pages hold every row of the group");
        ColumnIndex index = reader.readColumnIndex(chunk);
        if (withStatistics) {
          assertEquals(pages.getPageCount(), index.getMinValues().size(), "a min and max per page");
        } else {
          assertTrue(index == null, "no column index without statistics");
        }
      }
    }
  }

  private static ColumnChunkMetaData column(ParquetMetadata footer, String... path) {
    List<ColumnChunkMetaData> found = new ArrayList<>();
    for (ColumnChunkMetaData c : footer.getBlocks().get(0).getColumns()) {
      if (c.getPath().toDotString().equals(String.join(".", path))) {
        found.add(c);
      }
    }
    assertEquals(1, found.size(), String.join(".", path));
    return found.get(0);
  }
}
