package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;
import org.mimobatch.pipeline.kernels.VectorModule;

/**
 * The contract, run against the cpu backend's plain-Java kernels at every size of the sweep, with
 * singular values alone through the lane-parallel Jacobi (the test JVM has the vector module, as
 * Spark's do).
 */
class JavaKernelsContractTest extends LinalgBackendContract {
  @Override
  protected LinalgBackend open() {
    return CpuBackend.withKernels(KernelChoice.JAVA);
  }

  @Test
  void theLaneParallelJacobiIsTheOneUnderTest() {
    assertTrue(VectorModule.present(), "tests run with --add-modules=jdk.incubator.vector");
  }
}
