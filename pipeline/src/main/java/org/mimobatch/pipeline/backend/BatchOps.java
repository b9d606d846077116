package org.mimobatch.pipeline.backend;

import java.util.Arrays;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/** Host-side pieces every backend shares: NaN-filling a failed matrix, finiteness, Frobenius norms. */
public final class BatchOps {
  private BatchOps() {}

  /** Are all values of vector {@code k} finite? */
  public static boolean isFinite(RealBatch values, int k) {
    for (int j = 0; j < values.length(); j++) {
      if (!Double.isFinite(values.get(k, j))) {
        return false;
      }
    }
    return true;
  }

  /** Fills matrix {@code k} with NaN, as the contract asks of a matrix whose status is not OK. */
  public static void fillNaN(ComplexBatch batch, int k) {
    int from = batch.offset(k);
    int to = from + batch.matrixStride();
    if (batch.precision() == Precision.DOUBLE) {
      Arrays.fill(batch.doubles(), from, to, Double.NaN);
    } else {
      Arrays.fill(batch.floats(), from, to, Float.NaN);
    }
  }

  /** norms[k] = ‖a_k‖_F, accumulated in double, as {@link LinalgBackend#frobeniusNorms} states. */
  public static void frobeniusNorms(ComplexBatch a, double[] norms) {
    if (norms.length < a.count()) {
      throw new IllegalArgumentException("norms has room for " + norms.length + " matrices, the input holds " + a.count());
    }
    int stride = a.matrixStride();
    for (int i = 0; i < a.count(); i++) {
      int from = a.offset(i);
      double sum = 0;
      for (int x = from; x < from + stride; x++) {
        double v = a.get(x);
        sum += v * v;
      }
      norms[i] = Math.sqrt(sum);
    }
  }
}
