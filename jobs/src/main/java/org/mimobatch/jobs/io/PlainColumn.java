package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * A column of fixed-width numbers, or of lists of them, written straight into V1 data pages.
 * parquet-mr's column writer takes one value at a time and encodes its levels as they come, one
 * encoder call per level and two levels per list element, which cost more than the values
 * themselves (a metrics row of an 8×8 matrix holds 28 list elements and 10 numbers). Here a row's
 * levels are filled into two arrays in bulk and encoded a page at a time ({@link LevelEncoder});
 * the values are appended in PLAIN encoding.
 *
 * <p>The pages are what parquet-mr writes for such a column without dictionary or bloom filter:
 * RLE levels (none where the column's maximum level is 0, reported as BIT_PACKED as parquet-mr
 * does), PLAIN values, the same page statistics, size statistics, null counts and row counts,
 * handed to the same page writer, which compresses them and builds the column and offset indexes.
 * A page ends on a row boundary when its bytes near the page size, or at the page's row or value
 * limit. Its size is checked after every row against an upper bound of parquet-mr's count (levels
 * bit-packed at worst), where parquet-mr checks its encoders' sizes every hundred rows or more: the
 * page boundaries, and so the per-page statistics and index entries, may differ from parquet-mr's,
 * and the row-count settings of that check do not apply here.
 */
final class PlainColumn extends FlatColumn {
  /** parquet-mr writes a page once less than this share of the page size is left. */
  private static final double PAGE_TOLERANCE = 0.1;
  /** Pages this JVM's plain columns have written (tests check that this path was taken). */
  static final AtomicLong PAGES_WRITTEN = new AtomicLong();

  private final ColumnDescriptor column;
  private final boolean list;
  private final int width;
  private final int emptyDefinition;
  private final int valueDefinition;
  private final boolean elementsNullable;
  private final int repetitionWidth;
  private final int definitionWidth;
  private final boolean statisticsEnabled;
  private final boolean sizeStatisticsEnabled;
  private final long pageBytesLimit;
  private final int pageRowLimit;
  private final int pageValueLimit;
  private final LevelEncoder repetitionEncoder = new LevelEncoder();
  private final LevelEncoder definitionEncoder = new LevelEncoder();

  private PageWriter pages;
  private byte[] repetition = new byte[4096];
  private byte[] definition = new byte[4096];
  /** Levels in the page: one per value, null, element, null element or empty list. */
  private int levels;
  private final PlainValues values;
  private int nulls;
  private int pageRows;

  /**
   * Whether {@code field}'s column is written this way under {@code properties}: fixed-width
   * numbers or lists of them, in V1 pages, without dictionary, bloom filter or byte-stream split.
   */
  static boolean applies(StructField field, ColumnDescriptor column, ParquetProperties properties) {
    Kind kind = valueKind(field);
    return kind != null && widthOf(kind) > 0
        && properties.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0
        && !properties.isDictionaryEnabled(column) && !properties.isBloomFilterEnabled(column)
        && !properties.isByteStreamSplitEnabled(column);
  }

  PlainColumn(StructField field, ColumnDescriptor column, ParquetProperties properties) {
    super(field, valueKind(field));
    if (!applies(field, column, properties)) {
      throw new IllegalArgumentException("column '" + name + "' holds no numbers written in plain V1 pages");
    }
    this.column = column;
    this.list = field.dataType() instanceof ArrayType;
    this.width = widthOf(kind);
    this.elementsNullable = list && ((ArrayType) field.dataType()).containsNull();
    this.valueDefinition = column.getMaxDefinitionLevel();
    this.emptyDefinition = list ? valueDefinition - 1 - (elementsNullable ? 1 : 0) : -1;
    // No levels at all where the maximum is 0 (parquet-mr's "dev null" level writer).
    this.repetitionWidth = column.getMaxRepetitionLevel() == 0 ? 0 : BytesUtils.getWidthFromMaxInt(column.getMaxRepetitionLevel());
    this.definitionWidth = valueDefinition == 0 ? 0 : BytesUtils.getWidthFromMaxInt(valueDefinition);
    this.statisticsEnabled = properties.getStatisticsEnabled(column);
    this.sizeStatisticsEnabled = properties.getSizeStatisticsEnabled(column);
    this.pageBytesLimit = properties.getPageSizeThreshold() - (long) (properties.getPageSizeThreshold() * PAGE_TOLERANCE);
    this.pageRowLimit = properties.getPageRowCountLimit();
    this.pageValueLimit = properties.getPageValueCountThreshold();
    this.values = new PlainValues(column.getPrimitiveType(), statisticsEnabled);
  }

  /** Bytes per value in PLAIN encoding, or 0 for kinds written otherwise. */
  private static int widthOf(Kind kind) {
    return switch (kind) {
      case BYTE, SHORT, INT, FLOAT -> 4;
      case LONG, DOUBLE -> 8;
      default -> 0;
    };
  }

  /** The page writer of this column in a new row group (the previous one ended with {@link #flush}). */
  void startChunk(PageWriter chunk) {
    this.pages = chunk;
  }

