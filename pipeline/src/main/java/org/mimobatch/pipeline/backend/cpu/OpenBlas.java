package org.mimobatch.pipeline.backend.cpu;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.global.openblas_full;

/**
 * Loads OpenBLAS (BLAS and LAPACKE) once per JVM. A failure is kept and reported when the CPU
 * backend is asked for, instead of surfacing as an {@link UnsatisfiedLinkError} in the middle of a
 * task.
 */
final class OpenBlas {
  private static final Optional<String> LOAD_ERROR = load();

  private OpenBlas() {}

  /** Why OpenBLAS could not be loaded, or empty when it is ready. */
  static Optional<String> loadError() {
    return LOAD_ERROR;
  }

  private static Optional<String> load() {
    try {
      Loader.load(openblas.class);
      Loader.load(openblas_full.class);
      // Spark runs one task per core; a LAPACK call that spawned its own threads would oversubscribe.
      openblas_full.openblas_set_num_threads(1);
      return Optional.empty();
    } catch (Throwable e) {
      return Optional.of("OpenBLAS natives for " + Loader.getPlatform() + " did not load: " + e);
    }
  }
}
