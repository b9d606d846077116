package org.mimobatch.jobs.analyze;

import java.util.List;
import scala.collection.Seq;

/**
 * Reads an array column value, in whichever form Spark hands it to a {@link org.apache.spark.sql.Row}
 * (a Scala sequence of boxed numbers, a primitive-backed sequence, a Java list or array), into a
 * reused primitive buffer. A null element becomes NaN, so the matrix is reported as non-finite.
 */
final class ArrayValues {
  private ArrayValues() {}

  /** The number of elements of an array value, or -1 for null. */
  static int length(Object value) {
    if (value == null) {
      return -1;
    }
    if (value instanceof Seq<?> seq) {
      return seq.length();
    }
    if (value instanceof List<?> list) {
      return list.size();
    }
    if (value instanceof double[] d) {
      return d.length;
    }
    if (value instanceof float[] f) {
      return f.length;
    }
    throw new IllegalArgumentException("unsupported array value " + value.getClass().getName());
  }

  /** Copies {@code value} into {@code dst} and returns its length, or -1 when it is null or its length is not {@code dst}'s. */
  static int read(Object value, double[] dst) {
    if (value == null) {
      return -1;
    }
    if (value instanceof scala.collection.mutable.ArraySeq.ofDouble d) {
      return copy(d.array(), dst);
    }
    if (value instanceof scala.collection.immutable.ArraySeq.ofDouble d) {
      return copy(d.unsafeArray(), dst);
    }
    if (value instanceof double[] d) {
      return copy(d, dst);
    }
    if (value instanceof Seq<?> seq) {
      int n = seq.length();
      if (n != dst.length) {
        return -1;
      }
      scala.collection.Iterator<?> it = seq.iterator();
      for (int i = 0; i < n; i++) {
        dst[i] = number(it.next());
      }
      return n;
    }
    if (value instanceof List<?> list) {
      int n = list.size();
      if (n != dst.length) {
        return -1;
      }
      for (int i = 0; i < n; i++) {
        dst[i] = number(list.get(i));
      }
      return n;
    }
    if (value instanceof float[] f) {
      if (f.length != dst.length) {
        return -1;
      }
      for (int i = 0; i < f.length; i++) {
        dst[i] = f[i];
      }
      return f.length;
    }
    throw new IllegalArgumentException("unsupported array value " + value.getClass().getName());
  }

  private static int copy(double[] src, double[] dst) {
    if (src.length != dst.length) {
      return -1;
    }
    System.arraycopy(src, 0, dst, 0, src.length);
    return src.length;
  }

  private static double number(Object o) {
    return o == null ? Double.NaN : ((Number) o).doubleValue();
  }
}
