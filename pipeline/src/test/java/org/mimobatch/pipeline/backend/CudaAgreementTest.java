package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * cuda against cpu on the same batches: every singular value and eigenvalue within 1e-10 relative
 * (complex128) or 1e-4 (complex64) of the LAPACK result. Where no GPU is usable, asking for cuda
 * must fail with the reason and auto must pick cpu.
 */
class CudaAgreementTest {
  private static final int BATCH = 1000;

  @Test
  void withoutAGpuCudaFailsLoudlyAndAutoPicksCpu() {
    assumeFalse(CudaAvailability.usable(), "a GPU is usable here");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
    assertTrue(e.getMessage().startsWith("backend 'cuda' cannot run here: "), e.getMessage());
    assertEquals("cpu", Backends.resolve(Backends.AUTO));
    try (LinalgBackend auto = Backends.open(Backends.AUTO)) {
      assertEquals("cpu", auto.name());
    }
  }

  @Test
  void withAGpuAutoPicksCuda() {
    assumeTrue(CudaAvailability.usable(), CudaAvailability.why());
    assertEquals("cuda", Backends.resolve(Backends.AUTO));
  }

  @ParameterizedTest(name = "{0} {1}x{1}")
  @CsvSource({"DOUBLE, 2", "DOUBLE, 8", "DOUBLE, 16", "DOUBLE, 32", "DOUBLE, 48", "SINGLE, 2", "SINGLE, 8",
      "SINGLE, 16", "SINGLE, 32", "SINGLE, 48"})
  void spectraAgreeWithLapack(Precision p, int n) {
    assumeTrue(CudaAvailability.usable(), CudaAvailability.why());
    double tol = p == Precision.DOUBLE ? 1e-10 : 1e-4;
    SplittableRandom rng = new SplittableRandom(n);
    ComplexBatch a = LinalgBackendContract.randomBatch(p, n, n, BATCH, rng);
    try (LinalgBackend cpu = Backends.open("cpu"); LinalgBackend cuda = Backends.open("cuda")) {
      RealBatch sCpu = RealBatch.allocate(p, n, BATCH);
      RealBatch sGpu = RealBatch.allocate(p, n, BATCH);
      byte[] stCpu = new byte[BATCH];
      byte[] stGpu = new byte[BATCH];
      cpu.svdValues(a, sCpu, stCpu);
      cuda.svdValues(a, sGpu, stGpu);
      SpectrumAssertions.assertAgree(sCpu, stCpu, sGpu, stGpu, tol, "singular values");

      ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
      cpu.gram(a, g);
      ComplexBatch gGpu = ComplexBatch.allocate(p, n, n, BATCH);
      cuda.gram(a, gGpu);
      for (int x = 0; x < BATCH * g.matrixStride(); x++) {
        assertEquals(g.get(x), gGpu.get(x), tol * (1 + Math.abs(g.get(x))) * n, "Gram entry " + x);
      }
      cpu.eighValues(g, sCpu, stCpu);
      cuda.eighValues(g, sGpu, stGpu);
      SpectrumAssertions.assertAgree(sCpu, stCpu, sGpu, stGpu, tol, "eigenvalues of HᴴH");
    }
  }
}
