package org.mimobatch.jobs.io;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The channels dataset: one row per matrix.
 *
 * <pre>
 *   link, slot, subcarrier : int     the matrix's keys
 *   rows, cols             : int     rx and tx antennas
 *   re, im                 : array&lt;double&gt; (complex128) or array&lt;float&gt; (complex64),
 *                                    rows·cols entries each, row-major: element i·cols + j is H[i][j]
 * </pre>
 * Input written by other tools may use any integer type for the keys and shape, and may carry more
 * columns; these are kept in the metrics as further keys.
 */
public final class ChannelsSchema {
  public static final String LINK = "link";
  public static final String SLOT = "slot";
  public static final String SUBCARRIER = "subcarrier";
  public static final String ROWS = "rows";
  public static final String COLS = "cols";
  public static final String RE = "re";
  public static final String IM = "im";

  private ChannelsSchema() {}

  /** The columns that hold matrix entries: written without min/max statistics. */
  public static List<String> valueColumns() {
    return List.of(RE, IM);
  }

  /** The schema {@code generate} writes for {@code precision}. */
  public static StructType of(Precision precision) {
    DataType element = precision == Precision.DOUBLE ? DataTypes.DoubleType : DataTypes.FloatType;
    return new StructType(new StructField[] {
      DataTypes.createStructField(LINK, DataTypes.IntegerType, false),
      DataTypes.createStructField(SLOT, DataTypes.IntegerType, false),
      DataTypes.createStructField(SUBCARRIER, DataTypes.IntegerType, false),
      DataTypes.createStructField(ROWS, DataTypes.IntegerType, false),
      DataTypes.createStructField(COLS, DataTypes.IntegerType, false),
      DataTypes.createStructField(RE, DataTypes.createArrayType(element, false), false),
      DataTypes.createStructField(IM, DataTypes.createArrayType(element, false), false),
    });
  }

  /**
   * Checks a dataset read from {@code path} and returns the precision its matrices are stored in;
   * throws an {@link InputException} naming the first missing or mistyped column.
   */
  public static Precision validate(StructType schema, String path) {
    for (String key : new String[] {LINK, SLOT, SUBCARRIER, ROWS, COLS}) {
      DataType type = field(schema, key, path).dataType();
      if (!isIntegral(type)) {
        throw new InputException("column '" + key + "' of " + path + " must be an integer type, found " + type.simpleString());
      }
    }
    for (StructField metric : MetricsSchema.metricFields()) {
      if (List.of(schema.fieldNames()).contains(metric.name())) {
        throw new InputException("column '" + metric.name() + "' of " + path + " has the name of a metric that analyze"
            + " writes; rename it");
      }
    }
    DataType re = elementType(schema, RE, path);
    DataType im = elementType(schema, IM, path);
    if (!re.equals(im)) {
      throw new InputException("columns 're' and 'im' of " + path + " must have the same type, found array<"
          + re.simpleString() + "> and array<" + im.simpleString() + ">");
    }
    return re.equals(DataTypes.DoubleType) ? Precision.DOUBLE : Precision.SINGLE;
  }

  static boolean isIntegral(DataType type) {
    return type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType) || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType);
  }

  private static DataType elementType(StructType schema, String name, String path) {
    DataType type = field(schema, name, path).dataType();
    if (type instanceof ArrayType array
        && (array.elementType().equals(DataTypes.DoubleType) || array.elementType().equals(DataTypes.FloatType))) {
      return array.elementType();
    }
    throw new InputException("column '" + name + "' of " + path + " must be array<double> or array<float>, found "
        + type.simpleString());
  }

  private static StructField field(StructType schema, String name, String path) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new InputException(path + " has no column '" + name + "' (found: "
        + Arrays.stream(schema.fieldNames()).collect(Collectors.joining(", ")) + ")");
  }
}
