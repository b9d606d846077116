package org.mimobatch.jobs.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * Internal rows and arrays as the partition functions hand them to Spark: a row over an array of
 * values, and arrays of numbers in Spark's compact layout (one copy of the primitives, no boxing).
 */
public final class Rows {
  private Rows() {}

  /** A row holding {@code values} (not copied): numbers boxed, strings as UTF8String, lists as ArrayData. */
  public static InternalRow of(Object[] values) {
    return new GenericInternalRow(values);
  }

  /** The doubles of {@code values} as an array value. */
  public static ArrayData doubles(double[] values) {
    return UnsafeArrayData.fromPrimitiveArray(values);
  }

  /** The first {@code n} doubles of {@code values} as an array value. */
  public static ArrayData doubles(double[] values, int n) {
    return UnsafeArrayData.fromPrimitiveArray(values, Platform.DOUBLE_ARRAY_OFFSET, n, Double.BYTES);
  }

  /** The floats of {@code values} as an array value. */
  public static ArrayData floats(float[] values) {
    return UnsafeArrayData.fromPrimitiveArray(values);
  }
}
