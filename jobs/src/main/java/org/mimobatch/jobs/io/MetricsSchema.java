package org.mimobatch.jobs.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineColumn;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineSpec;

/**
 * The metrics dataset: the key columns of the channels (every column but re and im), then
 * {@code status} (ok, zero, not-converged, non-finite or shape-error), {@code snr_db} (the SNR grid,
 * which the per-SNR lists align with), then one column per {@link Metric} in its declared order,
 * then the {@link RefineColumn}s of every configured refinement. Every metric is null when status is
 * not ok, and where it is undefined for the matrix.
 */
public final class MetricsSchema {
  public static final String STATUS = "status";
  public static final String SNR_DB = "snr_db";

  private MetricsSchema() {}

  /** The Spark type of a metric's column. */
  public static DataType type(Metric m) {
    if (m.shape() != Metric.Shape.SCALAR) {
      return DataTypes.createArrayType(DataTypes.DoubleType, false);
    }
    return m.type() == Metric.Type.INT ? DataTypes.IntegerType : DataTypes.DoubleType;
  }

  /** The metric fields, appended after the key columns. */
  public static List<StructField> metricFields() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(STATUS, DataTypes.StringType, false));
    f.add(DataTypes.createStructField(SNR_DB, DataTypes.createArrayType(DataTypes.DoubleType, false), false));
    for (Metric m : Metric.values()) {
      f.add(DataTypes.createStructField(m.column(), type(m), true));
    }
    return f;
  }

  /** The metric fields that hold values (all but status): written without min/max statistics. */
  public static List<String> valueColumns() {
    List<String> names = new ArrayList<>();
    for (StructField f : metricFields()) {
      if (!f.name().equals(STATUS)) {
        names.add(f.name());
      }
    }
    return names;
  }

  /** The columns of every configured refinement, in order. */
  public static List<StructField> refineFields(RefineSpec refine) {
    List<StructField> f = new ArrayList<>();
    for (RefineMethod m : refine.methods()) {
      for (RefineColumn c : RefineColumn.values()) {
        if (c.appliesTo(m)) {
          f.add(DataTypes.createStructField(c.column(m), type(c), true));
        }
      }
    }
    return f;
  }

  private static DataType type(RefineColumn c) {
    return switch (c.type()) {
      case STATUS -> DataTypes.StringType;
      case INT -> DataTypes.IntegerType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
    };
  }

  /** The metrics schema for channels with {@code keyFields} (the input's columns but re and im). */
  public static StructType of(List<StructField> keyFields, RefineSpec refine) {
    List<StructField> all = new ArrayList<>(keyFields);
    all.addAll(metricFields());
    all.addAll(refineFields(refine));
    return new StructType(all.toArray(new StructField[0]));
  }

  /** Throws an {@link InputException} unless {@code schema} has the metric columns summarize reads. */
  public static void validate(StructType schema, String path) {
    List<String> names = List.of(schema.fieldNames());
    for (StructField expected : metricFields()) {
      if (!names.contains(expected.name())) {
        throw new InputException(path + " has no column '" + expected.name() + "': is it a metrics dataset written by"
            + " analyze (of this version)?");
      }
      DataType actual = schema.apply(expected.name()).dataType();
      if (!sameIgnoringNullability(actual, expected.dataType())) {
        throw new InputException("column '" + expected.name() + "' of " + path + " must be "
            + expected.dataType().simpleString() + ", found " + actual.simpleString());
      }
    }
    for (String key : new String[] {ChannelsSchema.ROWS, ChannelsSchema.COLS}) {
      if (!names.contains(key) || !ChannelsSchema.isIntegral(schema.apply(key).dataType())) {
        throw new InputException(path + " needs an integer column '" + key + "'");
      }
    }
  }

  private static boolean sameIgnoringNullability(DataType a, DataType b) {
    return a.simpleString().equals(b.simpleString());
  }
}
