package org.mimobatch.jobs.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads slabs of one {@link StoredArray}: the elements whose index along one logical axis lies in
 * [from, from + count), every other axis whole, into interleaved (re, im) doubles laid out as the
 * file stores them (storage order, the split axis {@code count} long). {@link Slab} says where an
 * element lands. In storage the slab is a set of runs, one per index of the axes stored slower
 * than the split axis; readers that fetch bytes by position read run after run.
 */
abstract class SlabReader implements Closeable {
  protected final StoredArray array;

  SlabReader(StoredArray array) {
    this.array = array;
  }

  /** Fills {@code dst} with the slab; {@code axis} −1 reads the whole array. */
  void read(int axis, long from, long count, double[] dst) throws IOException {
    ArrayShape s = array.shape();
    if (axis < 0) {
      readRun(0, s.elements(), dst, 0);
      return;
    }
    long run = count * s.stride(axis);
    // The axes stored slower than the split axis, each run one combination of their indices.
    int slower = 0;
    while (s.storageAxis(slower) != axis) {
      slower++;
    }
    long[] index = new long[slower];
    long at = 0;
    while (true) {
      long start = from * s.stride(axis);
      for (int k = 0; k < slower; k++) {
        start += index[k] * s.stride(s.storageAxis(k));
      }
      readRun(start, run, dst, at);
      at += run;
      int k = slower - 1;
      while (k >= 0 && ++index[k] == s.dim(s.storageAxis(k))) {
        index[k--] = 0;
      }
      if (k < 0) {
        return;
      }
    }
  }

  /** Reads {@code count} elements from storage position {@code start} into {@code dst} from element {@code at}. */
  abstract void readRun(long start, long count, double[] dst, long at) throws IOException;

  @Override
  public void close() throws IOException {}
}
