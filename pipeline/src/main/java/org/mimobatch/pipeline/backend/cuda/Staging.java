package org.mimobatch.pipeline.backend.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;

/**
 * One pinned host buffer between the Java arrays of a chunk and the device, with a Java scratch
 * array for results that need rearranging (thin U out of a full one, Vᴴ out of V): each direction
 * is one bulk copy per chunk, never one native call per element.
 */
final class Staging implements AutoCloseable {
  private final Memory pinned;
  private double[] doubles = new double[0];
  private float[] floats = new float[0];
  private int[] ints = new int[0];

  Staging(String what) {
    this.pinned = Memory.pinned(what);
  }

  Memory memory() {
    return pinned;
  }

  /** Copies matrices {@code from .. from+n-1} of {@code a} into the pinned buffer; returns the bytes. */
  long put(ComplexBatch a, int from, int n) {
    int reals = n * a.matrixStride();
    if (a.precision() == Precision.DOUBLE) {
      pinned.ensure(8L * reals);
      new DoublePointer(pinned.base()).put(a.doubles(), a.offset(from), reals);
      return 8L * reals;
    }
    pinned.ensure(4L * reals);
    new FloatPointer(pinned.base()).put(a.floats(), a.offset(from), reals);
    return 4L * reals;
  }

  /** Zeroes matrix {@code k} (counted from the first matrix put) of a chunk of {@code stride} reals. */
  void zero(Precision precision, int k, int stride) {
    if (precision == Precision.DOUBLE) {
      new DoublePointer(pinned.base()).position((long) k * stride).limit((long) (k + 1) * stride).zero();
    } else {
      new FloatPointer(pinned.base()).position((long) k * stride).limit((long) (k + 1) * stride).zero();
    }
  }

  /** Copies {@code reals} values of the pinned buffer into the scratch array, for {@link #get}. */
  void fetch(Precision precision, int reals) {
    if (precision == Precision.DOUBLE) {
      if (doubles.length < reals) {
        doubles = new double[reals];
      }
      new DoublePointer(pinned.base()).get(doubles, 0, reals);
    } else {
      if (floats.length < reals) {
        floats = new float[reals];
      }
      new FloatPointer(pinned.base()).get(floats, 0, reals);
    }
  }

  /** Copies {@code count} ints of the pinned buffer into the scratch array, for {@link #getInt}. */
  int[] fetchInts(int count) {
    if (ints.length < count) {
      ints = new int[count];
    }
    new IntPointer(pinned.base()).get(ints, 0, count);
    return ints;
  }

  /** Value {@code i} of the last {@link #fetch}. */
  double get(Precision precision, int i) {
    return precision == Precision.DOUBLE ? doubles[i] : floats[i];
  }

  /** Copies {@code reals} fetched values, from 0, straight into {@code dst} at {@code offset}. */
  void copyTo(Precision precision, int reals, double[] dstDoubles, float[] dstFloats, int offset) {
    if (precision == Precision.DOUBLE) {
      System.arraycopy(doubles, 0, dstDoubles, offset, reals);
    } else {
      System.arraycopy(floats, 0, dstFloats, offset, reals);
    }
  }

  @Override
  public void close() {
    pinned.close();
  }
}