  @Override
  void write(InternalRow row, int ordinal) {
    if (row.isNullAt(ordinal)) {
      refuseNullIfRequired();
      emptyOrNull(0);
    } else if (!list) {
      scalar(row, ordinal);
    } else {
      ArrayData array = row.getArray(ordinal);
      int n = array.numElements();
      if (n == 0) {
        emptyOrNull(emptyDefinition);
      } else {
        elements(array, n);
      }
    }
    pageRows++;
    if (pageRows >= pageRowLimit || levels >= pageValueLimit || pageBytes() >= pageBytesLimit) {
      writePage();
    }
  }

  private void emptyOrNull(int level) {
    reserve(1, 0);
    repetition[levels] = 0;
    definition[levels] = (byte) level;
    levels++;
    nulls++;
  }

  private void scalar(InternalRow row, int ordinal) {
    reserve(1, width);
    repetition[levels] = 0;
    definition[levels] = (byte) valueDefinition;
    levels++;
    append(row, ordinal);
  }

  private void elements(ArrayData array, int n) {
    reserve(n, n * width);
    int first = levels;
    byte[] repetitions = repetition;
    byte[] definitions = definition;
    byte present = (byte) valueDefinition;
    // Loops, not Arrays.fill: lists are a few elements long.
    repetitions[first] = 0;
    for (int k = 1; k < n; k++) {
      repetitions[first + k] = 1;
    }
    for (int k = 0; k < n; k++) {
      definitions[first + k] = present;
    }
    for (int k = 0; k < n; k++) {
      if (array.isNullAt(k)) {
        if (!elementsNullable) {
          throw nullElementRefused();
        }
        definitions[first + k] = (byte) (valueDefinition - 1);
        nulls++;
      } else {
        append(array, k);
      }
    }
    levels += n;
  }

  /** Appends value {@code ordinal} of a row or a list (bytes and shorts as Parquet's INT32, as Spark does). */
  private void append(SpecializedGetters from, int ordinal) {
    switch (kind) {
      case DOUBLE -> values.addDouble(from.getDouble(ordinal));
      case LONG -> values.addLong(from.getLong(ordinal));
      case FLOAT -> values.addFloat(from.getFloat(ordinal));
      case INT -> values.addInt(from.getInt(ordinal));
      case SHORT -> values.addInt(from.getShort(ordinal));
      case BYTE -> values.addInt(from.getByte(ordinal));
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private void reserve(int moreLevels, int moreBytes) {
    if (levels + moreLevels > repetition.length) {
      int capacity = Math.max(2 * repetition.length, levels + moreLevels);
      repetition = Arrays.copyOf(repetition, capacity);
      definition = Arrays.copyOf(definition, capacity);
    }
    values.reserve(moreBytes);
  }

  /** The page's size, at least parquet-mr's count of it: values, and levels bit-packed at worst. */
  private long pageBytes() {
    return values.size() + ((long) levels * (repetitionWidth + definitionWidth) + 7) / 8;
  }

  /** Bytes this column holds for the row group: the page being filled and the pages written. */
  long bufferedSize() {
    return pageBytes() + pages.getMemSize();
  }

  /** Writes the page being filled, if it holds a row: at the end of each row group. */
  void flush() {
    if (pageRows > 0) {
      writePage();
    }
  }

  private void writePage() {
    SizeStatistics.Builder sizes = sizeStatisticsEnabled
        ? SizeStatistics.newBuilder(column.getPrimitiveType(), column.getMaxRepetitionLevel(), valueDefinition)
        : SizeStatistics.noopBuilder(column.getPrimitiveType(), column.getMaxRepetitionLevel(), valueDefinition);
    if (sizeStatisticsEnabled) {
      for (int i = 0; i < levels; i++) {
        sizes.add(repetition[i], definition[i]);
      }
    }
    GeospatialStatistics geospatial = (statisticsEnabled
        ? GeospatialStatistics.newBuilder(column.getPrimitiveType()) : GeospatialStatistics.noopBuilder()).build();
    BytesInput page = BytesInput.concat(
        repetitionWidth == 0 ? BytesInput.empty() : repetitionEncoder.encode(repetition, levels, repetitionWidth),
        definitionWidth == 0 ? BytesInput.empty() : definitionEncoder.encode(definition, levels, definitionWidth),
        values.bytes());
    try {
      // The page writer compresses (or copies) the bytes before it returns: the buffers are reused.
      pages.writePage(page, levels, pageRows, values.statistics(nulls), sizes.build(), geospatial,
          levelEncoding(repetitionWidth), levelEncoding(definitionWidth), Encoding.PLAIN);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a page of column '" + name + "'", e);
    }
    PAGES_WRITTEN.incrementAndGet();
    levels = 0;
    values.reset();
    nulls = 0;
    pageRows = 0;
  }

  /** RLE, or BIT_PACKED where there are no levels, as parquet-mr reports them. */
  private static Encoding levelEncoding(int bitWidth) {
    return bitWidth == 0 ? Encoding.BIT_PACKED : Encoding.RLE;
  }
}
