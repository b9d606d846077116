package org.mimobatch.pipeline.backend;

import java.util.ServiceLoader;

/** Whether this test JVM can use the cuda backend, and why not, for assumptions. */
final class CudaAvailability {
  private CudaAvailability() {}

  static boolean usable() {
    return reason() == null;
  }

  static String why() {
    String r = reason();
    return r == null ? "a GPU is usable" : "no usable GPU: " + r;
  }

  private static String reason() {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (p.name().equals("cuda")) {
        return p.unavailableReason().orElse(null);
      }
    }
    return "the cuda backend is not on the class path";
  }
}
