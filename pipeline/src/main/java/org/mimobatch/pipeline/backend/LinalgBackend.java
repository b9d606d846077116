package org.mimobatch.pipeline.backend;

import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * Batched dense linear algebra on small complex matrices. One call processes a whole chunk.
 *
 * <h2>Contract shared by every method</h2>
 * <ul>
 *   <li>A call works on matrices {@code 0 .. a.count()-1} of its first argument and sets the
 *       {@code count} of every output to that number; outputs need at least that capacity.</li>
 *   <li>Inputs are only read. Outputs are written in full for every processed matrix.</li>
 *   <li>All batches of one call share one {@link org.mimobatch.pipeline.batch.Precision} and have the
 *       shapes stated per method; otherwise the call throws {@link IllegalArgumentException} naming
 *       the shapes involved, before computing anything. Shape errors are the only exceptions.</li>
 *   <li>Methods with a {@code status} argument (length at least {@code count}) write one
 *       {@link org.mimobatch.pipeline.batch.MatrixStatus} code per matrix: {@code NON_FINITE} when the
 *       input holds NaN or an infinity, {@code NOT_CONVERGED} when an iterative routine gives up,
 *       {@code SINGULAR} for a solve with a zero pivot or an overflowing solution, {@code OK}
 *       otherwise. Outputs of a matrix whose status is not OK are filled with NaN, so a skipped
 *       status check cannot pass garbage as data.</li>
 *   <li>Methods without {@code status} never fail per matrix: non-finite input gives non-finite
 *       output.</li>
 * </ul>
 * Instances own native work buffers and are not thread-safe: use one per thread (per Spark task) and
 * {@link #close()} it. Obtain instances from {@link Backends#open(String)}.
 */
public interface LinalgBackend extends AutoCloseable {

  /** Which operand form a product uses. */
  enum Op {
    /** A as stored. */
    NONE,
    /** Aᵀ. */
    TRANSPOSE,
    /** Aᴴ, the conjugate transpose. */
    CONJUGATE_TRANSPOSE
  }

  /** The operations of this interface, for {@link #kernel}. */
  enum Operation {
    SVD_VALUES,
    SVD,
    EIGH_VALUES,
    EIGH,
    SOLVE,
    MULTIPLY,
    GRAM
  }

  /** The name this backend is selected by ({@code cpu}, {@code cuda}). */
  String name();

  /**
   * The routine that runs {@code operation} on rows × cols matrices of {@code precision}, for
   * benchmark reports (e.g. "lapacke zgesdd").
   */
  default String kernel(Operation operation, Precision precision, int rows, int cols) {
    return name();
  }

  /**
   * Singular values of every m×n matrix of {@code a}, in descending order: {@code s} has vectors of
   * length min(m, n).
   */
  void svdValues(ComplexBatch a, RealBatch s, byte[] status);

  /**
   * Thin singular value decomposition a = U · diag(s) · Vᴴ with k = min(m, n): {@code u} is m×k with
   * orthonormal columns, {@code s} has length k in descending order, {@code vh} is k×n with
   * orthonormal rows.
   */
  void svd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status);

  /**
   * Eigenvalues, ascending, of every Hermitian n×n matrix of {@code a}; only the lower triangle is
   * read. {@code w} has vectors of length n.
   */
  void eighValues(ComplexBatch a, RealBatch w, byte[] status);

  /**
   * Eigendecomposition a = Z · diag(w) · Zᴴ of every Hermitian n×n matrix (lower triangle read):
   * {@code w} ascending, column j of {@code z} (n×n, unitary) the eigenvector of w[j].
   */
  void eigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status);

  /**
   * Solves a · x = b for every n×n matrix a and n×r right-hand sides b; {@code x} is n×r. A zero
   * pivot, or a solution that overflows, gives {@code SINGULAR}.
   */
  void solve(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status);

  /** c = op(a) · op(b) for every matrix pair; c must have the product's shape. */
  void multiply(ComplexBatch a, Op opA, ComplexBatch b, Op opB, ComplexBatch c);

  /** The Gram matrix g = aᴴ · a (n×n for m×n a), Hermitian, both triangles written. */
  void gram(ComplexBatch a, ComplexBatch g);

  /** norms[k] = ‖a_k‖_F, accumulated in double whatever the precision; norms has length at least count. */
  void frobeniusNorms(ComplexBatch a, double[] norms);

  /** Frees native resources. The instance must not be used afterwards. */
  @Override
  void close();
}
