package org.mimobatch.jobs.ingest;

/**
 * Where the elements of a slab that a {@link SlabReader} read lie in its buffer: the strides of
 * every logical axis in the slab's storage order, with the split axis {@code count} long and
 * starting at {@code from}.
 */
final class Slab {
  final int axis;
  final long from;
  final long count;
  private final long[] strides;

  Slab(ArrayShape shape, int axis, long from, long count) {
    this.axis = axis;
    this.from = from;
    this.count = count;
    int n = shape.rank();
    strides = new long[n];
    long s = 1;
    for (int k = n - 1; k >= 0; k--) {
      int i = shape.storageAxis(k);
      strides[i] = s;
      s *= i == axis ? count : shape.dim(i);
    }
  }

  /** Elements in the slab. */
  long elements(ArrayShape shape) {
    return axis < 0 ? shape.elements() : shape.elements() / shape.dim(axis) * count;
  }

  /** Buffer position (in elements) of logical axis i's unit step. */
  long stride(int i) {
    return strides[i];
  }

  /** The buffer position of logical index m (whose split-axis index lies in the slab). */
  long position(long[] m) {
    long p = 0;
    for (int i = 0; i < m.length; i++) {
      p += (i == axis ? m[i] - from : m[i]) * strides[i];
    }
    return p;
  }
}
