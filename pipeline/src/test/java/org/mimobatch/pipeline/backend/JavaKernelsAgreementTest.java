package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The Java kernels against LAPACKE on the same random batches: singular values, eigenvalues of
 * HᴴH and solutions agree within the contract's tolerance (SLACK·n·ε relative to the largest value
 * or the solution's norm, times κ for solves).
 */
class JavaKernelsAgreementTest {
  private static final int BATCH = 200;

  @ParameterizedTest(name = "{0} {1}x{2}")
  @CsvSource({"DOUBLE, 2, 2", "DOUBLE, 3, 3", "DOUBLE, 4, 4", "DOUBLE, 8, 8", "DOUBLE, 16, 16", "DOUBLE, 8, 3",
      "DOUBLE, 3, 8", "SINGLE, 2, 2", "SINGLE, 4, 4", "SINGLE, 8, 8", "SINGLE, 16, 16", "SINGLE, 6, 2"})
  void javaAndLapackeAgree(Precision p, int m, int n) {
    SplittableRandom rng = new SplittableRandom(31L * m + n);
    ComplexBatch a = LinalgBackendContract.randomBatch(p, m, n, BATCH, rng);
    int k = Math.min(m, n);
    double tol = LinalgBackendContract.SLACK * Math.max(m, n) * p.epsilon();
    try (LinalgBackend java = CpuBackend.withKernels(KernelChoice.JAVA);
        LinalgBackend lapacke = CpuBackend.withKernels(KernelChoice.LAPACKE)) {
      RealBatch sj = RealBatch.allocate(p, k, BATCH);
      RealBatch sl = RealBatch.allocate(p, k, BATCH);
      byte[] stj = new byte[BATCH];
      byte[] stl = new byte[BATCH];
      java.svdValues(a, sj, stj);
      lapacke.svdValues(a, sl, stl);
      SpectrumAssertions.assertAgree(sl, stl, sj, stj, tol, "singular values");
      ComplexBatch u = ComplexBatch.allocate(p, m, k, BATCH);
      ComplexBatch vh = ComplexBatch.allocate(p, k, n, BATCH);
      java.svd(a, sj, u, vh, stj);
      SpectrumAssertions.assertAgree(sl, stl, sj, stj, tol, "singular values of the full svd");

      ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
      lapacke.gram(a, g);
      RealBatch wj = RealBatch.allocate(p, n, BATCH);
      RealBatch wl = RealBatch.allocate(p, n, BATCH);
      java.eighValues(g, wj, stj);
      lapacke.eighValues(g, wl, stl);
      SpectrumAssertions.assertAgree(wl, stl, wj, stj, tol, "eigenvalues of HᴴH");
      ComplexBatch z = ComplexBatch.allocate(p, n, n, BATCH);
      java.eigh(g, wj, z, stj);
      SpectrumAssertions.assertAgree(wl, stl, wj, stj, tol, "eigenvalues of HᴴH with vectors");

      if (m == n) {
        ComplexBatch b = LinalgBackendContract.randomBatch(p, n, 2, BATCH, rng);
        ComplexBatch xj = ComplexBatch.allocate(p, n, 2, BATCH);
        ComplexBatch xl = ComplexBatch.allocate(p, n, 2, BATCH);
        java.solve(a, b, xj, stj);
        lapacke.solve(a, b, xl, stl);
        for (int i = 0; i < BATCH; i++) {
          assertEquals(MatrixStatus.OK.code(), stl[i]);
          assertEquals(stl[i], stj[i], "solve status of matrix " + i);
          double kappa = sl.get(i, 0) / sl.get(i, k - 1);
          double norm = 0;
          double diff = 0;
          for (int x = 0; x < xl.matrixStride(); x++) {
            double l = xl.get(xl.offset(i) + x);
            norm += l * l;
            double d = l - xj.get(xj.offset(i) + x);
            diff += d * d;
          }
          assertEquals(0, Math.sqrt(diff), tol * kappa * Math.sqrt(norm), "solution of matrix " + i);
        }
      }
    }
  }
}
