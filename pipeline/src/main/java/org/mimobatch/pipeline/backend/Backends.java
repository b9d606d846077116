package org.mimobatch.pipeline.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds backends by name. Asking for a backend that exists but cannot run (its natives do not load,
 * no device) fails with the reason; there is never a silent fallback to another backend.
 */
public final class Backends {
  private static volatile TreeMap<String, BackendProvider> providers;

  private Backends() {}

  /** A new instance of the backend called {@code name}, for use by one thread. */
  public static LinalgBackend open(String name) {
    BackendProvider provider = provider(name);
    provider.unavailableReason().ifPresent(reason -> {
      throw new BackendUnavailableException("backend '" + name + "' cannot run here: " + reason);
    });
    return provider.open();
  }

  /** Throws unless {@code name} names a backend that can run in this JVM; the message says why not. */
  public static void requireAvailable(String name) {
    provider(name).unavailableReason().ifPresent(reason -> {
      throw new BackendUnavailableException("backend '" + name + "' cannot run here: " + reason);
    });
  }

  /** The names of every backend on the class path, runnable or not. */
  public static List<String> names() {
    return new ArrayList<>(all().keySet());
  }

  private static BackendProvider provider(String name) {
    BackendProvider provider = all().get(name);
    if (provider == null) {
      throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + String.join(", ", names()));
    }
    return provider;
  }

  private static TreeMap<String, BackendProvider> all() {
    TreeMap<String, BackendProvider> found = providers;
    if (found == null) {
      found = new TreeMap<>();
      for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
        found.put(p.name(), p);
      }
      providers = found;
    }
    return found;
  }
}
