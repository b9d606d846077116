package org.mimobatch.pipeline.backend;

import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;

/** The contract, run against the cpu backend's plain-Java kernels at every size of the sweep. */
class JavaKernelsContractTest extends LinalgBackendContract {
  @Override
  protected LinalgBackend open() {
    return CpuBackend.withKernels(KernelChoice.JAVA);
  }
}
