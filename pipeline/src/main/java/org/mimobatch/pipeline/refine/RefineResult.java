package org.mimobatch.pipeline.refine;

import java.util.Arrays;

/** The per-matrix outcome of one refinement over a chunk, in flat arrays reused from chunk to chunk. */
public final class RefineResult {
  private final RefineMethod method;
  final byte[] status;
  final int[] iterations;
  final double[] loss;
  final double[] error;
  final double[] errorBefore;

  RefineResult(RefineMethod method, int capacity) {
    this.method = method;
    this.status = new byte[capacity];
    this.iterations = new int[capacity];
    this.loss = new double[capacity];
    this.error = new double[capacity];
    this.errorBefore = new double[capacity];
  }

  public RefineMethod method() {
    return method;
  }

  public RefineStatus status(int i) {
    return RefineStatus.ofCode(status[i]);
  }

  /** Updates applied when the method stopped (0 when it started converged). */
  public int iterations(int i) {
    return iterations[i];
  }

  /** The loss of the final iterate, in the method's own measure. */
  public double loss(int i) {
    return loss[i];
  }

  /** The distance of the final iterate from the direct result (relative unless the method says otherwise). */
  public double error(int i) {
    return error[i];
  }

  /** The same distance for the starting point, where the method reports it (mixed precision), else NaN. */
  public double errorBefore(int i) {
    return errorBefore[i];
  }

  void clear(int count) {
    Arrays.fill(status, 0, count, RefineStatus.NONE.code());
    Arrays.fill(iterations, 0, count, 0);
    Arrays.fill(loss, 0, count, Double.NaN);
    Arrays.fill(error, 0, count, Double.NaN);
    Arrays.fill(errorBefore, 0, count, Double.NaN);
  }

  void set(int i, RefineStatus s, int its, double lossValue) {
    status[i] = s.code();
    iterations[i] = its;
    loss[i] = lossValue;
  }
}
