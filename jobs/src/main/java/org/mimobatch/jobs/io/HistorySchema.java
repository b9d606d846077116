package org.mimobatch.jobs.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The histories dataset: one row per iteration of every refinement on every sampled matrix — the
 * matrix's key columns, then
 * <pre>
 *   method    : string   the refinement (gd-inverse, …)
 *   iteration : int      0 for the start, then one per update
 *   loss      : double   the loss of that iterate, in the method's measure
 * </pre>
 */
public final class HistorySchema {
  public static final String METHOD = "method";
  public static final String ITERATION = "iteration";
  public static final String LOSS = "loss";

  private HistorySchema() {}

  public static StructType of(List<StructField> keyFields) {
    List<StructField> all = new ArrayList<>(keyFields);
    all.add(DataTypes.createStructField(METHOD, DataTypes.StringType, false));
    all.add(DataTypes.createStructField(ITERATION, DataTypes.IntegerType, false));
    all.add(DataTypes.createStructField(LOSS, DataTypes.DoubleType, true));
    return new StructType(all.toArray(new StructField[0]));
  }
}
