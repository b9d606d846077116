package org.mimobatch.pipeline.backend.cpu;

import java.util.Optional;
import org.mimobatch.pipeline.backend.BackendProvider;
import org.mimobatch.pipeline.backend.LinalgBackend;

/** Registers the {@code cpu} backend with {@link org.mimobatch.pipeline.backend.Backends}. */
public final class CpuBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public Optional<String> unavailableReason() {
    return OpenBlas.loadError();
  }

  @Override
  public LinalgBackend open() {
    return new CpuBackend(KernelChoice.MEASURED);
  }
}
