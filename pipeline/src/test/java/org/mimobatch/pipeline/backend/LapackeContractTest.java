package org.mimobatch.pipeline.backend;

import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;

/** The contract, run against the cpu backend's LAPACKE route at every size of the sweep. */
class LapackeContractTest extends LinalgBackendContract {
  @Override
  protected LinalgBackend open() {
    return CpuBackend.withKernels(KernelChoice.LAPACKE);
  }
}
