package org.mimobatch.jobs.analyze;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.mimobatch.pipeline.backend.BackendUnavailableException;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.LinalgBackend;

/** The backend a Spark task analyses with, opened on the task's GPU where Spark assigned one. */
final class TaskBackend {
  private TaskBackend() {}

  /**
   * Opens {@code name} for the running task, closed by {@code onClose} when the task completes
   * (also when it fails or stops reading early); a backend that cannot open here fails naming the
   * executor, since the driver may well have the natives this one lacks.
   */
  static LinalgBackend open(String name, Runnable onClose) {
    LinalgBackend backend;
    try {
      backend = Backends.open(name, assignedGpu());
    } catch (BackendUnavailableException e) {
      SparkEnv env = SparkEnv.get();
      String where = env == null ? "" : " on executor " + env.executorId() + " ("
          + env.blockManager().blockManagerId().host() + ")";
      throw new BackendUnavailableException(e.getMessage() + where);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> onClose.run());
    }
    return backend;
  }

  /**
   * The GPU Spark assigned this task (its first "gpu" resource address, an ordinal as CUDA numbers
   * the visible devices), or -1 where Spark schedules no GPUs.
   */
  private static int assignedGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return -1;
    }
    scala.Option<org.apache.spark.resource.ResourceInformation> gpu = task.resources().get("gpu");
    if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
      return -1;
    }
    String address = gpu.get().addresses()[0];
    try {
      return Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new BackendUnavailableException("Spark assigned GPU address '" + address
          + "', which is not a device ordinal; the discovery script must list CUDA ordinals such as 0, 1");
    }
  }
}
