package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/** The contract, run against cuSOLVER/cuBLAS where a GPU is usable; skipped (not failed) elsewhere. */
class CudaBackendContractTest extends LinalgBackendContract {
  @BeforeAll
  static void needsAGpu() {
    assumeTrue(CudaAvailability.usable(), CudaAvailability.why());
  }

  @Override
  protected LinalgBackend open() {
    return Backends.open("cuda");
  }
}
