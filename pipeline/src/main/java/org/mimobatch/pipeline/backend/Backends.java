package org.mimobatch.pipeline.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds backends by name. Asking for a backend that exists but cannot run (its natives do not load,
 * no device) fails with the reason; there is never a silent fallback to another backend. The one
 * name that chooses is {@value #AUTO}: {@code cuda} where a GPU is usable, {@code cpu} otherwise,
 * decided in the JVM that runs the kernels.
 */
public final class Backends {
  private static volatile TreeMap<String, BackendProvider> providers;

  private Backends() {}

  /** The name that picks {@code cuda} where it can run and {@code cpu} otherwise. */
  public static final String AUTO = "auto";

  /** A new instance of the backend called {@code name}, for use by one thread, on its default device. */
  public static LinalgBackend open(String name) {
    return open(name, -1);
  }

  /**
   * A new instance of the backend called {@code name} for use by one thread, on device
   * {@code device} (a GPU ordinal as CUDA numbers the visible devices; negative: the backend's
   * default; ignored by backends without devices).
   */
  public static LinalgBackend open(String name, int device) {
    String resolved = resolve(name);
    BackendProvider provider = provider(resolved);
    provider.unavailableReason().ifPresent(reason -> {
      throw new BackendUnavailableException("backend '" + resolved + "' cannot run here: " + reason);
    });
    return provider.open(device);
  }

  /** Throws unless {@code name} names a backend that can run in this JVM; the message says why not. */
  public static void requireAvailable(String name) {
    String resolved = resolve(name);
    provider(resolved).unavailableReason().ifPresent(reason -> {
      throw new BackendUnavailableException("backend '" + resolved + "' cannot run here: " + reason);
    });
  }

  /** {@code name}, or for {@value #AUTO} the backend it picks in this JVM. */
  public static String resolve(String name) {
    if (!AUTO.equals(name)) {
      return name;
    }
    BackendProvider cuda = all().get("cuda");
    return cuda != null && cuda.unavailableReason().isEmpty() ? "cuda" : "cpu";
  }

  /** The names a configuration may use: every backend on the class path, runnable or not, and {@value #AUTO}. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(all().keySet());
    names.add(AUTO);
    return names;
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
