package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.parquet.ParquetWriteSupport;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.types.StructType;

/**
 * One Parquet file of a flat schema ({@link FlatParquetFormat}), written row by row into
 * parquet-mr's column writers and cut into row groups as parquet-mr's own record writer does: at
 * {@code parquet.block.size} of buffered data or {@code parquet.block.row.count.limit} rows.
 */
final class FlatParquetWriter extends OutputWriter {
  /** The footer keys Spark's writer sets: its version, and the Spark schema its reader restores. */
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

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
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore columns;
  private long rows;
  private long nextSizeCheck;
  private boolean closed;

  FlatParquetWriter(String path, StructType dataSchema, TaskAttemptContext context) {
    Configuration conf = context.getConfiguration();
    this.path = path;
    this.sparkSchema = dataSchema;
    this.schema = new SparkToParquetSchemaConverter(conf).convert(dataSchema);
    this.properties = ParquetProperties.builder()
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
        .build();
    this.rowGroupBytes = ParquetOutputFormat.getLongBlockSize(conf);
    this.metadata = Map.of(SPARK_VERSION_KEY, org.apache.spark.package$.MODULE$.SPARK_VERSION_SHORT(),
        SPARK_SCHEMA_KEY, conf.get(ParquetWriteSupport.SPARK_ROW_SCHEMA(), dataSchema.json()));
    this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(CodecConfig.from(context).getCodec());
    try {
      this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(new Path(path), conf), schema,
          ParquetFileWriter.Mode.CREATE, rowGroupBytes, conf.getInt(ParquetOutputFormat.MAX_PADDING_BYTES,
          ParquetWriter.MAX_PADDING_SIZE_DEFAULT), null, properties);
      file.start();
    } catch (IOException e) {
      codecs.release();
      throw new UncheckedIOException("cannot create " + path, e);
    }
    this.fields = new FlatColumn[dataSchema.size()];
    startRowGroup();
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(),
        properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled());
    columns = properties.newColumnWriteStore(schema, pages, pages);
    List<ColumnDescriptor> descriptors = schema.getColumns();
    for (int i = 0; i < fields.length; i++) {
      // A flat schema has one leaf column per field, in field order.
      fields[i] = FlatColumn.of(sparkSchema.fields()[i], columns.getColumnWriter(descriptors.get(i)));
    }
    rows = 0;
    nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
  }

  @Override
  public void write(InternalRow row) {
    for (int i = 0; i < fields.length; i++) {
      fields[i].write(row, i);
    }
    columns.endRecord();
    rows++;
    if (rows >= properties.getRowGroupRowCountLimit()) {
      endRowGroup();
      startRowGroup();
    } else if (rows >= nextSizeCheck) {
      long buffered = columns.getBufferedSize();
      long perRow = Math.max(1, buffered / rows);
      if (buffered > rowGroupBytes - 2 * perRow) {
        endRowGroup();
        startRowGroup();
      } else {
        // Halfway to the estimated end of the group, as parquet-mr checks.
        nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(),
            (rows + rowGroupBytes / perRow) / 2), rows + properties.getMaxRowCountForPageSizeCheck());
      }
    }
  }

  private void endRowGroup() {
    try {
      if (rows > 0) {
        file.startBlock(rows);
        columns.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a row group of " + path, e);
    } finally {
      columns.close();
      pages.close();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      endRowGroup();
      file.end(metadata);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish " + path, e);
    } finally {
      codecs.release();
    }
  }

  @Override
  public String path() {
    return path;
  }
}
