package org.mimobatch.pipeline.backend;

/** The contract, run against the LAPACKE backend. */
class CpuBackendContractTest extends LinalgBackendContract {
  @Override
  protected LinalgBackend open() {
    return Backends.open("cpu");
  }
}
