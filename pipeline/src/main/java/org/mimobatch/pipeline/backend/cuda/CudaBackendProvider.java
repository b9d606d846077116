package org.mimobatch.pipeline.backend.cuda;

import java.util.Optional;
import org.mimobatch.pipeline.backend.BackendProvider;
import org.mimobatch.pipeline.backend.BackendUnavailableException;
import org.mimobatch.pipeline.backend.LinalgBackend;

/**
 * Registers the {@code cuda} backend with {@link org.mimobatch.pipeline.backend.Backends}. It can
 * run where the CUDA runtime, cuBLAS and cuSOLVER load and a GPU is visible; elsewhere asking for
 * it fails with the reason, never falling back to the CPU.
 */
public final class CudaBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public Optional<String> unavailableReason() {
    return CudaRuntime.unavailableReason();
  }

  @Override
  public LinalgBackend open() {
    return open(-1);
  }

  /** On GPU {@code device} as CUDA numbers the visible ones (Spark's GPU addresses); negative: GPU 0. */
  @Override
  public LinalgBackend open(int device) {
    int ordinal = Math.max(device, 0);
    int visible = CudaRuntime.deviceCount();
    if (ordinal >= visible) {
      throw new BackendUnavailableException("backend 'cuda' cannot run here: GPU " + ordinal + " was assigned but "
          + visible + " GPU(s) are visible (check CUDA_VISIBLE_DEVICES and the GPU discovery script)");
    }
    return new CudaBackend(ordinal);
  }
}
