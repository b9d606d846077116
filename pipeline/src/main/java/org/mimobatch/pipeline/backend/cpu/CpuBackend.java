package org.mimobatch.pipeline.backend.cpu;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.openblas.global.openblas;
import org.mimobatch.pipeline.backend.BackendUnavailableException;
import org.mimobatch.pipeline.backend.BatchOps;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.Shapes;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.kernels.JacobiLanes;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * The {@code cpu} backend: LAPACKE and CBLAS from OpenBLAS, one native call per matrix of a chunk.
 * A chunk is copied to native memory in one call, every matrix is processed at its offset, and the
 * results come back in one call per output; nothing is allocated per matrix.
 */
public final class CpuBackend implements LinalgBackend {
  private static final byte OK = MatrixStatus.OK.code();
  private static final byte SINGULAR = MatrixStatus.SINGULAR.code();
  private static final byte NOT_CONVERGED = MatrixStatus.NOT_CONVERGED.code();
  private static final byte NON_FINITE = MatrixStatus.NON_FINITE.code();

  private final KernelChoice choice;
  private final JavaKernels java = new JavaKernels();
  private LapackWorkspace doubles;
  private LapackWorkspace singles;

  CpuBackend(KernelChoice choice) {
    this.choice = choice;
  }

  /**
   * A cpu backend that routes by {@code choice} instead of the measured crossovers: {@link
   * KernelChoice#JAVA} or {@link KernelChoice#LAPACKE} everywhere, for tests and benchmarks.
   */
  public static CpuBackend withKernels(KernelChoice choice) {
    OpenBlas.loadError().ifPresent(reason -> {
      throw new BackendUnavailableException("backend 'cpu' cannot run here: " + reason);
    });
    return new CpuBackend(choice);
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public String kernel(Operation operation, Precision precision, int rows, int cols) {
    String z = precision == Precision.DOUBLE ? "z" : "c";
    if (choice.useJava(operation, precision, Math.max(rows, cols))) {
      return switch (operation) {
        case SVD_VALUES -> choice.useLanes(operation, precision, Math.max(rows, cols))
            ? "java one-sided jacobi, " + JacobiLanes.lanesInThisJvm() + " matrices per vector"
            : choice.useLanes(Operation.SVD, precision, Math.max(rows, cols))
            ? "java householder bidiagonal, " + JacobiLanes.lanesInThisJvm() + " matrices per vector, + golub-kahan"
            : "java householder bidiagonal + golub-kahan";
        case SVD -> choice.useLanes(operation, precision, Math.max(rows, cols))
            ? "java householder bidiagonal, " + JacobiLanes.lanesInThisJvm() + " matrices per vector, + golub-kahan"
            : "java householder bidiagonal + golub-kahan";
        case EIGH_VALUES, EIGH -> !choice.useLanes(operation, precision, rows) ? "java householder tridiagonal + ql"
            : "java householder tridiagonal, " + JacobiLanes.lanesInThisJvm() + " matrices per vector, + "
                + (operation == Operation.EIGH_VALUES && KernelChoice.bisectsEigenvalues(rows)
                    ? "bisection, " + JacobiLanes.lanesInThisJvm() + " matrices per vector" : "ql");
        case SOLVE -> choice.useLanes(operation, precision, rows)
            ? "java lu, " + JacobiLanes.lanesInThisJvm() + " systems per vector" : "java lu";
        case MULTIPLY, GRAM -> "java gemm";
      };
    }
    return switch (operation) {
      case SVD_VALUES, SVD -> "lapacke " + z + "gesdd";
      case EIGH_VALUES, EIGH -> "lapacke " + z + "heevd";
      case SOLVE -> "lapacke " + z + "gesv";
      case MULTIPLY, GRAM -> "cblas " + z + "gemm";
    };
  }

  @Override
  public void svdValues(ComplexBatch a, RealBatch s, byte[] status) {
    Shapes.requireSvdValues(a, s, status);
    int order = Math.max(a.rows(), a.cols());
    if (choice.useJava(Operation.SVD_VALUES, a.precision(), order)) {
      if (choice.useLanes(Operation.SVD_VALUES, a.precision(), order)) {
        java.svdValuesInLanes(a, s, status);
      } else if (choice.useLanes(Operation.SVD, a.precision(), order)) {
        java.svdInLanes(a, s, null, null, status);
      } else {
        java.svd(a, s, null, null, status);
      }
      return;
    }
    svd(a, s, null, null, status, (byte) 'N');
  }

  @Override
  public void svd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status) {
    Shapes.requireSvd(a, s, u, vh, status);
    int order = Math.max(a.rows(), a.cols());
    if (choice.useJava(Operation.SVD, a.precision(), order)) {
      if (choice.useLanes(Operation.SVD, a.precision(), order)) {
        java.svdInLanes(a, s, u, vh, status);
      } else {
        java.svd(a, s, u, vh, status);
      }
      return;
    }
    svd(a, s, u, vh, status, (byte) 'S');
  }

