package org.mimobatch.jobs.analyze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.HistorySchema;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.pipeline.refine.RefineSpec;

/**
 * Where the columns analyze reads sit in an input row, and how an output row is laid out: every
 * input column but re and im, in input order, then the metric columns. Rows are Spark's internal
 * rows (the Parquet reader's own, reused from row to row), so values are read with the getter of
 * their column's type and copied before the next row replaces them.
 */
public final class InputLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Key link;
  private final Key slot;
  private final Key subcarrier;
  private final Key rows;
  private final Key cols;
  private final int re;
  private final int im;
  private final boolean singleElements;
  private final int[] keys;
  private final DataType[] keyTypes;
  private final StructType output;
  private final StructType histories;

  public InputLayout(StructType input, RefineSpec refine) {
    link = Key.of(input, ChannelsSchema.LINK);
    slot = Key.of(input, ChannelsSchema.SLOT);
    subcarrier = Key.of(input, ChannelsSchema.SUBCARRIER);
    rows = Key.of(input, ChannelsSchema.ROWS);
    cols = Key.of(input, ChannelsSchema.COLS);
    re = input.fieldIndex(ChannelsSchema.RE);
    im = input.fieldIndex(ChannelsSchema.IM);
    singleElements = ((ArrayType) input.fields()[re].dataType()).elementType().equals(DataTypes.FloatType);
    List<StructField> keyFields = new ArrayList<>();
    List<Integer> keyIndices = new ArrayList<>();
    StructField[] fields = input.fields();
    for (int i = 0; i < fields.length; i++) {
      if (i != re && i != im) {
        keyFields.add(fields[i]);
        keyIndices.add(i);
      }
    }
    keys = keyIndices.stream().mapToInt(Integer::intValue).toArray();
    keyTypes = keyFields.stream().map(StructField::dataType).toArray(DataType[]::new);
    output = MetricsSchema.of(keyFields, refine);
    histories = HistorySchema.of(keyFields);
  }

  /** The schema of the metrics rows. */
  public StructType outputSchema() {
    return output;
  }

  /** The schema of the loss-history rows: the same keys, then method, iteration, loss. */
  public StructType historySchema() {
    return histories;
  }

  int keyCount() {
    return keys.length;
  }

  /**
   * A value array of {@code size} for an output row, with copies of the key values of {@code row}
   * (in Spark's internal representation) in front and nulls after them.
   */
  Object[] keyValues(InternalRow row, int size) {
    Object[] values = new Object[size];
    for (int k = 0; k < keys.length; k++) {
      values[k] = row.isNullAt(keys[k]) ? null : InternalRow.copyValue(row.get(keys[k], keyTypes[k]));
    }
    return values;
  }

  int rows(InternalRow row) {
    return dimension(row, rows);
  }

  int cols(InternalRow row) {
    return dimension(row, cols);
  }

  long link(InternalRow row) {
    return link.get(row);
  }

  long slot(InternalRow row) {
    return slot.get(row);
  }

  long subcarrier(InternalRow row) {
    return subcarrier.get(row);
  }

  /** The number of entries of re, or -1 when it is null. */
  int reLength(InternalRow row) {
    return row.isNullAt(re) ? -1 : row.getArray(re).numElements();
  }

  /** The number of entries of im, or -1 when it is null. */
  int imLength(InternalRow row) {
    return row.isNullAt(im) ? -1 : row.getArray(im).numElements();
  }

  /** Copies re and im into {@code reDst} and {@code imDst} (null entries as NaN); false when either length differs. */
  boolean readEntries(InternalRow row, double[] reDst, double[] imDst) {
    return read(row, re, reDst) && read(row, im, imDst);
  }

  private boolean read(InternalRow row, int column, double[] dst) {
    if (row.isNullAt(column)) {
      return false;
    }
    ArrayData values = row.getArray(column);
    int n = values.numElements();
    if (n != dst.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (values.isNullAt(i)) {
        dst[i] = Double.NaN; // the matrix then reports non-finite
      } else {
        dst[i] = singleElements ? values.getFloat(i) : values.getDouble(i);
      }
    }
    return true;
  }

  private static int dimension(InternalRow row, Key key) {
    if (row.isNullAt(key.index)) {
      return -1;
    }
    long v = key.get(row);
    return v > Integer.MAX_VALUE || v < 0 ? -1 : (int) v;
  }

  /** An integer column of any width, read with its own getter. */
  private record Key(int index, int bytes) implements Serializable {
    static Key of(StructType schema, String name) {
      int index = schema.fieldIndex(name);
      DataType type = schema.fields()[index].dataType();
      return new Key(index, type.defaultSize());
    }

    /** The value, or Long.MIN_VALUE for null. */
    long get(InternalRow row) {
      if (row.isNullAt(index)) {
        return Long.MIN_VALUE;
      }
      return switch (bytes) {
        case 1 -> row.getByte(index);
        case 2 -> row.getShort(index);
        case 4 -> row.getInt(index);
        default -> row.getLong(index);
      };
    }
  }
}
