package org.mimobatch.pipeline.kernels;

/**
 * Whether this JVM has the {@code jdk.incubator.vector} module that {@link JacobiLanes} needs.
 * Spark's launch options add it to every driver and executor; a plain JVM has it only with
 * {@code --add-modules=jdk.incubator.vector}. Kept apart from JacobiLanes so that asking never
 * loads a class that refers to the module.
 */
public final class VectorModule {
  private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private VectorModule() {}

  public static boolean present() {
    return PRESENT;
  }
}
