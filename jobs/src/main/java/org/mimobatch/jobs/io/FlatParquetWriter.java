package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.codec.CodecConfig;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One Parquet file of a flat schema ({@link FlatParquetFormat}), written row by row and cut into
 * row groups as parquet-mr's own record writer does: at {@code parquet.block.size} of buffered data
 * or {@code parquet.block.row.count.limit} rows. Numbers and lists of numbers go straight into
 * pages ({@link PlainColumn}) when written without dictionary in V1 pages (as mimobatch writes its
 * datasets); strings, booleans, and any column under other settings go through parquet-mr's
 * column writers.
 */
final class FlatParquetWriter extends OutputWriter {
  /** The footer keys Spark's writer sets: its version, and the Spark schema its reader restores. */
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  /** Files this JVM's flat writers have started (tests check that the flat path was taken). */
  static final java.util.concurrent.atomic.AtomicLong STARTED = new java.util.concurrent.atomic.AtomicLong();

  private final String path;
  private final MessageType schema;
  private final ParquetProperties properties;
  private final CodecFactory codecs;
  private final BytesInputCompressor compressor;
  private final ParquetFileWriter file;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  private final FlatColumn[] fields;
  private final StructType sparkSchema;
  /** The columns written through parquet-mr's column writers (null when all are plain). */
  private final MessageType writerSchema;
  private final PlainColumn[] plainColumns;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore columns;
  private long nextRowGroupBytes;
  private long rows;
  private long nextSizeCheck;
  private boolean aborted;
  private boolean closed;

