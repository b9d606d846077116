package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * The lane-parallel kernels against the one-matrix-at-a-time route, on batches whose count is not
 * a multiple of the lanes and whose groups mix a non-finite, a zero and a rank-one matrix with
 * random ones: the same statuses, and values within the contract's tolerance.
 */
class LaneKernelsTest {
  private static final int BATCH = 11;

  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"DOUBLE, 8, 8", "DOUBLE, 5, 3", "DOUBLE, 3, 5", "DOUBLE, 1, 1", "DOUBLE, 12, 12", "SINGLE, 8, 8",
      "SINGLE, 4, 6"})
  void lanesAgreeWithOneMatrixAtATime(Precision p, int m, int n) {
    ComplexBatch a = LinalgBackendContract.randomBatch(p, m, n, BATCH, new SplittableRandom(7L * m + n));
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        a.set(2, i, j, 0, 0);
        a.set(7, i, j, (i + 1) * 0.5 * (j + 1), -(i + 1) * 0.5 * (j + 1)); // (1 − 1j)/2 · (i + 1)(j + 1): rank one
      }
    }
    a.set(5, 0, n - 1, Double.NaN, 0);
    int k = Math.min(m, n);
    try (LinalgBackend lanes = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend scalar = CpuBackend.withKernels(KernelChoice.JAVA_SCALAR)) {
      RealBatch sl = RealBatch.allocate(p, k, BATCH);
      RealBatch ss = RealBatch.allocate(p, k, BATCH);
      byte[] stl = new byte[BATCH];
      byte[] sts = new byte[BATCH];
      lanes.svdValues(a, sl, stl);
      scalar.svdValues(a, ss, sts);
      assertEquals(MatrixStatus.NON_FINITE.code(), stl[5]);
      assertEquals(MatrixStatus.OK.code(), stl[2], "a zero matrix has zero singular values");
      assertEquals(0.0, sl.get(2, 0));
      double tol = LinalgBackendContract.SLACK * Math.max(m, n) * p.epsilon();
      SpectrumAssertions.assertAgreeWhereOk(ss, sts, sl, stl, tol, "singular value");
      if (k > 1) {
        assertEquals(0.0, sl.get(7, 1), tol * sl.get(7, 0), "a rank-one matrix has one non-zero singular value");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{1}")
  @CsvSource({"DOUBLE, 8", "DOUBLE, 1", "DOUBLE, 5", "DOUBLE, 33", "SINGLE, 8", "SINGLE, 3"})
  void laneTridiagonalisationAgreesWithOneMatrixAtATimeWithAndWithoutVectors(Precision p, int n) {
    ComplexBatch h = LinalgBackendContract.randomBatch(p, n, n, BATCH, new SplittableRandom(5L * n));
    try (LinalgBackend lanes = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend scalar = CpuBackend.withKernels(KernelChoice.JAVA_SCALAR)) {
      ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
      scalar.gram(h, g);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          g.set(2, i, j, 0, 0);
          if (i < j) {
            g.set(4, i, j, 1e6, -1e6); // the upper triangle is not read
          }
        }
      }
      g.set(5, n - 1, 0, Double.NaN, 0);
      RealBatch wl = RealBatch.allocate(p, n, BATCH);
      RealBatch ws = RealBatch.allocate(p, n, BATCH);
      byte[] stl = new byte[BATCH];
      byte[] sts = new byte[BATCH];
      lanes.eighValues(g, wl, stl);
      scalar.eighValues(g, ws, sts);
      assertEquals(MatrixStatus.NON_FINITE.code(), stl[5]);
      double tol = LinalgBackendContract.SLACK * n * p.epsilon();
      SpectrumAssertions.assertAgreeWhereOk(ws, sts, wl, stl, tol, "eigenvalue");

      // With eigenvectors: the same values, and Z diagonalises the Hermitian matrix of the lower triangle.
      ComplexBatch z = ComplexBatch.allocate(p, n, n, BATCH);
      lanes.eigh(g, wl, z, stl);
      assertEquals(MatrixStatus.NON_FINITE.code(), stl[5]);
      SpectrumAssertions.assertAgreeWhereOk(ws, sts, wl, stl, tol, "eigenvalue with vectors");
      for (int k = 0; k < BATCH; k++) {
        if (stl[k] != MatrixStatus.OK.code()) {
          continue;
        }
        Dense herm = new Dense(n, n);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j <= i; j++) {
            herm.set(i, j, g.re(k, i, j), i == j ? 0 : g.im(k, i, j));
            herm.set(j, i, g.re(k, i, j), i == j ? 0 : -g.im(k, i, j));
          }
        }
        Dense zk = Dense.of(z, k);
        double[] wk = LinalgBackendContract.values(wl, k);
        double scale = Math.max(herm.frobenius(), Double.MIN_NORMAL);
        assertTrue(herm.times(zk).minus(zk.scaleColumns(wk)).frobenius() <= tol * scale, "matrix " + k + ": ‖HZ − ZΛ‖");
        assertTrue(zk.conjugateTranspose().times(zk).minus(Dense.identity(n)).maxAbs() <= tol, "matrix " + k + ": ZᴴZ ≠ I");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}x{1}, {2} right-hand sides")
  @CsvSource({"DOUBLE, 8, 1", "DOUBLE, 3, 4", "DOUBLE, 1, 2", "DOUBLE, 24, 2", "SINGLE, 8, 1", "SINGLE, 5, 3"})
  void laneSolvesAgreeWithOneSystemAtATime(Precision p, int n, int r) {
    SplittableRandom rng = new SplittableRandom(3L * n + r);
    ComplexBatch a = LinalgBackendContract.randomBatch(p, n, n, BATCH, rng);
    ComplexBatch b = LinalgBackendContract.randomBatch(p, n, r, BATCH, rng);
    for (int i = 0; i < n; i++) {
      a.set(2, i, 0, 0, 0); // singular: a zero column
    }
    a.set(4, 0, 0, 0, 0); // a zero where the first pivot would be: needs an exchange
    a.set(5, n - 1, n - 1, Double.POSITIVE_INFINITY, 0);
    try (LinalgBackend lanes = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend scalar = CpuBackend.withKernels(KernelChoice.JAVA_SCALAR)) {
      ComplexBatch xl = ComplexBatch.allocate(p, n, r, BATCH);
      ComplexBatch xs = ComplexBatch.allocate(p, n, r, BATCH);
      byte[] stl = new byte[BATCH];
      byte[] sts = new byte[BATCH];
      lanes.solve(a, b, xl, stl);
      scalar.solve(a, b, xs, sts);
      assertEquals(MatrixStatus.NON_FINITE.code(), stl[5]);
      assertEquals(MatrixStatus.SINGULAR.code(), stl[2]);
      // Random systems here have κ far below 1e3.
      double tol = 1e3 * LinalgBackendContract.SLACK * n * p.epsilon();
      for (int x = 0; x < BATCH; x++) {
        assertEquals(sts[x], stl[x], "status of matrix " + x);
        if (stl[x] == MatrixStatus.OK.code()) {
          double norm = 0;
          for (int e = 0; e < 2 * n * r; e++) {
            norm = Math.max(norm, Math.abs(xs.get(xs.offset(x) + e)));
          }
          for (int e = 0; e < 2 * n * r; e++) {
            assertEquals(xs.get(xs.offset(x) + e), xl.get(xl.offset(x) + e), tol * norm, "x of system " + x);
          }
        }
      }
    }
  }

  /**
   * The bisected eigenvalues (orders 3 to 16) against LAPACK's zheevd on the spectra that stress a
   * Sturm count: decoupled blocks (zero off-diagonals) with repeated and zero eigenvalues, where a
   * leading minor is exactly zero at a midpoint; Wilkinson's W⁺, whose largest eigenvalues agree in
   * their first digits; the Gram matrix of one row (n − 1 zero eigenvalues, minors near underflow
   * at the end of bisection); and those matrices at scales near overflow and underflow.
   */
  @ParameterizedTest(name = "{1} n={0}")
  @CsvSource({"3, DOUBLE", "4, DOUBLE", "6, DOUBLE", "7, DOUBLE", "8, DOUBLE", "9, DOUBLE", "10, DOUBLE",
      "13, DOUBLE", "14, DOUBLE", "16, DOUBLE", "6, SINGLE", "8, SINGLE", "16, SINGLE"})
  void bisectedEigenvaluesMatchLapackOnHardSpectra(int n, Precision p) {
    ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
    for (int i = 0; i < n; i++) {
      g.set(0, i, i, i % 3 == 0 ? 0 : i % 3 == 1 ? -1 : 2, 0); // diag(0, −1, 2, 0, −1, 2, …)
      g.set(1, i, i, Math.abs(n / 2 - i), 0); // Wilkinson W⁺: |m − i| on the diagonal, ones beside it
      if (i > 0) {
        g.set(1, i, i - 1, 1, 0);
      }
      for (int j = 0; j <= i; j++) {
        // The Gram matrix of the row r_j = (j + 1)(1 + 1j)/n: r_i·conj(r_j) at (i, j).
        g.set(2, i, j, 2.0 * (i + 1) * (j + 1) / ((double) n * n), 0);
        g.set(3, i, j, i == j ? (p == Precision.DOUBLE ? 5e-301 : 5e-37) : 0, 0); // a tiny identity
      }
    }
    for (int k = 4; k < BATCH; k++) {
      // Near the precision's overflow (the largest eigenvalues stay finite) and deep below 1.
      double big = p == Precision.DOUBLE ? 1e307 : 1e37;
      double scale = k == 4 ? big : k % 2 == 0 ? Math.sqrt(big) : 1 / Math.sqrt(big);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          g.set(k, i, j, g.re(k % 3, i, j) * scale, g.im(k % 3, i, j) * scale);
        }
      }
    }
    try (LinalgBackend lanes = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend lapacke = CpuBackend.withKernels(KernelChoice.LAPACKE)) {
      RealBatch wl = RealBatch.allocate(p, n, BATCH);
      RealBatch wr = RealBatch.allocate(p, n, BATCH);
      byte[] stl = new byte[BATCH];
      byte[] str = new byte[BATCH];
      lanes.eighValues(g, wl, stl);
      lapacke.eighValues(g, wr, str);
      SpectrumAssertions.assertAgreeWhereOk(wr, str, wl, stl, LinalgBackendContract.SLACK * n * p.epsilon(),
          "eigenvalue");
      assertTrue(Double.isFinite(wl.get(4, n - 1)), "eigenvalues near overflow stay finite");
      for (int k = 0; k < BATCH; k++) {
        assertEquals(MatrixStatus.OK.code(), stl[k], "matrix " + k);
      }
      // The decoupled diagonal: its eigenvalues are its entries, sorted.
      assertEquals(-1.0, wl.get(0, 0), 4 * p.epsilon());
      assertEquals(2.0, wl.get(0, n - 1), 4 * p.epsilon());
      // [[0, a, 0], [a, 0, a], [0, a, 0]] with a near overflow: eigenvalues 0 and ±√2·a, all finite.
      double a = p == Precision.DOUBLE ? 1e308 : 2e38;
      ComplexBatch path = ComplexBatch.allocate(p, 3, 3, 1);
      path.set(0, 1, 0, a, 0);
      path.set(0, 2, 1, a, 0);
      RealBatch w3 = RealBatch.allocate(p, 3, 1);
      byte[] st3 = new byte[1];
      lanes.eighValues(path, w3, st3);
      assertEquals(MatrixStatus.OK.code(), st3[0]);
      assertEquals(-Math.sqrt(2) * a, w3.get(0, 0), 8 * p.epsilon() * a);
      assertEquals(0, w3.get(0, 1), 8 * p.epsilon() * a);
      assertEquals(Math.sqrt(2) * a, w3.get(0, 2), 8 * p.epsilon() * a);
    }
  }
}
