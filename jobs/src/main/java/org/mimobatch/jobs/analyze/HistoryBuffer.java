package org.mimobatch.jobs.analyze;

import java.util.Arrays;
import org.mimobatch.pipeline.refine.HistorySink;
import org.mimobatch.pipeline.refine.RefineMethod;

/** Collects the loss histories of a chunk whose matrices are all sampled; emptied after every chunk. */
final class HistoryBuffer implements HistorySink {
  private int[] matrix = new int[1024];
  private byte[] method = new byte[1024];
  private int[] iteration = new int[1024];
  private double[] loss = new double[1024];
  private int size;

  @Override
  public boolean sampled(int m) {
    return true;
  }

  @Override
  public void record(int m, RefineMethod refinement, int it, double value) {
    if (size == matrix.length) {
      int grown = 2 * size;
      matrix = Arrays.copyOf(matrix, grown);
      method = Arrays.copyOf(method, grown);
      iteration = Arrays.copyOf(iteration, grown);
      loss = Arrays.copyOf(loss, grown);
    }
    matrix[size] = m;
    method[size] = (byte) refinement.ordinal();
    iteration[size] = it;
    loss[size] = value;
    size++;
  }

  int size() {
    return size;
  }

  int matrix(int k) {
    return matrix[k];
  }

  RefineMethod method(int k) {
    return RefineMethod.values()[method[k]];
  }

  int iteration(int k) {
    return iteration[k];
  }

  double loss(int k) {
    return loss[k];
  }

  void clear() {
    size = 0;
  }
}
