package org.mimobatch.pipeline.backend;

import java.util.Optional;

/**
 * Service interface through which {@link Backends} finds backends: implementations are listed in
 * {@code META-INF/services/org.mimobatch.pipeline.backend.BackendProvider}.
 */
public interface BackendProvider {

  /** The name users select this backend by. */
  String name();

  /**
   * Why this backend cannot run in this JVM (natives that failed to load, no device), or empty when it
   * can. Must be cheap after the first call.
   */
  Optional<String> unavailableReason();

  /** A new backend instance for one thread; called only when {@link #unavailableReason()} is empty. */
  LinalgBackend open();

  /**
   * A new backend instance for one thread on device {@code device} (negative: the default). Backends
   * without devices ignore it.
   */
  default LinalgBackend open(int device) {
    return open();
  }
}