  private void svd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status, byte jobz) {
    LapackWorkspace w = workspace(a.precision());
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    int count = a.count();
    int stride = a.matrixStride();
    int lwork = w.prepareSvd(jobz, m, n);
    boolean vectors = jobz != 'N';
    s.setCount(count);
    w.values.ensure(k);
    if (vectors) {
      u.setCount(count);
      vh.setCount(count);
      w.u.ensure(u.matrixStride());
      w.vt.ensure(vh.matrixStride());
    }
    IntPointer iwork = w.ints(8L * k);
    Object as = arrayOf(a);
    // One matrix at a time through one-matrix native buffers, as in solve: cache-hot at 64×64.
    for (int i = 0; i < count; i++) {
      if (a.isFinite(i)) {
        w.a.fill(as, a.offset(i), stride);
        int info = w.lapack.gesdd(jobz, m, n, w.a.at(0), m, w.values.at(0), vectors ? w.u.at(0) : null, m,
            vectors ? w.vt.at(0) : null, k, w.work.at(0), lwork, w.rwork.at(0), iwork);
        status[i] = lapackStatus(info, "?gesdd");
        w.values.get(0, arrayOf(s), i * k, k);
        if (vectors) {
          w.u.get(0, arrayOf(u), u.offset(i), u.matrixStride());
          w.vt.get(0, arrayOf(vh), vh.offset(i), vh.matrixStride());
        }
        if (status[i] == OK && !BatchOps.isFinite(s, i)) {
          status[i] = NON_FINITE; // finite input whose spectrum overflowed
        }
      } else {
        status[i] = NON_FINITE;
      }
      if (status[i] != OK) {
        s.fill(i, Double.NaN);
        if (vectors) {
          BatchOps.fillNaN(u, i);
          BatchOps.fillNaN(vh, i);
        }
      }
    }
  }

  @Override
  public void eighValues(ComplexBatch a, RealBatch w, byte[] status) {
    Shapes.requireEigh(a, w, null, status);
    routeEigh(Operation.EIGH_VALUES, a, w, null, status);
  }

  @Override
  public void eigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    Shapes.requireEigh(a, w, z, status);
    routeEigh(Operation.EIGH, a, w, z, status);
  }

  /** Eigenvalues, and eigenvectors into z unless it is null, by the route {@link #choice} gives {@code operation}. */
  private void routeEigh(Operation operation, ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    if (!choice.useJava(operation, a.precision(), a.rows())) {
      eigh(a, w, z, status, z == null ? (byte) 'N' : (byte) 'V');
    } else if (choice.useLanes(operation, a.precision(), a.rows())) {
      java.eighInLanes(a, w, z, status);
    } else {
      java.eigh(a, w, z, status);
    }
  }

  private void eigh(ComplexBatch a, RealBatch values, ComplexBatch z, byte[] status, byte jobz) {
    LapackWorkspace w = workspace(a.precision());
    int n = a.rows();
    int count = a.count();
    int stride = a.matrixStride();
    w.prepareEigh(jobz, n);
    values.setCount(count);
    if (z != null) {
      z.setCount(count);
    }
    w.values.ensure(n);
    Object as = arrayOf(a);
    // One matrix at a time through one-matrix native buffers, as in solve: cache-hot at 64×64.
    for (int i = 0; i < count; i++) {
      if (a.isFinite(i)) {
        w.a.fill(as, a.offset(i), stride);
        int info = w.lapack.heevd(jobz, (byte) 'L', n, w.a.at(0), n, w.values.at(0), w.work.at(0), w.eighLwork(),
            w.rwork.at(0), w.eighLrwork(), w.ints(w.eighLiwork()), w.eighLiwork());
        status[i] = lapackStatus(info, "?heevd");
        w.values.get(0, arrayOf(values), i * n, n);
        if (z != null) {
          // ?heevd leaves the eigenvectors where the matrix was.
          w.a.get(0, arrayOf(z), z.offset(i), z.matrixStride());
        }
        if (status[i] == OK && !BatchOps.isFinite(values, i)) {
          status[i] = NON_FINITE; // finite input whose spectrum overflowed
        }
      } else {
        status[i] = NON_FINITE;
      }
      if (status[i] != OK) {
        values.fill(i, Double.NaN);
        if (z != null) {
          BatchOps.fillNaN(z, i);
        }
      }
    }
  }

  @Override
  public void solve(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status) {
    Shapes.requireSolve(a, b, x, status);
    if (choice.useJava(Operation.SOLVE, a.precision(), a.rows())) {
      if (choice.useLanes(Operation.SOLVE, a.precision(), a.rows())) {
        java.solveInLanes(a, b, x, status);
      } else {
        java.solve(a, b, x, status);
      }
      return;
    }
    LapackWorkspace w = workspace(a.precision());
    int n = a.rows();
    int r = b.cols();
    int count = a.count();
    IntPointer pivots = w.ints(n);
    Object as = arrayOf(a);
    Object bs = arrayOf(b);
    Object xs = arrayOf(x);
    x.setCount(count);
    // One system at a time through a one-matrix native buffer: the finiteness scan brings A into
    // cache, and the copy and the factorisation find it there (a whole chunk copied first made
    // every pass a trip to memory at 64×64).
    for (int i = 0; i < count; i++) {
      if (!a.isFinite(i) || !b.isFinite(i)) {
        status[i] = NON_FINITE;
        BatchOps.fillNaN(x, i);
        continue;
      }
      w.a.fill(as, a.offset(i), a.matrixStride());
      w.b.fill(bs, b.offset(i), b.matrixStride());
      int info = w.lapack.gesv(n, r, w.a.at(0), n, pivots, w.b.at(0), n);
      if (info < 0) {
        throw new IllegalStateException("?gesv rejected argument " + (-info));
      }
      w.b.get(0, xs, x.offset(i), x.matrixStride());
      // A zero pivot, or one so small that the solution overflows, is singular in this precision.
      status[i] = info == 0 && x.isFinite(i) ? OK : SINGULAR;
      if (status[i] != OK) {
        BatchOps.fillNaN(x, i);
      }
    }
  }

  @Override
  public void multiply(ComplexBatch a, Op opA, ComplexBatch b, Op opB, ComplexBatch c) {
    Shapes.requireProduct(a, opA, b, opB, c);
    LapackWorkspace w = workspace(a.precision());
    int count = a.count();
    int m = Shapes.opRows(a, opA);
    int k = Shapes.opCols(a, opA);
    int n = Shapes.opCols(b, opB);
    if (choice.useJava(Operation.MULTIPLY, a.precision(), Math.max(Math.max(m, n), k))) {
      java.multiply(a, opA, b, opB, c, m, n, k);
      return;
    }
    copyIn(a, w.a);
    copyIn(b, w.b);
    w.u.ensure((long) count * c.matrixStride());
    for (int i = 0; i < count; i++) {
      w.lapack.gemm(cblas(opA), cblas(opB), m, n, k, w.one.bytesAt(0), w.a.bytesAt((long) i * a.matrixStride()),
          a.rows(), w.b.bytesAt((long) i * b.matrixStride()), b.rows(), w.zero.bytesAt(0),
          w.u.bytesAt((long) i * c.matrixStride()), m);
    }
    copyOut(w.u, c, count);
  }

  @Override
  public void gram(ComplexBatch a, ComplexBatch g) {
    Shapes.requireOutput("the Gram matrix", a, g, a.cols(), a.cols());
    if (choice.useJava(Operation.GRAM, a.precision(), Math.max(a.rows(), a.cols()))) {
      java.multiply(a, Op.CONJUGATE_TRANSPOSE, a, Op.NONE, g, a.cols(), a.cols(), a.rows());
      return;
    }
    LapackWorkspace w = workspace(a.precision());
    int count = a.count();
    int m = a.rows();
    int n = a.cols();
    copyIn(a, w.a);
    w.u.ensure((long) count * g.matrixStride());
    for (int i = 0; i < count; i++) {
      // Both operands are the same matrix at the same offset, so one positioned pointer serves both.
      var ai = w.a.bytesAt((long) i * a.matrixStride());
      w.lapack.gemm(openblas.CblasConjTrans, openblas.CblasNoTrans, n, n, m, w.one.bytesAt(0), ai, m, ai, m,
          w.zero.bytesAt(0), w.u.bytesAt((long) i * g.matrixStride()), n);
    }
    copyOut(w.u, g, count);
  }

  @Override
  public void frobeniusNorms(ComplexBatch a, double[] norms) {
    // The matrices are in host memory already; summing them here costs less than a native call.
    BatchOps.frobeniusNorms(a, norms);
  }


  @Override
  public void close() {
    if (doubles != null) {
      doubles.close();
      doubles = null;
    }
    if (singles != null) {
      singles.close();
      singles = null;
    }
  }

  private LapackWorkspace workspace(Precision precision) {
    if (precision == Precision.DOUBLE) {
      if (doubles == null) {
        doubles = new LapackWorkspace(precision);
      }
      return doubles;
    }
    if (singles == null) {
      singles = new LapackWorkspace(precision);
    }
    return singles;
  }

  private static int cblas(Op op) {
    return switch (op) {
      case NONE -> openblas.CblasNoTrans;
      case TRANSPOSE -> openblas.CblasTrans;
      case CONJUGATE_TRANSPOSE -> openblas.CblasConjTrans;
    };
  }

  private static byte lapackStatus(int info, String routine) {
    if (info < 0) {
      throw new IllegalStateException(routine + " rejected argument " + (-info));
    }
    return info == 0 ? OK : NOT_CONVERGED;
  }

  /** The batch's backing array: double[] or float[] by its precision. */
  private static Object arrayOf(ComplexBatch batch) {
    return batch.precision() == Precision.DOUBLE ? batch.doubles() : batch.floats();
  }

  private static Object arrayOf(RealBatch batch) {
    return batch.precision() == Precision.DOUBLE ? batch.doubles() : batch.floats();
  }

  private static void copyIn(ComplexBatch src, NativeBuffer dst) {
    dst.fill(arrayOf(src), src.count() * src.matrixStride());
  }

  private static void copyOut(NativeBuffer src, ComplexBatch dst, int count) {
    dst.setCount(count);
    src.get(0, arrayOf(dst), 0, count * dst.matrixStride());
  }
}
