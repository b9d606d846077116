package org.mimobatch.pipeline.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.kernels.HermitianJacobi;

/**
 * The torch.linalg text's toy: maximise the smallest eigenvalue of A = L Lᵀ / tr(L Lᵀ) with Adam
 * (lr 0.01, 500 steps) through the eigendecomposition; the optimum is A = I/n. The gradient of
 * λ_min is v vᵀ through A (v its eigenvector), undefined where λ_min is repeated — which the optimum
 * is, so the iterate hovers near I/n instead of landing on it.
 */
class EigenvalueAscentToyTest {
  @Test
  void theSmallestEigenvalueClimbsToOneOverN() {
    int n = 4;
    for (long seed = 0; seed < 3; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[] l = new double[n * n]; // row-major real L
      for (int x = 0; x < l.length; x++) {
        l[x] = rng.nextGaussian();
      }
      double[] m = new double[n * n];
      double[] v = new double[n * n];
      HermitianJacobi jacobi = new HermitianJacobi(n);
      double[] a = new double[2 * n * n];
      double[] w = new double[n];
      double[] z = new double[2 * n * n];
      double start = smallest(l, n, jacobi, a, w, z);
      for (int t = 1; t <= 500; t++) {
        double trace = normalised(l, n, a);
        jacobi.decompose(a, 0, w, 0, z, 0);
        double lambda = w[0];
        // ∂λ_min/∂L = (2/t)(v vᵀ L − λ L); ascend, so the loss is −λ_min.
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            double vvl = 0;
            for (int k = 0; k < n; k++) {
              vvl += z[2 * i] * z[2 * k] * l[k * n + j];
            }
            double g = -(2 / trace) * (vvl - lambda * l[i * n + j]);
            int x = i * n + j;
            m[x] = 0.9 * m[x] + 0.1 * g;
            v[x] = 0.999 * v[x] + 0.001 * g * g;
            l[x] -= 0.01 * (m[x] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[x] / (1 - Math.pow(0.999, t))) + 1e-8);
          }
        }
      }
      normalised(l, n, a);
      jacobi.decompose(a, 0, w, 0, z, 0);
      assertTrue(w[0] > start, "λ_min grew");
      for (int i = 0; i < n; i++) {
        assertEquals(1.0 / n, w[i], 0.01, "eigenvalue " + i + " of the final A");
      }
    }
  }

  private static double smallest(double[] l, int n, HermitianJacobi jacobi, double[] a, double[] w, double[] z) {
    normalised(l, n, a);
    jacobi.decompose(a, 0, w, 0, z, 0);
    return w[0];
  }

  /** a = L Lᵀ / tr(L Lᵀ) as a complex column-major matrix; returns the trace. */
  private static double normalised(double[] l, int n, double[] a) {
    double trace = 0;
    for (double x : l) {
      trace += x * x;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += l[i * n + k] * l[j * n + k];
        }
        a[2 * (j * n + i)] = s / trace;
        a[2 * (j * n + i) + 1] = 0;
      }
    }
    return trace;
  }
}
