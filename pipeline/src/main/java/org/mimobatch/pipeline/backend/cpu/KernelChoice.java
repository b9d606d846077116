package org.mimobatch.pipeline.backend.cpu;

import org.mimobatch.pipeline.backend.LinalgBackend.Operation;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.kernels.VectorModule;

/**
 * Which route the cpu backend takes per (operation, order, precision): the plain-Java small-matrix
 * kernels up to a crossover order, LAPACKE above it. The crossovers are the measured ones, kept
 * here and nowhere else: the largest order at which the Java kernel was at least as fast as
 * LAPACKE in {@code bin/mimobatch bench} (docs/benchmarks.md lists both routes). The order is the
 * larger dimension of the matrix.
 */
public final class KernelChoice {
  private static final int MAX = Integer.MAX_VALUE;
  /**
   * Measured: the cpu backend's routing. From {@code KernelBench routes} on the development machine
   * (docs/benchmarks.md, "Java kernels against LAPACKE"), the largest measured order (of 2, 3, 4,
   * 6, 8, 10, 12, 16, 24, 32, 48, 64) where the Java kernel was at least as fast: singular values 12
   * (complex64: 10), full SVD 16, eigenvalues 24, eigendecomposition 24, solve 12, products 4
   * (cblas gemm is cheap to call even at 8×8, and the JIT keeps the Java product's complex
   * arithmetic scalar). Complex64 eigen and solve, computed in double by the Java kernels, take the
   * complex128 crossovers. Where the JVM has the vector module, the lane-parallel kernels (one
   * matrix per SIMD lane) extend the Java route, each as far as it beat both the one-matrix Java
   * route and LAPACKE: singular values alone by one-sided Jacobi
   * ({@link org.mimobatch.pipeline.kernels.JacobiLanes}) up to 12; the SVD, with or without
   * vectors, through the lane-parallel bidiagonal reduction
   * ({@link org.mimobatch.pipeline.kernels.BidiagonalLanes}) up to 64, the largest order measured,
   * with 8 doubles per vector (AVX-512), and up to 32 with 4 (AVX2: 0.92× LAPACKE at 64; complex64,
   * which LAPACKE computes in single precision and the lanes in double, up to 32 either way);
   * eigenvalues alone through the lane-parallel tridiagonal reduction
   * ({@link org.mimobatch.pipeline.kernels.TridiagonalLanes}) up to 64, and with eigenvectors up
   * to 32 with 8 doubles per vector, 24 with 4 (the lanes take the reduction, Q and QL stay one
   * matrix at a time; at 48 three measurements gave 0.83–1.04× zheevd); and solves
   * ({@link org.mimobatch.pipeline.kernels.SolveLanes}) up to 24. The ratios behind each crossover
   * are in docs/benchmarks.md.
   */
  public static final KernelChoice MEASURED = wideLanes()
      ? new KernelChoice(12, 16, 10, 24, 24, 12, 4, 12, 64, 64, 24, 32, 32)
      : new KernelChoice(12, 16, 10, 24, 24, 12, 4, 12, 32, 64, 24, 24, 32);
  /** Whether this JVM's vectors hold 8 doubles (AVX-512), where the lane routes reach further. */
  private static boolean wideLanes() {
    return VectorModule.present() && org.mimobatch.pipeline.kernels.JacobiLanes.lanesInThisJvm() >= 8;
  }

  /** LAPACKE for everything: the reference route for benchmarks. */
  public static final KernelChoice LAPACKE = new KernelChoice(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  /** Java kernels for every size, lane-parallel wherever they can be: for contract tests. */
  public static final KernelChoice JAVA = new KernelChoice(MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX, MAX,
      MAX, MAX);
  /**
   * Java kernels for every size, lane-parallel wherever they can be, singular values alone through
   * the lane-parallel bidiagonal reduction instead of one-sided Jacobi: the route of orders above
   * the Jacobi's, measured against LAPACKE by {@code KernelBench routes}.
   */
  public static final KernelChoice JAVA_REDUCTIONS = new KernelChoice(MAX, MAX, MAX, MAX, MAX, MAX, MAX, 0, MAX, MAX,
      MAX, MAX, MAX);
  /** Java kernels for every size, one matrix at a time: for contract tests. */
  public static final KernelChoice JAVA_SCALAR = new KernelChoice(MAX, MAX, MAX, MAX, MAX, MAX, MAX, 0, 0, 0, 0, 0,
      0);

  private final int svdValues;
  private final int svd;
  private final int svdValuesSingle;
  private final int eighValues;
  private final int eigh;
  private final int solve;
  private final int products;
  private final int svdValuesLanes;
  private final int svdLanes;
  private final int eighValuesLanes;
  private final int solveLanes;
  private final int eighLanes;
  private final int svdLanesSingle;

  private KernelChoice(int svdValues, int svd, int svdValuesSingle, int eighValues, int eigh, int solve,
      int products, int svdValuesLanes, int svdLanes, int eighValuesLanes, int solveLanes, int eighLanes,
      int svdLanesSingle) {
    this.svdValues = svdValues;
    this.svd = svd;
    this.svdValuesSingle = svdValuesSingle;
    this.eighValues = eighValues;
    this.eigh = eigh;
    this.solve = solve;
    this.products = products;
    this.svdValuesLanes = svdValuesLanes;
    this.svdLanes = svdLanes;
    this.eighValuesLanes = eighValuesLanes;
    this.solveLanes = solveLanes;
    this.eighLanes = eighLanes;
    this.svdLanesSingle = svdLanesSingle;
  }

  /**
   * Measured: orders whose eigenvalues alone, after the lane-parallel tridiagonal reduction, are
   * bisected in lockstep ({@link org.mimobatch.pipeline.kernels.TridiagonalLanes#bisect}) rather
   * than found by root-free QL one matrix at a time: from 3 (at 2 the QL's closed-form 2×2 block
   * is faster) to {@link org.mimobatch.pipeline.kernels.TridiagonalLanes#BISECTION_MAX}, where it
   * was faster at every order measured (docs/benchmarks.md).
   */
  static boolean bisectsEigenvalues(int order) {
    return order >= 3 && order <= org.mimobatch.pipeline.kernels.TridiagonalLanes.BISECTION_MAX;
  }

  /**
   * Does {@code operation} on matrices of this order and precision go to a lane-parallel kernel?
   * Only where the JVM has the vector module.
   */
  public boolean useLanes(Operation operation, Precision precision, int order) {
    int limit = switch (operation) {
      case SVD_VALUES -> svdValuesLanes;
      case SVD -> precision == Precision.SINGLE ? svdLanesSingle : svdLanes;
      case EIGH_VALUES -> eighValuesLanes;
      case EIGH -> eighLanes;
      case SOLVE -> solveLanes;
      default -> 0;
    };
    return order <= limit && VectorModule.present();
  }

  /** Does {@code operation} on matrices of this order and precision go to the Java kernels? */
  public boolean useJava(Operation operation, Precision precision, int order) {
    int limit = switch (operation) {
      case SVD_VALUES -> precision == Precision.SINGLE ? svdValuesSingle : svdValues;
      case SVD -> svd;
      case EIGH_VALUES -> eighValues;
      case EIGH -> eigh;
      case SOLVE -> solve;
      case MULTIPLY, GRAM -> products;
    };
    // Singular values beyond the one-sided Jacobi's orders can still take the lane-parallel reduction.
    return order <= limit || useLanes(operation, precision, order)
        || operation == Operation.SVD_VALUES && useLanes(Operation.SVD, precision, order);
  }
}
