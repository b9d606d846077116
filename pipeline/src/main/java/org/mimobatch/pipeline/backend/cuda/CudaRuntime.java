package org.mimobatch.pipeline.backend.cuda;

import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import java.util.Optional;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cusolver;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the CUDA runtime, cuBLAS and cuSOLVER through the JavaCPP presets once per JVM and says
 * whether a GPU can be used: the natives load, the driver is new enough for the runtime the
 * presets were built against, and at least one device is visible. The presets link against the
 * CUDA libraries installed on the machine (they do not carry them), so every one of these can fail
 * on a machine without a GPU, and the reason is kept for the error message.
 */
final class CudaRuntime {
  private static final Object LOCK = new Object();
  private static volatile Optional<String> unavailable;
  private static volatile int devices;

  private CudaRuntime() {}

  /** Why CUDA cannot be used in this JVM, or empty when it can. Probes once. */
  static Optional<String> unavailableReason() {
    Optional<String> reason = unavailable;
    if (reason == null) {
      synchronized (LOCK) {
        reason = unavailable;
        if (reason == null) {
          reason = probe();
          unavailable = reason;
        }
      }
    }
    return reason;
  }

  /** Devices visible to this JVM (after CUDA_VISIBLE_DEVICES); 0 where CUDA is unavailable. */
  static int deviceCount() {
    return unavailableReason().isPresent() ? 0 : devices;
  }

  private static Optional<String> probe() {
    try {
      Loader.load(cudart.class);
      Loader.load(cublas.class);
      Loader.load(cusolver.class);
    } catch (Throwable e) { // UnsatisfiedLinkError, or NoClassDefFoundError from a class initialiser
      return Optional.of("the CUDA runtime, cuBLAS or cuSOLVER did not load (" + rootMessage(e)
          + "); the cuda backend needs the NVIDIA driver and the CUDA " + builtFor() + " libraries on the library path");
    }
    try (IntPointer value = new IntPointer(1)) {
      int driver = 0;
      if (cudaDriverGetVersion(value) == cudaSuccess) {
        driver = value.get();
      }
      int runtime = cudaRuntimeGetVersion(value) == cudaSuccess ? value.get() : 0;
      if (driver == 0) {
        return Optional.of("no NVIDIA driver is loaded");
      }
      if (driver < runtime) {
        return Optional.of("the NVIDIA driver supports CUDA " + version(driver) + " but the presets need CUDA "
            + version(runtime) + " (driver 580 or newer for CUDA 13); build with -Dcuda.version=12.9-9.10-1.5.12"
            + " for older drivers");
      }
      int err = cudaGetDeviceCount(value);
      if (err != cudaSuccess) {
        return Optional.of("no CUDA device is visible (" + cudaGetErrorString(err).getString() + ")");
      }
      if (value.get() == 0) {
        return Optional.of("no CUDA device is visible (CUDA_VISIBLE_DEVICES="
            + System.getenv().getOrDefault("CUDA_VISIBLE_DEVICES", "unset") + ")");
      }
      devices = value.get();
      return Optional.empty();
    } catch (Throwable e) {
      return Optional.of("CUDA could not be queried: " + rootMessage(e));
    }
  }

  /** Throws when a CUDA runtime call failed, naming the call. */
  static void check(int err, String call) {
    if (err != cudaSuccess) {
      throw new IllegalStateException(call + " failed: " + cudaGetErrorString(err).getString() + " (" + err + ")");
    }
  }

  /** Throws when a cuBLAS call failed, naming it. */
  static void checkBlas(int status, String call) {
    if (status != cublas.CUBLAS_STATUS_SUCCESS) {
      throw new IllegalStateException("cuBLAS " + call + " failed with status " + status);
    }
  }

  /** Throws when a cuSOLVER call failed, naming it. */
  static void checkSolver(int status, String call) {
    if (status != cusolver.CUSOLVER_STATUS_SUCCESS) {
      throw new IllegalStateException("cuSOLVER " + call + " failed with status " + status);
    }
  }

  private static String version(int v) {
    return v / 1000 + "." + (v % 1000) / 10;
  }

  private static String builtFor() {
    String v = cudart.class.getPackage() == null ? null : cudart.class.getPackage().getImplementationVersion();
    return v == null ? "13" : v.split("-")[0];
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
