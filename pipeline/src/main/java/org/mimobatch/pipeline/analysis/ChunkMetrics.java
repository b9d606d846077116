package org.mimobatch.pipeline.analysis;

import java.util.Arrays;
import java.util.List;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.refine.RefineResult;

/**
 * The per-matrix results of one analysed chunk, in flat arrays reused from chunk to chunk: one array
 * per {@link Metric}, {@link Metric#width} values per matrix. Every metric of a matrix whose status
 * is not {@link MatrixStatus#OK} is NaN, and so is a metric undefined for an ok matrix; both are
 * written as nulls.
 */
public final class ChunkMetrics {
  private static final Metric[] METRICS = Metric.values();

  final int capacity;
  final int rank;
  final int snrCount;
  final byte[] status;
  private final double[][] values = new double[METRICS.length][];
  List<RefineResult> refine = List.of();
  int count;

  ChunkMetrics(int capacity, int rank, int snrCount) {
    this.capacity = capacity;
    this.rank = rank;
    this.snrCount = snrCount;
    this.status = new byte[capacity];
    for (Metric m : METRICS) {
      values[m.ordinal()] = new double[capacity * width(m)];
    }
  }

  /** The array of one metric, {@link #width} values per matrix, for the analyzer to fill. */
  double[] values(Metric m) {
    return values[m.ordinal()];
  }

  /** Sets every metric of matrix i to NaN. */
  void clear(int i) {
    for (Metric m : METRICS) {
      int w = width(m);
      Arrays.fill(values[m.ordinal()], i * w, (i + 1) * w, Double.NaN);
    }
  }

  /** Matrices in this chunk. */
  public int count() {
    return count;
  }

  /** Singular values per matrix: min(rows, cols). */
  public int rank() {
    return rank;
  }

  public int snrCount() {
    return snrCount;
  }

  /** Values of {@code m} per matrix. */
  public int width(Metric m) {
    return m.width(rank, snrCount);
  }

  public MatrixStatus status(int i) {
    return MatrixStatus.ofCode(status[i]);
  }

  public boolean ok(int i) {
    return MatrixStatus.isOk(status[i]);
  }

  /** Value j (index or SNR; 0 for a scalar) of metric m for matrix i; NaN where undefined. */
  public double value(Metric m, int i, int j) {
    return values[m.ordinal()][i * width(m) + j];
  }

  /** Does matrix i carry metric m (its first value is not NaN)? */
  public boolean defined(Metric m, int i) {
    return !Double.isNaN(values[m.ordinal()][i * width(m)]);
  }

  /** The refinements' results, one per configured method in order (empty when none are configured). */
  public List<RefineResult> refine() {
    return refine;
  }
}
