package org.mimobatch.jobs.summary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineColumn;
import org.mimobatch.pipeline.refine.RefineMethod;

/**
 * Where the columns the summary reads sit in a metrics row (of a written dataset, or as analyze
 * emits it), and which of them group the rows: rows, cols, then the summary.group-by keys.
 */
final class SummaryLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  final List<String> keys;
  final DataType[] keyTypes;
  final int[] keyIndices;
  final int status;
  final int snrDb;
  final int[] metric;
  final List<RefineMethod> refinements;
  final int[] refineStatus;
  final int[] refineIterations;
  final int[] refineError;

  SummaryLayout(StructType schema, List<String> keys) {
    this.keys = List.copyOf(keys);
    this.keyIndices = keys.stream().mapToInt(schema::fieldIndex).toArray();
    this.keyTypes = Arrays.stream(keyIndices).mapToObj(i -> schema.fields()[i].dataType()).toArray(DataType[]::new);
    this.status = schema.fieldIndex(MetricsSchema.STATUS);
    this.snrDb = schema.fieldIndex(MetricsSchema.SNR_DB);
    Metric[] metrics = Metric.values();
    this.metric = new int[metrics.length];
    for (Metric m : metrics) {
      metric[m.ordinal()] = schema.fieldIndex(m.column());
    }
    List<String> names = Arrays.asList(schema.fieldNames());
    List<RefineMethod> found = new ArrayList<>();
    for (RefineMethod m : RefineMethod.values()) {
      if (names.contains(RefineColumn.STATUS.column(m))) {
        found.add(m);
      }
    }
    this.refinements = List.copyOf(found);
    this.refineStatus = found.stream().mapToInt(m -> schema.fieldIndex(RefineColumn.STATUS.column(m))).toArray();
    this.refineIterations = found.stream().mapToInt(m -> schema.fieldIndex(RefineColumn.ITERATIONS.column(m))).toArray();
    this.refineError = found.stream().mapToInt(m -> schema.fieldIndex(RefineColumn.ERROR.column(m))).toArray();
  }

  /** The grouping of a row: its key values as Java objects (strings for strings), in order. */
  List<Object> group(InternalRow row) {
    List<Object> g = new ArrayList<>(keyIndices.length);
    for (int k = 0; k < keyIndices.length; k++) {
      Object v = row.isNullAt(keyIndices[k]) ? null : row.get(keyIndices[k], keyTypes[k]);
      g.add(v instanceof UTF8String u ? u.toString() : v);
    }
    return g;
  }

  /** Does {@code row} belong to the group {@code key} (as {@link #group} would give it)? */
  boolean inGroup(InternalRow row, List<Object> key) {
    for (int k = 0; k < keyIndices.length; k++) {
      Object expected = key.get(k);
      if (row.isNullAt(keyIndices[k])) {
        if (expected != null) {
          return false;
        }
        continue;
      }
      Object v = row.get(keyIndices[k], keyTypes[k]);
      if (!(v instanceof UTF8String u ? u.toString().equals(expected) : v.equals(expected))) {
        return false;
      }
    }
    return true;
  }

  /** The fields of the group keys, as the metrics schema has them. */
  static List<StructField> keyFields(StructType schema, List<String> keys) {
    List<StructField> f = new ArrayList<>();
    for (String k : keys) {
      f.add(schema.apply(k));
    }
    return f;
  }
}
