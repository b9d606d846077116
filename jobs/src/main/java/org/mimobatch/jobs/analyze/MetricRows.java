package org.mimobatch.jobs.analyze;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.jobs.spark.Rows;
import org.mimobatch.pipeline.analysis.ChunkMetrics;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.refine.RefineColumn;
import org.mimobatch.pipeline.refine.RefineResult;
import org.mimobatch.pipeline.refine.RefineStatus;

/**
 * Encodes the metrics rows of one task, in Spark's internal format, from a chunk's results: after
 * the key values, status and snr_db, every {@link Metric} then every configured refinement's
 * {@link RefineColumn}s, as {@code MetricsSchema} declares them. Not thread-safe (one per task).
 */
final class MetricRows {
  /** The status column's values, at {@link MatrixStatus#code()}. */
  static final UTF8String[] STATUS_LABELS = java.util.Arrays.stream(MatrixStatus.values())
      .map(v -> UTF8String.fromString(v.label())).toArray(UTF8String[]::new);
  private static final UTF8String[] REFINE_LABELS = java.util.Arrays.stream(RefineStatus.values())
      .map(v -> UTF8String.fromString(v.label())).toArray(UTF8String[]::new);
  private static final Metric[] METRICS = Metric.values();
  private static final RefineColumn[] REFINE_COLUMNS = RefineColumn.values();

  private final int keyCount;
  /** The same SNR grid in every row: one immutable array value shared by all of them. */
  private final ArrayData snrDb;
  /** One metric array's values on their way into Spark's format (which copies them). */
  private double[] scratch = new double[0];

  MetricRows(int keyCount, double[] snrDb) {
    this.keyCount = keyCount;
    this.snrDb = Rows.doubles(snrDb);
  }

  /** The row of matrix i of a chunk, its key values already in {@code values[0 .. keyCount)}. */
  InternalRow row(Object[] values, ChunkMetrics m, int i) {
    if (!m.ok(i)) {
      return failed(values, m.status(i));
    }
    int x = keyCount;
    values[x++] = STATUS_LABELS[MatrixStatus.OK.code()];
    values[x++] = snrDb;
    for (Metric metric : METRICS) {
      values[x++] = metricValue(m, metric, i);
    }
    for (RefineResult r : m.refine()) {
      for (RefineColumn column : REFINE_COLUMNS) {
        if (column.appliesTo(r.method())) {
          Object v = column.value(r, i);
          values[x++] = v instanceof RefineStatus status ? REFINE_LABELS[status.ordinal()] : v;
        }
      }
    }
    return Rows.of(values);
  }

  /** The row of a matrix that could not be analysed: keys, status and snr_db, every metric null. */
  InternalRow failed(Object[] values, MatrixStatus status) {
    values[keyCount] = STATUS_LABELS[status.code()];
    values[keyCount + 1] = snrDb;
    return Rows.of(values);
  }

  /**
   * The value of one metric of matrix i in Spark's representation: a boxed number for a scalar, an
   * array of doubles for a list, null where the metric is undefined.
   */
  private Object metricValue(ChunkMetrics m, Metric metric, int i) {
    if (!m.defined(metric, i)) {
      return null;
    }
    if (metric.shape() == Metric.Shape.SCALAR) {
      double v = m.value(metric, i, 0);
      return metric.type() == Metric.Type.INT ? (Object) (int) v : (Object) v;
    }
    int n = m.width(metric);
    if (scratch.length < n) {
      scratch = new double[n];
    }
    for (int j = 0; j < n; j++) {
      scratch[j] = m.value(metric, i, j);
    }
    return Rows.doubles(scratch, n);
  }
}
