package org.mimobatch.pipeline.batch;

/**
 * A batch of {@code capacity} real vectors of the same {@code length} (singular values,
 * eigenvalues), in one primitive array of the batch's precision. Element i of vector k sits at
 * {@code k * length + i}.
 */
public final class RealBatch {
  private final Precision precision;
  private final int length;
  private final int capacity;
  private final double[] d;
  private final float[] f;
  private int count;

  private RealBatch(Precision precision, int length, int capacity) {
    if (length < 1 || capacity < 0) {
      throw new IllegalArgumentException("a vector batch needs length >= 1 and capacity >= 0");
    }
    long n = (long) length * capacity;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a batch of " + capacity + " vectors of " + length + " does not fit one array");
    }
    this.precision = precision;
    this.length = length;
    this.capacity = capacity;
    this.d = precision == Precision.DOUBLE ? new double[(int) n] : null;
    this.f = precision == Precision.SINGLE ? new float[(int) n] : null;
    this.count = capacity;
  }

  public static RealBatch allocate(Precision precision, int length, int capacity) {
    return new RealBatch(precision, length, capacity);
  }

  public Precision precision() {
    return precision;
  }

  /** Elements per vector. */
  public int length() {
    return length;
  }

  public int capacity() {
    return capacity;
  }

  public int count() {
    return count;
  }

  public void setCount(int count) {
    if (count < 0 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + capacity);
    }
    this.count = count;
  }

  public double[] doubles() {
    if (d == null) {
      throw new IllegalStateException("a " + precision + " batch has no double[] storage");
    }
    return d;
  }

  public float[] floats() {
    if (f == null) {
      throw new IllegalStateException("a " + precision + " batch has no float[] storage");
    }
    return f;
  }

  /** Element i of vector k, widened to double. */
  public double get(int k, int i) {
    int x = k * length + i;
    return d != null ? d[x] : f[x];
  }

  public void set(int k, int i, double value) {
    int x = k * length + i;
    if (d != null) {
      d[x] = value;
    } else {
      f[x] = (float) value;
    }
  }

  /** Sets every element of vector k to {@code value}. */
  public void fill(int k, double value) {
    for (int i = 0; i < length; i++) {
      set(k, i, value);
    }
  }
}
