package org.mimobatch.pipeline.backend;

import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;

/**
 * The contract against the plain-Java kernels one matrix at a time: singular values alone by
 * Householder + Golub–Kahan, the route of JVMs without the vector module.
 */
class ScalarJavaKernelsContractTest extends LinalgBackendContract {
  @Override
  protected LinalgBackend open() {
    return CpuBackend.withKernels(KernelChoice.JAVA_SCALAR);
  }
}
