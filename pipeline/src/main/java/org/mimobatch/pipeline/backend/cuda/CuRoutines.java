package org.mimobatch.pipeline.backend.cuda;

import static org.bytedeco.cuda.global.cublas.cublasCgemmStridedBatched;
import static org.bytedeco.cuda.global.cublas.cublasCgetrfBatched;
import static org.bytedeco.cuda.global.cublas.cublasCgetrsBatched;
import static org.bytedeco.cuda.global.cublas.cublasZgemmStridedBatched;
import static org.bytedeco.cuda.global.cublas.cublasZgetrfBatched;
import static org.bytedeco.cuda.global.cublas.cublasZgetrsBatched;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCgesvdj;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCgesvdjBatched;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCgesvdjBatched_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCgesvdj_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCheevd;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCheevd_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCheevjBatched;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCheevjBatched_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZgesvdj;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZgesvdjBatched;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZgesvdjBatched_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZgesvdj_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZheevd;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZheevd_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZheevjBatched;
import static org.bytedeco.cuda.global.cusolver.cusolverDnZheevjBatched_bufferSize;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.double2;
import org.bytedeco.cuda.cudart.float2;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.cuda.cusolver.gesvdjInfo;
import org.bytedeco.cuda.cusolver.syevjInfo;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The cuSOLVER and cuBLAS routines the cuda backend calls, with one implementation per precision
 * (Z for complex128, C for complex64), as {@code Lapack} is for the cpu backend, so the backend
 * itself is written once. Device arrays are typed pointers made by {@link #complex} and
 * {@link #real} over a {@link Memory}, positioned in elements; every routine returns the library's
 * status. Owns the native scalars 1 and 0 that gemm takes: close it with the backend.
 */
abstract class CuRoutines implements AutoCloseable {
  static CuRoutines of(Precision precision) {
    return precision == Precision.DOUBLE ? new Z() : new C();
  }

  /** Z or C, as the routines' names begin. */
  abstract String letter();

  /** Bytes of one complex and of one real element. */
  abstract long complexBytes();

  abstract long realBytes();

  /** A pointer to complex elements at the start of {@code m}. */
  abstract Pointer complex(Memory m);

  /** A pointer to real elements at the start of {@code m}. */
  abstract Pointer real(Memory m);

  abstract int gesvdjBatchedBufferSize(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s,
      Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params, int count);

  abstract int gesvdjBatched(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u,
      int ldu, Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params, int count);

  abstract int gesvdjBufferSize(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s,
      Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params);

  abstract int gesvdj(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s, Pointer u,
      int ldu, Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params);

  abstract int heevjBatchedBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
      IntPointer lwork, syevjInfo params, int count);

  abstract int heevjBatched(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
      Pointer work, int lwork, IntPointer info, syevjInfo params, int count);

  abstract int heevdBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
      IntPointer lwork);

  abstract int heevd(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w, Pointer work,
      int lwork, IntPointer info);

  abstract int getrfBatched(cublasContext h, int n, PointerPointer<?> a, int lda, IntPointer pivots, IntPointer info,
      int count);

  abstract int getrsBatched(cublasContext h, int trans, int n, int nrhs, PointerPointer<?> a, int lda,
      IntPointer pivots, PointerPointer<?> b, int ldb, IntPointer info, int count);

  /** C = op(A)·op(B) for each of {@code count} matrices, strides in elements. */
  abstract int gemmStridedBatched(cublasContext h, int opA, int opB, int m, int n, int k, Pointer a, int lda,
      long strideA, Pointer b, int ldb, long strideB, Pointer c, int ldc, long strideC, int count);

  @Override
  public abstract void close();

  private static final class Z extends CuRoutines {
    private final DoublePointer one = new DoublePointer(1.0, 0.0);
    private final DoublePointer zero = new DoublePointer(0.0, 0.0);

    @Override
    String letter() {
      return "Z";
    }

    @Override
    long complexBytes() {
      return 16;
    }

    @Override
    long realBytes() {
      return 8;
    }

    @Override
    Pointer complex(Memory m) {
      return new double2(m.base());
    }

    @Override
    Pointer real(Memory m) {
      return new DoublePointer(m.base());
    }

    @Override
    int gesvdjBatchedBufferSize(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s,
        Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params, int count) {
      return cusolverDnZgesvdjBatched_bufferSize(h, jobz, m, n, (double2) a, lda, (DoublePointer) s, (double2) u, ldu,
          (double2) v, ldv, lwork, params, count);
    }

    @Override
    int gesvdjBatched(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u, int ldu,
        Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params, int count) {
      return cusolverDnZgesvdjBatched(h, jobz, m, n, (double2) a, lda, (DoublePointer) s, (double2) u, ldu,
          (double2) v, ldv, (double2) work, lwork, info, params, count);
    }

    @Override
    int gesvdjBufferSize(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s,
        Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params) {
      return cusolverDnZgesvdj_bufferSize(h, jobz, econ, m, n, (double2) a, lda, (DoublePointer) s, (double2) u, ldu,
          (double2) v, ldv, lwork, params);
    }

    @Override
    int gesvdj(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s, Pointer u,
        int ldu, Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params) {
      return cusolverDnZgesvdj(h, jobz, econ, m, n, (double2) a, lda, (DoublePointer) s, (double2) u, ldu,
          (double2) v, ldv, (double2) work, lwork, info, params);
    }

    @Override
    int heevjBatchedBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
        IntPointer lwork, syevjInfo params, int count) {
      return cusolverDnZheevjBatched_bufferSize(h, jobz, uplo, n, (double2) a, lda, (DoublePointer) w, lwork, params,
          count);
    }

    @Override
    int heevjBatched(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w, Pointer work,
        int lwork, IntPointer info, syevjInfo params, int count) {
      return cusolverDnZheevjBatched(h, jobz, uplo, n, (double2) a, lda, (DoublePointer) w, (double2) work, lwork,
          info, params, count);
    }

    @Override
    int heevdBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
        IntPointer lwork) {
      return cusolverDnZheevd_bufferSize(h, jobz, uplo, n, (double2) a, lda, (DoublePointer) w, lwork);
    }

    @Override
    int heevd(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w, Pointer work, int lwork,
        IntPointer info) {
      return cusolverDnZheevd(h, jobz, uplo, n, (double2) a, lda, (DoublePointer) w, (double2) work, lwork, info);
    }

    @Override
    int getrfBatched(cublasContext h, int n, PointerPointer<?> a, int lda, IntPointer pivots, IntPointer info,
        int count) {
      return cublasZgetrfBatched(h, n, a, lda, pivots, info, count);
    }

    @Override
    int getrsBatched(cublasContext h, int trans, int n, int nrhs, PointerPointer<?> a, int lda, IntPointer pivots,
        PointerPointer<?> b, int ldb, IntPointer info, int count) {
      return cublasZgetrsBatched(h, trans, n, nrhs, a, lda, pivots, b, ldb, info, count);
    }

    @Override
    int gemmStridedBatched(cublasContext h, int opA, int opB, int m, int n, int k, Pointer a, int lda, long strideA,
        Pointer b, int ldb, long strideB, Pointer c, int ldc, long strideC, int count) {
      return cublasZgemmStridedBatched(h, opA, opB, m, n, k, new double2(one), (double2) a, lda, strideA,
          (double2) b, ldb, strideB, new double2(zero), (double2) c, ldc, strideC, count);
    }

    @Override
    public void close() {
      one.close();
      zero.close();
    }
  }

  private static final class C extends CuRoutines {
    private final FloatPointer one = new FloatPointer(1f, 0f);
    private final FloatPointer zero = new FloatPointer(0f, 0f);

    @Override
    String letter() {
      return "C";
    }

    @Override
    long complexBytes() {
      return 8;
    }

    @Override
    long realBytes() {
      return 4;
    }

    @Override
    Pointer complex(Memory m) {
      return new float2(m.base());
    }

    @Override
    Pointer real(Memory m) {
      return new FloatPointer(m.base());
    }

    @Override
    int gesvdjBatchedBufferSize(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s,
        Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params, int count) {
      return cusolverDnCgesvdjBatched_bufferSize(h, jobz, m, n, (float2) a, lda, (FloatPointer) s, (float2) u, ldu,
          (float2) v, ldv, lwork, params, count);
    }

    @Override
    int gesvdjBatched(cusolverDnContext h, int jobz, int m, int n, Pointer a, int lda, Pointer s, Pointer u, int ldu,
        Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params, int count) {
      return cusolverDnCgesvdjBatched(h, jobz, m, n, (float2) a, lda, (FloatPointer) s, (float2) u, ldu,
          (float2) v, ldv, (float2) work, lwork, info, params, count);
    }

    @Override
    int gesvdjBufferSize(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s,
        Pointer u, int ldu, Pointer v, int ldv, IntPointer lwork, gesvdjInfo params) {
      return cusolverDnCgesvdj_bufferSize(h, jobz, econ, m, n, (float2) a, lda, (FloatPointer) s, (float2) u, ldu,
          (float2) v, ldv, lwork, params);
    }

    @Override
    int gesvdj(cusolverDnContext h, int jobz, int econ, int m, int n, Pointer a, int lda, Pointer s, Pointer u,
        int ldu, Pointer v, int ldv, Pointer work, int lwork, IntPointer info, gesvdjInfo params) {
      return cusolverDnCgesvdj(h, jobz, econ, m, n, (float2) a, lda, (FloatPointer) s, (float2) u, ldu,
          (float2) v, ldv, (float2) work, lwork, info, params);
    }

    @Override
    int heevjBatchedBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
        IntPointer lwork, syevjInfo params, int count) {
      return cusolverDnCheevjBatched_bufferSize(h, jobz, uplo, n, (float2) a, lda, (FloatPointer) w, lwork, params,
          count);
    }

    @Override
    int heevjBatched(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w, Pointer work,
        int lwork, IntPointer info, syevjInfo params, int count) {
      return cusolverDnCheevjBatched(h, jobz, uplo, n, (float2) a, lda, (FloatPointer) w, (float2) work, lwork,
          info, params, count);
    }

    @Override
    int heevdBufferSize(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w,
        IntPointer lwork) {
      return cusolverDnCheevd_bufferSize(h, jobz, uplo, n, (float2) a, lda, (FloatPointer) w, lwork);
    }

    @Override
    int heevd(cusolverDnContext h, int jobz, int uplo, int n, Pointer a, int lda, Pointer w, Pointer work, int lwork,
        IntPointer info) {
      return cusolverDnCheevd(h, jobz, uplo, n, (float2) a, lda, (FloatPointer) w, (float2) work, lwork, info);
    }

    @Override
    int getrfBatched(cublasContext h, int n, PointerPointer<?> a, int lda, IntPointer pivots, IntPointer info,
        int count) {
      return cublasCgetrfBatched(h, n, a, lda, pivots, info, count);
    }

    @Override
    int getrsBatched(cublasContext h, int trans, int n, int nrhs, PointerPointer<?> a, int lda, IntPointer pivots,
        PointerPointer<?> b, int ldb, IntPointer info, int count) {
      return cublasCgetrsBatched(h, trans, n, nrhs, a, lda, pivots, b, ldb, info, count);
    }

    @Override
    int gemmStridedBatched(cublasContext h, int opA, int opB, int m, int n, int k, Pointer a, int lda, long strideA,
        Pointer b, int ldb, long strideB, Pointer c, int ldc, long strideC, int count) {
      return cublasCgemmStridedBatched(h, opA, opB, m, n, k, new float2(one), (float2) a, lda, strideA,
          (float2) b, ldb, strideB, new float2(zero), (float2) c, ldc, strideC, count);
    }

    @Override
    public void close() {
      one.close();
      zero.close();
    }
  }
}
