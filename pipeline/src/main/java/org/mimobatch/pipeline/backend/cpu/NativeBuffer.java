package org.mimobatch.pipeline.backend.cpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.mimobatch.pipeline.batch.Precision;

/**
 * A growable off-heap array of doubles or floats. Kernels copy a whole chunk in with one call, run
 * LAPACK on offsets of it, and copy results out with one call. {@link #at(long)} moves the buffer's
 * own position instead of creating a view object, so per-matrix calls allocate nothing.
 */
final class NativeBuffer implements AutoCloseable {
  private final Precision precision;
  private Pointer pointer;
  /** The same memory seen as bytes, for routines declared with void* whose offsets count bytes. */
  private BytePointer bytes;
  private long capacity;

  NativeBuffer(Precision precision) {
    this.precision = precision;
  }

  /** Makes room for {@code elements} reals (not complex numbers); contents are lost when it grows. */
  NativeBuffer ensure(long elements) {
    long needed = Math.max(1, elements);
    if (needed > capacity) {
      // Grow with slack so that a sequence of slightly larger chunks does not reallocate each time.
      long size = Math.max(needed, capacity + capacity / 2);
      close();
      pointer = precision == Precision.DOUBLE ? new DoublePointer(size) : new FloatPointer(size);
      bytes = new BytePointer(pointer);
      capacity = size;
    }
    return this;
  }

  /** The buffer positioned at real element {@code index}, to pass to a native routine. */
  Pointer at(long index) {
    return pointer.position(index);
  }

  /**
   * The buffer at real element {@code index}, for a routine whose parameter is {@code void*} (CBLAS's
   * complex routines): JavaCPP offsets such a pointer by its position in bytes, not elements.
   */
  Pointer bytesAt(long index) {
    return bytes.position(index * (precision == Precision.DOUBLE ? Double.BYTES : Float.BYTES));
  }

  /**
   * Replaces the buffer's contents with {@code length} reals of the Java array {@code src} (double[]
   * or float[]), growing it as needed.
   */
  void fill(Object src, int length) {
    fill(src, 0, length);
  }

  /**
   * Replaces the first {@code length} reals with those of the Java array {@code src} (double[] or
   * float[]) from index {@code from}, growing the buffer as needed.
   */
  void fill(Object src, int from, int length) {
    ensure(length);
    if (precision == Precision.DOUBLE) {
      ((DoublePointer) pointer.position(0)).put((double[]) src, from, length);
    } else {
      ((FloatPointer) pointer.position(0)).put((float[]) src, from, length);
    }
  }

  /** Copies {@code length} reals at {@code from} into the Java array {@code dst} at {@code to}. */
  void get(long from, Object dst, int to, int length) {
    if (precision == Precision.DOUBLE) {
      ((DoublePointer) pointer.position(from)).get((double[]) dst, to, length);
    } else {
      ((FloatPointer) pointer.position(from)).get((float[]) dst, to, length);
    }
  }

  /** Real element {@code index}, widened to double. */
  double value(long index) {
    pointer.position(0);
    return precision == Precision.DOUBLE
        ? ((DoublePointer) pointer).get(index)
        : ((FloatPointer) pointer).get(index);
  }

  /** Sets real element {@code index}. */
  void setValue(long index, double value) {
    pointer.position(0);
    if (precision == Precision.DOUBLE) {
      ((DoublePointer) pointer).put(index, value);
    } else {
      ((FloatPointer) pointer).put(index, (float) value);
    }
  }

  @Override
  public void close() {
    if (pointer != null) {
      pointer.close();
      pointer = null;
      bytes = null;
      capacity = 0;
    }
  }
}
