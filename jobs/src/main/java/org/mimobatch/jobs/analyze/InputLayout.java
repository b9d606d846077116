package org.mimobatch.jobs.analyze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.HistorySchema;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.pipeline.refine.RefineSpec;

/**
 * Where the columns analyze reads sit in an input row, and how an output row is laid out: every
 * input column but re and im, in input order, then the metric columns.
 */
public final class InputLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int link;
  private final int slot;
  private final int subcarrier;
  private final int rows;
  private final int cols;
  private final int re;
  private final int im;
  private final int[] keys;
  private final StructType output;
  private final StructType histories;

  public InputLayout(StructType input, RefineSpec refine) {
    link = input.fieldIndex(ChannelsSchema.LINK);
    slot = input.fieldIndex(ChannelsSchema.SLOT);
    subcarrier = input.fieldIndex(ChannelsSchema.SUBCARRIER);
    rows = input.fieldIndex(ChannelsSchema.ROWS);
    cols = input.fieldIndex(ChannelsSchema.COLS);
    re = input.fieldIndex(ChannelsSchema.RE);
    im = input.fieldIndex(ChannelsSchema.IM);
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

  /** The key values of {@code row}, as the histories need them. */
  Object[] keyValues(Row row) {
    Object[] values = new Object[keys.length];
    for (int k = 0; k < keys.length; k++) {
      values[k] = row.get(keys[k]);
    }
    return values;
  }

  int firstMetricIndex() {
    return keys.length;
  }

  /** A value array for an output row with the keys of {@code row} filled in and every metric null. */
  Object[] outputValues(Row row) {
    Object[] values = new Object[output.size()];
    for (int k = 0; k < keys.length; k++) {
      values[k] = row.get(keys[k]);
    }
    return values;
  }

  int rows(Row row) {
    return dimension(row, rows);
  }

  int cols(Row row) {
    return dimension(row, cols);
  }

  long link(Row row) {
    return key(row, link);
  }

  long slot(Row row) {
    return key(row, slot);
  }

  long subcarrier(Row row) {
    return key(row, subcarrier);
  }

  Object re(Row row) {
    return row.isNullAt(re) ? null : row.get(re);
  }

  Object im(Row row) {
    return row.isNullAt(im) ? null : row.get(im);
  }

  private static int dimension(Row row, int index) {
    if (row.isNullAt(index)) {
      return -1;
    }
    long v = ((Number) row.get(index)).longValue();
    return v > Integer.MAX_VALUE || v < 0 ? -1 : (int) v;
  }

  private static long key(Row row, int index) {
    return row.isNullAt(index) ? Long.MIN_VALUE : ((Number) row.get(index)).longValue();
  }
}
