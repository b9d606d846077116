package org.mimobatch.pipeline.backend;

import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.RealBatch;

/** The argument checks of the {@link LinalgBackend} contract, shared by every backend. */
public final class Shapes {
  private Shapes() {}

  /** Throws unless {@code out} has the precision, shape and capacity an output of {@code in} needs. */
  /** The arguments of {@link LinalgBackend#svdValues}. */
  public static void requireSvdValues(ComplexBatch a, RealBatch s, byte[] status) {
    requireOutput("singular values", a, s, Math.min(a.rows(), a.cols()));
    requireStatus(status, a);
  }

  /** The arguments of {@link LinalgBackend#svd}. */
  public static void requireSvd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status) {
    int k = Math.min(a.rows(), a.cols());
    requireOutput("singular values", a, s, k);
    requireOutput("U", a, u, a.rows(), k);
    requireOutput("Vᴴ", a, vh, k, a.cols());
    requireStatus(status, a);
  }

  /** The arguments of {@link LinalgBackend#eighValues} and, with {@code z}, {@link LinalgBackend#eigh}. */
  public static void requireEigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    requireSquare("a Hermitian matrix", a);
    requireOutput("eigenvalues", a, w, a.rows());
    if (z != null) {
      requireOutput("eigenvectors", a, z, a.rows(), a.rows());
    }
    requireStatus(status, a);
  }

  /** The arguments of {@link LinalgBackend#solve}. */
  public static void requireSolve(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status) {
    requireSquare("the system matrix", a);
    requirePaired("the right-hand sides", a, b);
    if (b.rows() != a.rows()) {
      throw new IllegalArgumentException(
          "right-hand sides " + b.shape() + " do not fit a " + a.shape() + " system: they need " + a.rows() + " rows");
    }
    requireOutput("the solution", a, x, b.rows(), b.cols());
    requireStatus(status, a);
  }

  public static void requireOutput(String what, ComplexBatch in, ComplexBatch out, int rows, int cols) {
    if (out.precision() != in.precision()) {
      throw new IllegalArgumentException(
          what + " is " + out.precision() + " but the input is " + in.precision());
    }
    if (out.rows() != rows || out.cols() != cols) {
      throw new IllegalArgumentException(
          what + " must be " + rows + "x" + cols + " for a " + in.shape() + " input, got " + out.shape());
    }
    requireCapacity(what, out.capacity(), in.count());
  }

  /** Throws unless {@code out} holds vectors of {@code length} in the input's precision, enough of them. */
  public static void requireOutput(String what, ComplexBatch in, RealBatch out, int length) {
    if (out.precision() != in.precision()) {
      throw new IllegalArgumentException(
          what + " is " + out.precision() + " but the input is " + in.precision());
    }
    if (out.length() != length) {
      throw new IllegalArgumentException(
          what + " must hold vectors of " + length + " for a " + in.shape() + " input, got " + out.length());
    }
    requireCapacity(what, out.capacity(), in.count());
  }

  /** Throws unless a status array has room for every processed matrix. */
  public static void requireStatus(byte[] status, ComplexBatch in) {
    requireCapacity("status", status.length, in.count());
  }

  /** Throws unless {@code a} is square. */
  public static void requireSquare(String what, ComplexBatch a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException(what + " must be square, got " + a.shape());
    }
  }

  /** Throws unless two inputs of one call have the same precision and matrix count. */
  public static void requirePaired(String what, ComplexBatch a, ComplexBatch b) {
    if (a.precision() != b.precision()) {
      throw new IllegalArgumentException(what + " is " + b.precision() + " but the input is " + a.precision());
    }
    if (b.count() != a.count()) {
      throw new IllegalArgumentException(
          what + " holds " + b.count() + " matrices but the input holds " + a.count());
    }
  }

  /** Rows of op(a). */
  public static int opRows(ComplexBatch a, LinalgBackend.Op op) {
    return op == LinalgBackend.Op.NONE ? a.rows() : a.cols();
  }

  /** Columns of op(a). */
  public static int opCols(ComplexBatch a, LinalgBackend.Op op) {
    return op == LinalgBackend.Op.NONE ? a.cols() : a.rows();
  }

  /** Throws unless op(a) · op(b) is defined and c has its shape. */
  public static void requireProduct(
      ComplexBatch a, LinalgBackend.Op opA, ComplexBatch b, LinalgBackend.Op opB, ComplexBatch c) {
    requirePaired("the right factor", a, b);
    int m = opRows(a, opA);
    int k = opCols(a, opA);
    if (opRows(b, opB) != k) {
      throw new IllegalArgumentException("cannot multiply " + describe(a, opA) + " by " + describe(b, opB));
    }
    requireOutput("the product", a, c, m, opCols(b, opB));
  }

  private static String describe(ComplexBatch a, LinalgBackend.Op op) {
    return switch (op) {
      case NONE -> a.shape();
      case TRANSPOSE -> "(" + a.shape() + ")ᵀ";
      case CONJUGATE_TRANSPOSE -> "(" + a.shape() + ")ᴴ";
    };
  }

  private static void requireCapacity(String what, int capacity, int count) {
    if (capacity < count) {
      throw new IllegalArgumentException(what + " has room for " + capacity + " matrices, the input holds " + count);
    }
  }
}