  FlatParquetWriter(String path, StructType dataSchema, TaskAttemptContext context) {
    Configuration conf = context.getConfiguration();
    this.path = path;
    this.sparkSchema = dataSchema;
    this.schema = new SparkToParquetSchemaConverter(conf).convert(dataSchema);
    ParquetProperties.Builder builder = ParquetProperties.builder()
        .withPageSize(ParquetOutputFormat.getPageSize(conf))
        .withDictionaryPageSize(ParquetOutputFormat.getDictionaryPageSize(conf))
        .withDictionaryEncoding(ParquetOutputFormat.getEnableDictionary(conf))
        .withWriterVersion(ParquetOutputFormat.getWriterVersion(conf))
        .withMinRowCountForPageSizeCheck(ParquetOutputFormat.getMinRowCountForPageSizeCheck(conf))
        .withMaxRowCountForPageSizeCheck(ParquetOutputFormat.getMaxRowCountForPageSizeCheck(conf))
        .estimateRowCountForPageSizeCheck(ParquetOutputFormat.getEstimatePageSizeCheck(conf))
        .withPageRowCountLimit(conf.getInt(ParquetOutputFormat.PAGE_ROW_COUNT_LIMIT,
            ParquetProperties.DEFAULT_PAGE_ROW_COUNT_LIMIT))
        .withRowGroupRowCountLimit(conf.getInt(ParquetOutputFormat.BLOCK_ROW_COUNT_LIMIT,
            ParquetProperties.DEFAULT_ROW_GROUP_ROW_COUNT_LIMIT))
        .withColumnIndexTruncateLength(conf.getInt(ParquetOutputFormat.COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH))
        .withStatisticsTruncateLength(conf.getInt(ParquetOutputFormat.STATISTICS_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH))
        .withPageWriteChecksumEnabled(conf.getBoolean(ParquetOutputFormat.PAGE_WRITE_CHECKSUM_ENABLED,
            ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED))
        .withPageValueCountThreshold(ParquetOutputFormat.getValueCountThreshold(conf));
    if (conf.get(ParquetOutputFormat.STATISTICS_ENABLED) != null) {
      builder.withStatisticsEnabled(conf.getBoolean(ParquetOutputFormat.STATISTICS_ENABLED, true));
    }
    if (conf.get(ParquetOutputFormat.SIZE_STATISTICS_ENABLED) != null) {
      builder.withSizeStatisticsEnabled(conf.getBoolean(ParquetOutputFormat.SIZE_STATISTICS_ENABLED, true));
    }
    // Per-column statistics switches (key#column.path), as parquet-mr's record writer reads them;
    // its other per-column keys send the write to Spark's writer (FlatParquetFormat).
    for (ColumnDescriptor column : schema.getColumns()) {
      String dotted = String.join(".", column.getPath());
      String statistics = ParquetOutputFormat.STATISTICS_ENABLED + "#" + dotted;
      if (conf.get(statistics) != null) {
        builder.withStatisticsEnabled(dotted, conf.getBoolean(statistics, true));
      }
    }
    this.properties = builder.build();
    this.rowGroupBytes = ParquetOutputFormat.getLongBlockSize(conf);
    this.metadata = Map.of(SPARK_VERSION_KEY, org.apache.spark.package$.MODULE$.SPARK_VERSION_SHORT(),
        SPARK_SCHEMA_KEY, conf.get(ParquetWriteSupport.SPARK_ROW_SCHEMA(), dataSchema.json()));
    this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(CodecConfig.from(context).getCodec());
    this.fields = new FlatColumn[dataSchema.size()];
    List<ColumnDescriptor> leaves = schema.getColumns();
    List<Type> throughWriters = new ArrayList<>();
    List<PlainColumn> plain = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      // A flat schema has one leaf column per field, in field order.
      StructField field = dataSchema.fields()[i];
      if (PlainColumn.applies(field, leaves.get(i), properties)) {
        PlainColumn column = new PlainColumn(field, leaves.get(i), properties);
        fields[i] = column;
        plain.add(column);
      } else {
        throughWriters.add(schema.getType(i));
      }
    }
    this.plainColumns = plain.toArray(new PlainColumn[0]);
    this.writerSchema = throughWriters.isEmpty() ? null : new MessageType(schema.getName(), throughWriters);
    ParquetFileWriter created = null;
    try {
      created = new ParquetFileWriter(HadoopOutputFile.fromPath(new Path(path), conf), schema,
          ParquetFileWriter.Mode.CREATE, rowGroupBytes, conf.getInt(ParquetOutputFormat.MAX_PADDING_BYTES,
          ParquetWriter.MAX_PADDING_SIZE_DEFAULT), null, properties);
      created.start();
      STARTED.incrementAndGet();
      this.file = created;
      this.nextRowGroupBytes = rowGroupBytes;
      startRowGroup();
    } catch (IOException | RuntimeException e) {
      closeQuietly(created);
      codecs.release();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot create " + path, io);
      }
      throw (RuntimeException) e;
    }
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(),
        properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
    // parquet-mr's store over the other columns only: at the end of the row group it refuses a
    // column it was given no value of ("writing empty page").
    columns = writerSchema == null ? null : properties.newColumnWriteStore(writerSchema, pages, pages);
    List<ColumnDescriptor> descriptors = schema.getColumns();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] instanceof PlainColumn plain) {
        plain.startChunk(pages.getPageWriter(descriptors.get(i)));
      } else {
        fields[i] = FlatColumn.of(sparkSchema.fields()[i], columns.getColumnWriter(descriptors.get(i)));
      }
    }
    rows = 0;
    nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
  }

  @Override
  public void write(InternalRow row) {
    if (aborted) {
      throw new IllegalStateException(path + " was aborted by an earlier failure");
    }
    try {
      for (int i = 0; i < fields.length; i++) {
        fields[i].write(row, i);
      }
      if (columns != null) {
        columns.endRecord();
      }
      rows++;
      if (rows >= properties.getRowGroupRowCountLimit()) {
        nextRowGroup();
      } else if (rows >= nextSizeCheck) {
        long buffered = bufferedSize();
        long perRow = Math.max(1, buffered / rows);
        if (buffered > nextRowGroupBytes - 2 * perRow) {
          nextRowGroup();
        } else {
          // Halfway to the estimated end of the group, as parquet-mr checks.
          nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(),
              (rows + nextRowGroupBytes / perRow) / 2), rows + properties.getMaxRowCountForPageSizeCheck());
        }
      }
    } catch (RuntimeException | Error e) {
      // Part of a row may be in the columns: nothing more of this file is written (Spark deletes it).
      aborted = true;
      throw e;
    }
  }

  private long bufferedSize() {
    long buffered = columns == null ? 0 : columns.getBufferedSize();
    for (PlainColumn plain : plainColumns) {
      buffered += plain.bufferedSize();
    }
    return buffered;
  }

  private void nextRowGroup() {
    try {
      endRowGroup();
      // What is left of the block when row groups are aligned to file-system blocks (padding).
      nextRowGroupBytes = Math.min(file.getNextRowGroupSize(), rowGroupBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a row group of " + path, e);
    }
    startRowGroup();
  }

  private void endRowGroup() throws IOException {
    try {
      if (rows > 0) {
        file.startBlock(rows);
        if (columns != null) {
          columns.flush();
        }
        for (PlainColumn plain : plainColumns) {
          plain.flush();
        }
        pages.flushToFileWriter(file);
        file.endBlock();
      }
    } finally {
      releaseRowGroup();
    }
  }

  private void releaseRowGroup() {
    try {
      if (columns != null) {
        columns.close();
      }
    } finally {
      columns = null;
      if (pages != null) {
        pages.close();
      }
      pages = null;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (aborted) {
        // Only the stream is closed: no half row group, no footer.
        releaseRowGroup();
        file.close();
      } else {
        endRowGroup();
        file.end(metadata);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + path, e);
    } finally {
      closeQuietly(file);
      codecs.release();
    }
  }

  private static void closeQuietly(ParquetFileWriter writer) {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // Already closed, or failing: the file is deleted by Spark's abort either way.
      }
    }
  }

  @Override
  public String path() {
    return path;
  }
}
