package org.mimobatch.pipeline.batch;

import java.util.Arrays;

/**
 * A batch of {@code capacity} complex matrices of the same shape {@code rows × cols}, stored in one
 * primitive array: {@code double[]} for {@link Precision#DOUBLE}, {@code float[]} for
 * {@link Precision#SINGLE}.
 *
 * <h2>Layout</h2>
 * Matrices follow each other; inside a matrix, entries are column-major (as LAPACK and cuBLAS
 * expect, so no transposition is needed on the way to a kernel), and every entry is an interleaved
 * pair (real, imaginary). Entry (i, j) of matrix k therefore sits at
 * <pre>
 *   re: 2 * (k * rows * cols + j * rows + i)
 *   im: 2 * (k * rows * cols + j * rows + i) + 1
 * </pre>
 * {@link #count()} says how many of the first matrices hold data; kernels work on those only. A
 * batch is allocated once per chunk shape and reused for every chunk, so nothing on a hot path
 * allocates per matrix.
 */
public final class ComplexBatch {
  private final Precision precision;
  private final int rows;
  private final int cols;
  private final int capacity;
  private final double[] d;
  private final float[] f;
  private int count;

  private ComplexBatch(Precision precision, int rows, int cols, int capacity) {
    if (rows < 1 || cols < 1 || capacity < 0) {
      throw new IllegalArgumentException(
          "a batch needs rows >= 1, cols >= 1 and capacity >= 0, got " + rows + "x" + cols + " × " + capacity);
    }
    long length = 2L * rows * cols * capacity;
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "a batch of " + capacity + " matrices " + rows + "x" + cols + " does not fit one array; use smaller chunks");
    }
    this.precision = precision;
    this.rows = rows;
    this.cols = cols;
    this.capacity = capacity;
    this.d = precision == Precision.DOUBLE ? new double[(int) length] : null;
    this.f = precision == Precision.SINGLE ? new float[(int) length] : null;
    this.count = capacity;
  }

  /** A zero-filled batch with room for {@code capacity} matrices; its count starts at capacity. */
  public static ComplexBatch allocate(Precision precision, int rows, int cols, int capacity) {
    return new ComplexBatch(precision, rows, cols, capacity);
  }

  public Precision precision() {
    return precision;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int capacity() {
    return capacity;
  }

  /** How many leading matrices hold data. */
  public int count() {
    return count;
  }

  public void setCount(int count) {
    if (count < 0 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + capacity);
    }
    this.count = count;
  }

  /** Real elements per matrix: 2 · rows · cols. */
  public int matrixStride() {
    return 2 * rows * cols;
  }

  /** Index into the backing array of matrix k's first entry. */
  public int offset(int k) {
    return k * matrixStride();
  }

  /** Index into the backing array of the real part of entry (i, j) of matrix k. */
  public int index(int k, int i, int j) {
    return 2 * (k * rows * cols + j * rows + i);
  }

  /** The backing array of a {@link Precision#DOUBLE} batch (the same array every call). */
  public double[] doubles() {
    if (d == null) {
      throw new IllegalStateException("a " + precision + " batch has no double[] storage");
    }
    return d;
  }

  /** The backing array of a {@link Precision#SINGLE} batch (the same array every call). */
  public float[] floats() {
    if (f == null) {
      throw new IllegalStateException("a " + precision + " batch has no float[] storage");
    }
    return f;
  }

  /** Element {@code index} of the backing array, widened to double. */
  public double get(int index) {
    return d != null ? d[index] : f[index];
  }

  /** Sets element {@code index} of the backing array, rounded to the batch's precision. */
  public void put(int index, double value) {
    if (d != null) {
      d[index] = value;
    } else {
      f[index] = (float) value;
    }
  }

  public double re(int k, int i, int j) {
    return get(index(k, i, j));
  }

  public double im(int k, int i, int j) {
    return get(index(k, i, j) + 1);
  }

  public void set(int k, int i, int j, double re, double im) {
    int idx = index(k, i, j);
    put(idx, re);
    put(idx + 1, im);
  }

  /** Sets every entry of matrix k to zero. */
  public void clear(int k) {
    int from = offset(k);
    int to = from + matrixStride();
    if (d != null) {
      Arrays.fill(d, from, to, 0.0);
    } else {
      Arrays.fill(f, from, to, 0.0f);
    }
  }

  /** Does matrix k hold only finite numbers? */
  public boolean isFinite(int k) {
    int from = offset(k);
    int to = from + matrixStride();
    if (d != null) {
      for (int x = from; x < to; x++) {
        if (!Double.isFinite(d[x])) {
          return false;
        }
      }
    } else {
      for (int x = from; x < to; x++) {
        if (!Float.isFinite(f[x])) {
          return false;
        }
      }
    }
    return true;
  }

  /** Copies matrix {@code k} into matrix {@code dstK} of {@code dst}, which must have the same shape. */
  public void copyMatrix(int k, ComplexBatch dst, int dstK) {
    if (dst.rows != rows || dst.cols != cols) {
      throw new IllegalArgumentException("cannot copy a " + shape() + " matrix into a " + dst.shape() + " batch");
    }
    int n = matrixStride();
    if (d != null && dst.d != null) {
      System.arraycopy(d, offset(k), dst.d, dst.offset(dstK), n);
    } else if (f != null && dst.f != null) {
      System.arraycopy(f, offset(k), dst.f, dst.offset(dstK), n);
    } else {
      int s = offset(k);
      int t = dst.offset(dstK);
      for (int x = 0; x < n; x++) {
        dst.put(t + x, get(s + x));
      }
    }
  }

  /**
   * Sets matrix k from row-major real and imaginary parts (the order datasets store them in):
   * {@code re[i * cols + j]} is the real part of entry (i, j).
   */
  public void setRowMajor(int k, double[] re, double[] im) {
    checkRowMajorLength(re.length, im.length);
    int base = offset(k);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int src = i * cols + j;
        int dst = base + 2 * (j * rows + i);
        put(dst, re[src]);
        put(dst + 1, im[src]);
      }
    }
  }

  /** Writes matrix k as row-major real and imaginary parts into {@code re} and {@code im}. */
  public void getRowMajor(int k, double[] re, double[] im) {
    checkRowMajorLength(re.length, im.length);
    int base = offset(k);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int src = base + 2 * (j * rows + i);
        re[i * cols + j] = get(src);
        im[i * cols + j] = get(src + 1);
      }
    }
  }

  /** As {@link #getRowMajor(int, double[], double[])}, into floats (exact for a single-precision batch). */
  public void getRowMajor(int k, float[] re, float[] im) {
    checkRowMajorLength(re.length, im.length);
    int base = offset(k);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        int src = base + 2 * (j * rows + i);
        re[i * cols + j] = (float) get(src);
        im[i * cols + j] = (float) get(src + 1);
      }
    }
  }

  private void checkRowMajorLength(int reLength, int imLength) {
    int n = rows * cols;
    if (reLength != n || imLength != n) {
      throw new IllegalArgumentException(
          "a " + shape() + " matrix needs " + n + " real and imaginary parts, got " + reLength + " and " + imLength);
    }
  }

  /** "rows×cols", for messages. */
  public String shape() {
    return rows + "x" + cols;
  }

  @Override
  public String toString() {
    return "ComplexBatch[" + precision + ", " + shape() + ", " + count + "/" + capacity + "]";
  }
}
