package org.mimobatch.jobs.io;

import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes one top-level field of a flat schema into its Parquet column, with the repetition and
 * definition levels of Spark's standard layout worked out once instead of per value:
 * <pre>
 *   scalar:  [optional|required] T name                         levels (0, 0|1)
 *   list:    [optional|required] group name (LIST) {
 *              repeated group list { [optional|required] T element; } }
 * </pre>
 * A list's first element has repetition level 0, the others 1; its definition level counts the
 * optional and repeated levels present: a null list 0, an empty one 0|1, a null element one less
 * than a value.
 */
abstract class FlatColumn {
  /**
   * Value kinds a column can hold. Byte and short are stored as 32-bit integers, as Spark does, but
   * read as what they are: rows and arrays hold them in 1 and 2 bytes.
   */
  enum Kind {
    BOOLEAN(DataTypes.BooleanType), BYTE(DataTypes.ByteType), SHORT(DataTypes.ShortType), INT(DataTypes.IntegerType),
    LONG(DataTypes.LongType), FLOAT(DataTypes.FloatType), DOUBLE(DataTypes.DoubleType), STRING(DataTypes.StringType);

    /** The Spark type the kind holds. */
    final DataType type;

    Kind(DataType type) {
      this.type = type;
    }
  }

  final String name;
  final Kind kind;
  /** Whether the field may be null: a null in a required one is refused, as Spark's writer does. */
  final boolean nullable;

  FlatColumn(StructField field, Kind kind) {
    this.name = field.name();
    this.kind = kind;
    this.nullable = field.nullable();
  }

  /** Writes field {@code ordinal} of {@code row}. */
  abstract void write(InternalRow row, int ordinal);

  /**
   * A null where the field is required is refused, as Spark's writer refuses it; the fields before
   * it in the row are written by then, so the writer takes the file as aborted.
   */
  final void refuseNullIfRequired() {
    if (!nullable) {
      throw new IllegalStateException("null in the non-nullable column '" + name + "'");
    }
  }

  /** A null element in a list whose elements are non-nullable, refused as Spark's writer refuses it. */
  final IllegalStateException nullElementRefused() {
    return new IllegalStateException("null element in column '" + name + "', whose elements are non-nullable");
  }

  /** Whether every field is a primitive this class writes, or a list of one. */
  static boolean supports(StructType schema) {
    for (StructField f : schema.fields()) {
      if (valueKind(f) == null) {
        return false;
      }
    }
    return true;
  }

  /** The writer of {@code field}, whose values go to parquet-mr's {@code writer}. */
  static FlatColumn of(StructField field, ColumnWriter writer) {
    int present = field.nullable() ? 1 : 0;
    if (field.dataType() instanceof ArrayType array) {
      return new ListColumn(field, writer, kindOf(array.elementType()), present, present + 1 + (array.containsNull() ? 1 : 0));
    }
    return new ScalarColumn(field, writer, kindOf(field.dataType()), present);
  }

  /** The kind of the field's values, or of its elements where it is a list. */
  static Kind valueKind(StructField field) {
    return kindOf(field.dataType() instanceof ArrayType a ? a.elementType() : field.dataType());
  }

  private static Kind kindOf(DataType t) {
    for (Kind k : Kind.values()) {
      if (k.type.equals(t)) {
        return k;
      }
    }
    return null;
  }

  /**
   * The string's bytes where they lie (Parquet copies what it keeps: dictionary entries and
   * statistics), or a copy when they are off the heap.
   */
  private static Binary binary(UTF8String s) {
    if (s.getBaseObject() instanceof byte[] bytes) {
      return Binary.fromReusedByteArray(bytes, (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET), s.numBytes());
    }
    return Binary.fromReusedByteArray(s.getBytes());
  }

  /** A field written value by value into parquet-mr's column writer. */
  private abstract static class WriterColumn extends FlatColumn {
    final ColumnWriter writer;

    WriterColumn(StructField field, ColumnWriter writer, Kind kind) {
      super(field, kind);
      this.writer = writer;
    }

    /** Writes the non-null value {@code ordinal} of {@code values} at the given levels. */
    final void value(SpecializedGetters values, int ordinal, int repetition, int definition) {
      switch (kind) {
        case DOUBLE -> writer.write(values.getDouble(ordinal), repetition, definition);
        case INT -> writer.write(values.getInt(ordinal), repetition, definition);
        case SHORT -> writer.write((int) values.getShort(ordinal), repetition, definition);
        case BYTE -> writer.write((int) values.getByte(ordinal), repetition, definition);
        case LONG -> writer.write(values.getLong(ordinal), repetition, definition);
        case FLOAT -> writer.write(values.getFloat(ordinal), repetition, definition);
        case BOOLEAN -> writer.write(values.getBoolean(ordinal), repetition, definition);
        case STRING -> writer.write(binary(values.getUTF8String(ordinal)), repetition, definition);
        default -> throw new IllegalStateException(kind.toString());
      }
    }

    final void writeNull(int repetition, int definition) {
      refuseNullIfRequired();
      writer.writeNull(repetition, definition);
    }
  }

  /** A primitive field. */
  private static final class ScalarColumn extends WriterColumn {
    private final int definition;

    ScalarColumn(StructField field, ColumnWriter writer, Kind kind, int definition) {
      super(field, writer, kind);
      this.definition = definition;
    }

    @Override
    void write(InternalRow row, int ordinal) {
      if (row.isNullAt(ordinal)) {
        writeNull(0, 0);
      } else {
        value(row, ordinal, 0, definition);
      }
    }
  }

  /** A list of primitives. */
  private static final class ListColumn extends WriterColumn {
    private final int emptyDefinition;
    private final int valueDefinition;

    ListColumn(StructField field, ColumnWriter writer, Kind kind, int emptyDefinition, int valueDefinition) {
      super(field, writer, kind);
      this.emptyDefinition = emptyDefinition;
      this.valueDefinition = valueDefinition;
    }

    @Override
    void write(InternalRow row, int ordinal) {
      if (row.isNullAt(ordinal)) {
        writeNull(0, 0);
        return;
      }
      ArrayData values = row.getArray(ordinal);
      int n = values.numElements();
      if (n == 0) {
        writer.writeNull(0, emptyDefinition);
        return;
      }
      for (int k = 0; k < n; k++) {
        int repetition = k == 0 ? 0 : 1;
        if (values.isNullAt(k)) {
          // Only where the schema allows null elements: a null where it does not is refused.
          if (valueDefinition == emptyDefinition + 1) {
            throw nullElementRefused();
          }
          writer.writeNull(repetition, valueDefinition - 1);
        } else {
          value(values, k, repetition, valueDefinition);
        }
      }
    }
  }
}
