package org.mimobatch.pipeline.backend.cpu;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The LAPACKE and CBLAS routines the CPU backend calls, with one implementation per precision
 * (z* for complex128, c* for complex64), so the backend itself is written once. Every routine is the
 * column-major {@code _work} variant: no transposition, no hidden allocation, workspace supplied by
 * the caller.
 */
abstract class Lapack {
  static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;

  static Lapack of(Precision precision) {
    return precision == Precision.DOUBLE ? new Z() : new C();
  }

  /** ?gesdd: singular values (jobz 'N') or the thin SVD (jobz 'S'); returns LAPACK's info. */
  abstract int gesdd(byte jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u, int ldu, Pointer vt,
      int ldvt, Pointer work, int lwork, Pointer rwork, IntPointer iwork);

  /** ?heevd: eigenvalues (jobz 'N') or eigenpairs (jobz 'V') of a Hermitian matrix. */
  abstract int heevd(byte jobz, byte uplo, int n, Pointer a, int lda, Pointer w, Pointer work, int lwork,
      Pointer rwork, int lrwork, IntPointer iwork, int liwork);

  /** ?gesv: LU with partial pivoting and solve; a and b are overwritten. */
  abstract int gesv(int n, int nrhs, Pointer a, int lda, IntPointer ipiv, Pointer b, int ldb);

  /** cblas_?gemm, column-major, alpha and beta as complex scalars in native memory; void* pointers (see NativeBuffer#bytesAt). */
  abstract void gemm(int transA, int transB, int m, int n, int k, Pointer alpha, Pointer a, int lda, Pointer b,
      int ldb, Pointer beta, Pointer c, int ldc);

  private static final class Z extends Lapack {
    @Override
    int gesdd(byte jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u, int ldu, Pointer vt, int ldvt,
        Pointer work, int lwork, Pointer rwork, IntPointer iwork) {
      return openblas.LAPACKE_zgesdd_work(COL_MAJOR, jobz, m, n, (DoublePointer) a, lda, (DoublePointer) s,
          (DoublePointer) u, ldu, (DoublePointer) vt, ldvt, (DoublePointer) work, lwork, (DoublePointer) rwork,
          iwork);
    }

    @Override
    int heevd(byte jobz, byte uplo, int n, Pointer a, int lda, Pointer w, Pointer work, int lwork, Pointer rwork,
        int lrwork, IntPointer iwork, int liwork) {
      return openblas.LAPACKE_zheevd_work(COL_MAJOR, jobz, uplo, n, (DoublePointer) a, lda, (DoublePointer) w,
          (DoublePointer) work, lwork, (DoublePointer) rwork, lrwork, iwork, liwork);
    }

    @Override
    int gesv(int n, int nrhs, Pointer a, int lda, IntPointer ipiv, Pointer b, int ldb) {
      return openblas.LAPACKE_zgesv_work(COL_MAJOR, n, nrhs, (DoublePointer) a, lda, ipiv, (DoublePointer) b, ldb);
    }

    @Override
    void gemm(int transA, int transB, int m, int n, int k, Pointer alpha, Pointer a, int lda, Pointer b, int ldb,
        Pointer beta, Pointer c, int ldc) {
      openblas.cblas_zgemm(openblas.CblasColMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
  }

  private static final class C extends Lapack {
    @Override
    int gesdd(byte jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u, int ldu, Pointer vt, int ldvt,
        Pointer work, int lwork, Pointer rwork, IntPointer iwork) {
      return openblas.LAPACKE_cgesdd_work(COL_MAJOR, jobz, m, n, (FloatPointer) a, lda, (FloatPointer) s,
          (FloatPointer) u, ldu, (FloatPointer) vt, ldvt, (FloatPointer) work, lwork, (FloatPointer) rwork, iwork);
    }

    @Override
    int heevd(byte jobz, byte uplo, int n, Pointer a, int lda, Pointer w, Pointer work, int lwork, Pointer rwork,
        int lrwork, IntPointer iwork, int liwork) {
      return openblas.LAPACKE_cheevd_work(COL_MAJOR, jobz, uplo, n, (FloatPointer) a, lda, (FloatPointer) w,
          (FloatPointer) work, lwork, (FloatPointer) rwork, lrwork, iwork, liwork);
    }

    @Override
    int gesv(int n, int nrhs, Pointer a, int lda, IntPointer ipiv, Pointer b, int ldb) {
      return openblas.LAPACKE_cgesv_work(COL_MAJOR, n, nrhs, (FloatPointer) a, lda, ipiv, (FloatPointer) b, ldb);
    }

    @Override
    void gemm(int transA, int transB, int m, int n, int k, Pointer alpha, Pointer a, int lda, Pointer b, int ldb,
        Pointer beta, Pointer c, int ldc) {
      openblas.cblas_cgemm(openblas.CblasColMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
  }
}
