package org.mimobatch.pipeline.backend.cuda;

import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_C;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSetStream_v2;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaStreamCreate;
import static org.bytedeco.cuda.global.cudart.cudaStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaStreamSynchronize;
import static org.bytedeco.cuda.global.cusolver.CUSOLVER_EIG_MODE_NOVECTOR;
import static org.bytedeco.cuda.global.cusolver.CUSOLVER_EIG_MODE_VECTOR;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCreate;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCreateGesvdjInfo;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCreateSyevjInfo;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDestroy;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDestroyGesvdjInfo;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDestroySyevjInfo;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSetStream;
import static org.bytedeco.cuda.global.cusolver.cusolverDnXgesvdjSetSortEig;
import static org.bytedeco.cuda.global.cusolver.cusolverDnXsyevjSetSortEig;
import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_LOWER;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.cuda.cusolver.gesvdjInfo;
import org.bytedeco.cuda.cusolver.syevjInfo;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.mimobatch.pipeline.backend.BatchOps;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.Shapes;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * The {@code cuda} backend: cuSOLVER and cuBLAS batched routines on one GPU. A call uploads the
 * chunk once (through a pinned host buffer, on this instance's stream), runs one batched routine
 * over it — {@code gesvdjBatched} and {@code heevjBatched} up to 32×32, {@code getrfBatched} +
 * {@code getrsBatched}, {@code gemmStridedBatched} — or, above 32, one {@code gesvdj} /
 * {@code heevd} launch per matrix on the same stream, and downloads the results once. cuSOLVER's
 * per-matrix {@code info} becomes the per-matrix status. Chunks larger than a share of the free
 * device memory are processed in slices. Device buffers, pinned buffers, handles and the stream
 * belong to the instance and are reused across chunks; one instance per thread.
 */
public final class CudaBackend implements LinalgBackend {
  /** The largest order the Jacobi batched routines accept. */
  static final int BATCHED_MAX = 32;
  private static final byte OK = MatrixStatus.OK.code();
  private static final byte SINGULAR = MatrixStatus.SINGULAR.code();
  private static final byte NOT_CONVERGED = MatrixStatus.NOT_CONVERGED.code();
  private static final byte NON_FINITE = MatrixStatus.NON_FINITE.code();

  /** Matrices' worth of host staging per slice, at most: the Java scratch arrays grow with it. */
  private static final long HOST_SLICE_BYTES = 256L << 20;
  private static final int STREAM = 1;
  private static final int SOLVER = 2;
  private static final int BLAS = 4;
  private static final int SVD_PARAMS = 8;
  private static final int EIGH_PARAMS = 16;

  private final int device;
  private final long budget;
  /** Which handles exist, so that close() frees exactly those, once. */
  private int created;
  private boolean closed;
  private final CUstream_st stream = new CUstream_st();
  private final cusolverDnContext solver = new cusolverDnContext();
  private final cublasContext blas = new cublasContext();
  private final gesvdjInfo svdParams = new gesvdjInfo();
  private final syevjInfo eighParams = new syevjInfo();

  private final Memory devA = Memory.device("the input matrices");
  private final Memory devB = Memory.device("the second operands");
  private final Memory devValues = Memory.device("singular values or eigenvalues");
  private final Memory devU = Memory.device("left vectors or products");
  private final Memory devV = Memory.device("right vectors");
  private final Memory devWork = Memory.device("the cuSOLVER workspace");
  private final Memory devInfo = Memory.device("per-matrix info");
  private final Memory devPivots = Memory.device("pivots");
  private final Memory devPointers = Memory.device("pointer arrays");
  private final Staging inA = new Staging("the input matrices");
  private final Staging inB = new Staging("the second operands");
  private final Staging outValues = new Staging("values");
  private final Staging outU = new Staging("left vectors");
  private final Staging outV = new Staging("right vectors");
  private final Staging outInfo = new Staging("per-matrix info");
  private final IntPointer lwork = new IntPointer(1);
  private final CuRoutines complex128 = CuRoutines.of(Precision.DOUBLE);
  private final CuRoutines complex64 = CuRoutines.of(Precision.SINGLE);

  CudaBackend(int device) {
    this.device = device;
    long share;
    try {
      useDevice();
      CudaRuntime.check(cudaStreamCreate(stream), "cudaStreamCreate");
      created |= STREAM;
      CudaRuntime.checkSolver(cusolverDnCreate(solver), "cusolverDnCreate");
      created |= SOLVER;
      CudaRuntime.checkSolver(cusolverDnSetStream(solver, stream), "cusolverDnSetStream");
      CudaRuntime.checkBlas(cublasCreate_v2(blas), "cublasCreate");
      created |= BLAS;
      CudaRuntime.checkBlas(cublasSetStream_v2(blas, stream), "cublasSetStream");
      CudaRuntime.checkSolver(cusolverDnCreateGesvdjInfo(svdParams), "cusolverDnCreateGesvdjInfo");
      created |= SVD_PARAMS;
      CudaRuntime.checkSolver(cusolverDnXgesvdjSetSortEig(svdParams, 1), "cusolverDnXgesvdjSetSortEig");
      CudaRuntime.checkSolver(cusolverDnCreateSyevjInfo(eighParams), "cusolverDnCreateSyevjInfo");
      created |= EIGH_PARAMS;
      CudaRuntime.checkSolver(cusolverDnXsyevjSetSortEig(eighParams, 1), "cusolverDnXsyevjSetSortEig");
      try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
        CudaRuntime.check(cudaMemGetInfo(free, total), "cudaMemGetInfo");
        // Several tasks may share the device: each instance takes at most a quarter of what is free.
        share = Math.max(64L << 20, free.get() / 4);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.budget = share;
  }

  @Override
  public String name() {
    return "cuda";
  }

  /** The device ordinal this instance runs on. */
  public int device() {
    return device;
  }

  @Override
  public String kernel(Operation operation, Precision precision, int rows, int cols) {
    String z = routines(precision).letter();
    boolean batched = rows <= BATCHED_MAX && cols <= BATCHED_MAX;
    return switch (operation) {
      case SVD_VALUES, SVD -> "cusolverDn" + z + (batched ? "gesvdjBatched" : "gesvdj per matrix");
      case EIGH_VALUES, EIGH -> "cusolverDn" + z + (batched ? "heevjBatched" : "heevd per matrix");
      case SOLVE -> "cublas" + z + "getrfBatched+getrsBatched";
      case MULTIPLY, GRAM -> "cublas" + z + "gemmStridedBatched";
    };
  }

  // ---- SVD ----

  @Override
  public void svdValues(ComplexBatch a, RealBatch s, byte[] status) {
    svd(a, s, null, null, status); // checks the arguments of values only when u and vh are null
  }

  @Override
  public void svd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status) {
    if (u == null && vh == null) {
      Shapes.requireSvdValues(a, s, status);
    } else {
      Shapes.requireSvd(a, s, u, vh, status);
    }
    useDevice();
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    boolean vectors = u != null;
    boolean batched = m <= BATCHED_MAX && n <= BATCHED_MAX;
    // Batched gesvdj returns full U (m×m) and V (n×n); the per-matrix route returns thin ones.
    // Without vectors they are not referenced; one column keeps the leading dimensions valid.
    int uCols = !vectors ? 1 : batched ? m : k;
    int vCols = !vectors ? 1 : batched ? n : k;
    CuRoutines r = routines(a.precision());
    long perMatrix = r.complexBytes() * ((long) m * n + (long) m * uCols + (long) n * vCols) + r.realBytes() * k + 4;
    s.setCount(a.count());
    if (vectors) {
      u.setCount(a.count());
      vh.setCount(a.count());
    }
    for (int from = 0; from < a.count(); from += slice(perMatrix, a.count())) {
      int count = Math.min(slice(perMatrix, a.count()), a.count() - from);
      upload(a, from, count, inA, devA, status);
      devValues.ensure(r.realBytes() * k * count);
      devU.ensure(r.complexBytes() * m * uCols * count);
      devV.ensure(r.complexBytes() * n * vCols * count);
      devInfo.ensure(4L * count);
      int jobz = vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
      if (batched) {
        svdBatched(r, jobz, m, n, count);
      } else {
        svdEach(r, jobz, m, n, k, count);
      }
      int[] info = downloadInfo(count);
      download(devValues, outValues, r.realBytes() * k * count);
      outValues.fetch(a.precision(), k * count);
      outValues.copyTo(a.precision(), k * count, dbl(s), flt(s), from * k);
      if (vectors) {
        download(devU, outU, r.complexBytes() * m * uCols * count);
        download(devV, outV, r.complexBytes() * n * vCols * count);
        outU.fetch(a.precision(), 2 * m * uCols * count);
        outV.fetch(a.precision(), 2 * n * vCols * count);
        for (int i = 0; i < count; i++) {
          thinU(a.precision(), i, m, uCols, k, u, from + i);
          conjugateTranspose(a.precision(), i, n, vCols, k, vh, from + i);
        }
      }
      for (int i = 0; i < count; i++) {
        int g = from + i;
        if (status[g] == OK) {
          status[g] = solverStatus(info[i], "gesvdj");
        }
        if (status[g] == OK && (!BatchOps.isFinite(s, g) || vectors && (!u.isFinite(g) || !vh.isFinite(g)))) {
          status[g] = NON_FINITE;
        }
        if (status[g] != OK) {
          s.fill(g, Double.NaN);
          if (vectors) {
            BatchOps.fillNaN(u, g);
            BatchOps.fillNaN(vh, g);
          }
        }
      }
    }
  }

  private void svdBatched(CuRoutines r, int jobz, int m, int n, int count) {
    Pointer a = r.complex(devA);
    Pointer values = r.real(devValues);
    Pointer u = r.complex(devU);
    Pointer v = r.complex(devV);
    solver(r.gesvdjBatchedBufferSize(solver, jobz, m, n, a, m, values, u, m, v, n, lwork, svdParams, count), r,
        "gesvdjBatched_bufferSize");
    devWork.ensure(r.complexBytes() * lwork.get());
    solver(r.gesvdjBatched(solver, jobz, m, n, a, m, values, u, m, v, n, r.complex(devWork), lwork.get(), info(),
        svdParams, count), r, "gesvdjBatched");
  }

  /** Above 32×32: one economy gesvdj per matrix, all on this stream, sharing one workspace. */
  private void svdEach(CuRoutines r, int jobz, int m, int n, int k, int count) {
    Pointer a = r.complex(devA);
    Pointer values = r.real(devValues);
    Pointer u = r.complex(devU);
    Pointer v = r.complex(devV);
    solver(r.gesvdjBufferSize(solver, jobz, 1, m, n, a, m, values, u, m, v, n, lwork, svdParams), r,
        "gesvdj_bufferSize");
    devWork.ensure(r.complexBytes() * lwork.get());
    Pointer work = r.complex(devWork);
    IntPointer info = info();
    // Without vectors U and V are one column each and never referenced: every call gets the same.
    long uStep = jobz == CUSOLVER_EIG_MODE_VECTOR ? (long) m * k : 0;
    long vStep = jobz == CUSOLVER_EIG_MODE_VECTOR ? (long) n * k : 0;
    for (int i = 0; i < count; i++) {
      info.position(i);
      solver(r.gesvdj(solver, jobz, 1, m, n, a.position((long) i * m * n), m, values.position((long) i * k),
          u.position(i * uStep), m, v.position(i * vStep), n, work, lwork.get(), info, svdParams), r, "gesvdj");
    }
  }

  // ---- Hermitian eigendecomposition ----

  @Override
  public void eighValues(ComplexBatch a, RealBatch w, byte[] status) {
    Shapes.requireEigh(a, w, null, status);
    eigh(a, w, null, status, false);
  }

  @Override
  public void eigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    Shapes.requireEigh(a, w, z, status);
    eigh(a, w, z, status, true);
  }

  private void eigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status, boolean vectors) {
    useDevice();
    int n = a.rows();
    Precision p = a.precision();
    CuRoutines r = routines(p);
    long perMatrix = r.complexBytes() * n * n + r.realBytes() * n + 4;
    w.setCount(a.count());
    if (vectors) {
      z.setCount(a.count());
    }
    int jobz = vectors ? CUSOLVER_EIG_MODE_VECTOR : CUSOLVER_EIG_MODE_NOVECTOR;
    for (int from = 0; from < a.count(); from += slice(perMatrix, a.count())) {
      int count = Math.min(slice(perMatrix, a.count()), a.count() - from);
      upload(a, from, count, inA, devA, status);
      devValues.ensure(r.realBytes() * n * count);
      devInfo.ensure(4L * count);
      if (n <= BATCHED_MAX) {
        eighBatched(r, jobz, n, count);
      } else {
        eighEach(r, jobz, n, count);
      }
      int[] info = downloadInfo(count);
      download(devValues, outValues, r.realBytes() * n * count);
      outValues.fetch(p, n * count);
      outValues.copyTo(p, n * count, dbl(w), flt(w), from * n);
      if (vectors) {
        // Both routines leave the eigenvectors where the matrices were.
        download(devA, outU, r.complexBytes() * n * n * count);
        outU.fetch(p, 2 * n * n * count);
        outU.copyTo(p, 2 * n * n * count, dbl(z), flt(z), z.offset(from));
      }
      for (int i = 0; i < count; i++) {
        int g = from + i;
        if (status[g] == OK) {
          status[g] = solverStatus(info[i], "heevj");
        }
        if (status[g] == OK && !BatchOps.isFinite(w, g)) {
          status[g] = NON_FINITE;
        }
        if (status[g] != OK) {
          w.fill(g, Double.NaN);
          if (vectors) {
            BatchOps.fillNaN(z, g);
          }
        }
      }
    }
  }

  private void eighBatched(CuRoutines r, int jobz, int n, int count) {
    Pointer a = r.complex(devA);
    Pointer values = r.real(devValues);
    solver(r.heevjBatchedBufferSize(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, a, n, values, lwork, eighParams, count),
        r, "heevjBatched_bufferSize");
    devWork.ensure(r.complexBytes() * lwork.get());
    solver(r.heevjBatched(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, a, n, values, r.complex(devWork), lwork.get(),
        info(), eighParams, count), r, "heevjBatched");
  }

  /** Above 32×32: one heevd per matrix on this stream, sharing one workspace. */
  private void eighEach(CuRoutines r, int jobz, int n, int count) {
    Pointer a = r.complex(devA);
    Pointer values = r.real(devValues);
    solver(r.heevdBufferSize(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, a, n, values, lwork), r, "heevd_bufferSize");
    devWork.ensure(r.complexBytes() * lwork.get());
    Pointer work = r.complex(devWork);
    IntPointer info = info();
    for (int i = 0; i < count; i++) {
      info.position(i);
      solver(r.heevd(solver, jobz, CUBLAS_FILL_MODE_LOWER, n, a.position((long) i * n * n), n,
          values.position((long) i * n), work, lwork.get(), info), r, "heevd");
    }
  }

  // ---- solve ----

  @Override
  public void solve(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status) {
    Shapes.requireSolve(a, b, x, status);
    useDevice();
    int n = a.rows();
    int nrhs = b.cols();
    Precision p = a.precision();
    CuRoutines r = routines(p);
    long perMatrix = r.complexBytes() * ((long) n * n + (long) n * nrhs) + 4L * n + 4 + 16;
    x.setCount(a.count());
    for (int from = 0; from < a.count(); from += slice(perMatrix, a.count())) {
      int count = Math.min(slice(perMatrix, a.count()), a.count() - from);
      upload(a, from, count, inA, devA, status);
      for (int i = 0; i < count; i++) {
        if (!b.isFinite(from + i)) {
          status[from + i] = NON_FINITE;
        }
      }
      upload(b, from, count, inB, devB, null);
      devPivots.ensure(4L * n * count);
      devInfo.ensure(4L * count);
      uploadPointerArrays(devA, r.complexBytes() * n * n, devB, r.complexBytes() * n * nrhs, count);
      // PointerPointer is void** natively, so its position counts pointers: B's array starts count in.
      PointerPointer<?> aArray = new PointerPointer<>(new LongPointer(devPointers.base()));
      PointerPointer<?> bArray = new PointerPointer<>(new LongPointer(devPointers.base()).position(count));
      IntPointer pivots = new IntPointer(devPivots.base());
      try (IntPointer hostInfo = new IntPointer(1)) {
        blas(r.getrfBatched(blas, n, aArray, n, pivots, info(), count), r, "getrfBatched");
        blas(r.getrsBatched(blas, CUBLAS_OP_N, n, nrhs, aArray, n, pivots, bArray, n, hostInfo, count), r,
            "getrsBatched");
        if (hostInfo.get() != 0) {
          throw new IllegalStateException("cuBLAS getrsBatched rejected argument " + (-hostInfo.get()));
        }
      }
      int[] info = downloadInfo(count);
      download(devB, outU, r.complexBytes() * n * nrhs * count);
      outU.fetch(p, 2 * n * nrhs * count);
      outU.copyTo(p, 2 * n * nrhs * count, dbl(x), flt(x), x.offset(from));
      for (int i = 0; i < count; i++) {
        int g = from + i;
        if (status[g] == OK && info[i] != 0) {
          status[g] = SINGULAR;
        }
        if (status[g] == OK && !x.isFinite(g)) {
          status[g] = SINGULAR; // a pivot so small that the solution overflows
        }
        if (status[g] != OK) {
          BatchOps.fillNaN(x, g);
        }
      }
    }
  }

  /**
   * The device arrays of pointers getrf/getrsBatched take: {@code count} pointers into {@code a},
   * {@code strideA} bytes apart, then {@code count} into {@code b}, built on the host and copied in
   * one transfer to the start of the pointer buffer.
   */
  private void uploadPointerArrays(Memory a, long strideA, Memory b, long strideB, int count) {
    devPointers.ensure(8L * 2 * count);
    try (LongPointer host = new LongPointer(2L * count)) {
      for (int i = 0; i < count; i++) {
        host.put(i, a.address(i * strideA));
        host.put(count + i, b.address(i * strideB));
      }
      CudaRuntime.check(cudaMemcpyAsync(devPointers.base(), host, 8L * 2 * count, cudaMemcpyHostToDevice, stream),
          "cudaMemcpyAsync of the pointer arrays");
      // The host array is freed when this method returns: wait for the copy.
      CudaRuntime.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }
  }

  // ---- products ----

  @Override
  public void multiply(ComplexBatch a, Op opA, ComplexBatch b, Op opB, ComplexBatch c) {
    Shapes.requireProduct(a, opA, b, opB, c);
    int m = Shapes.opRows(a, opA);
    int k = Shapes.opCols(a, opA);
    int n = Shapes.opCols(b, opB);
    gemm(a, cublasOp(opA), b, cublasOp(opB), c, m, n, k);
  }

  @Override
  public void gram(ComplexBatch a, ComplexBatch g) {
    Shapes.requireOutput("the Gram matrix", a, g, a.cols(), a.cols());
    gemm(a, CUBLAS_OP_C, a, CUBLAS_OP_N, g, a.cols(), a.cols(), a.rows());
  }

  private void gemm(ComplexBatch a, int opA, ComplexBatch b, int opB, ComplexBatch c, int m, int n, int k) {
    useDevice();
    Precision p = a.precision();
    CuRoutines r = routines(p);
    long perMatrix = r.complexBytes() * ((long) a.matrixStride() / 2 + b.matrixStride() / 2 + c.matrixStride() / 2);
    c.setCount(a.count());
    for (int from = 0; from < a.count(); from += slice(perMatrix, a.count())) {
      int count = Math.min(slice(perMatrix, a.count()), a.count() - from);
      upload(a, from, count, inA, devA, null);
      Memory second = a == b ? devA : devB;
      if (a != b) {
        upload(b, from, count, inB, devB, null);
      }
      devU.ensure(r.complexBytes() * (c.matrixStride() / 2) * count);
      long sa = a.matrixStride() / 2;
      long sb = b.matrixStride() / 2;
      long sc = c.matrixStride() / 2;
      blas(r.gemmStridedBatched(blas, opA, opB, m, n, k, r.complex(devA), a.rows(), sa, r.complex(second), b.rows(),
          sb, r.complex(devU), m, sc, count), r, "gemmStridedBatched");
      download(devU, outU, r.complexBytes() * sc * count);
      outU.fetch(p, (int) (2 * sc * count));
      outU.copyTo(p, (int) (2 * sc * count), dbl(c), flt(c), c.offset(from));
    }
  }

  @Override
  public void frobeniusNorms(ComplexBatch a, double[] norms) {
    // The matrices are in host memory already; summing them here costs less than a native call.
    BatchOps.frobeniusNorms(a, norms);
  }


  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Best effort: a failure here must not hide the error that led to it, nor leak the rest.
    if (cudaSetDevice(device) == 0 && (created & STREAM) != 0) {
      cudaStreamSynchronize(stream);
    }
    for (AutoCloseable c : new AutoCloseable[] {devA, devB, devValues, devU, devV, devWork, devInfo, devPivots,
        devPointers, inA, inB, outValues, outU, outV, outInfo}) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Keep freeing the rest.
      }
    }
    if ((created & SVD_PARAMS) != 0) {
      cusolverDnDestroyGesvdjInfo(svdParams);
    }
    if ((created & EIGH_PARAMS) != 0) {
      cusolverDnDestroySyevjInfo(eighParams);
    }
    if ((created & SOLVER) != 0) {
      cusolverDnDestroy(solver);
    }
    if ((created & BLAS) != 0) {
      cublasDestroy_v2(blas);
    }
    if ((created & STREAM) != 0) {
      cudaStreamDestroy(stream);
    }
    created = 0;
    lwork.close();
    complex128.close();
    complex64.close();
  }

  // ---- transfers and helpers ----

  /** The CUDA runtime's current device is per thread: every call first makes it this instance's. */
  private void useDevice() {
    CudaRuntime.check(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
  }

  /**
   * Matrices per slice: all of them, unless they would take more than this instance's share of the
   * device, or more than {@link #HOST_SLICE_BYTES} of staging (which also keeps every index into a
   * slice's arrays within int range).
   */
  private int slice(long bytesPerMatrix, int count) {
    long perMatrix = Math.max(1, bytesPerMatrix);
    long fits = Math.min(budget / (2 * perMatrix), HOST_SLICE_BYTES / perMatrix);
    return (int) Math.max(1, Math.min(count, fits));
  }

  /**
   * Copies matrices {@code from .. from+count-1} to the device. Where {@code status} is given, a
   * matrix holding NaN or an infinity gets {@code NON_FINITE} (others {@code OK}) and is sent as
   * zeros, so that it cannot disturb an iteration shared across the batch.
   */
  private void upload(ComplexBatch a, int from, int count, Staging staging, Memory target, byte[] status) {
    if (status != null) {
      for (int i = 0; i < count; i++) {
        status[from + i] = a.isFinite(from + i) ? OK : NON_FINITE;
      }
    }
    long bytes = staging.put(a, from, count);
    if (status != null) {
      for (int i = 0; i < count; i++) {
        if (status[from + i] != OK) {
          staging.zero(a.precision(), i, a.matrixStride());
        }
      }
    }
    target.ensure(bytes);
    CudaRuntime.check(cudaMemcpyAsync(target.base(), staging.memory().base(), bytes, cudaMemcpyHostToDevice, stream),
        "cudaMemcpyAsync to the device");
  }

  private void download(Memory source, Staging staging, long bytes) {
    staging.memory().ensure(bytes);
    CudaRuntime.check(cudaMemcpyAsync(staging.memory().base(), source.base(), bytes, cudaMemcpyDeviceToHost, stream),
        "cudaMemcpyAsync from the device");
    CudaRuntime.check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  }

  private int[] downloadInfo(int count) {
    download(devInfo, outInfo, 4L * count);
    return outInfo.fetchInts(count);
  }

  private void thinU(Precision p, int i, int m, int uCols, int k, ComplexBatch u, int g) {
    // Column-major: the first k columns of a full m×m U are its first m·k entries.
    int src = 2 * i * m * uCols;
    int dst = u.offset(g);
    for (int e = 0; e < 2 * m * k; e++) {
      u.put(dst + e, outU.get(p, src + e));
    }
  }

  /** Vᴴ (k×n) from the first k columns of V (n×vCols), as fetched into {@link #outV}. */
  private void conjugateTranspose(Precision p, int i, int n, int vCols, int k, ComplexBatch vh, int g) {
    int src = 2 * i * n * vCols;
    for (int row = 0; row < k; row++) {
      for (int col = 0; col < n; col++) {
        int from = src + 2 * (row * n + col); // V[col][row]
        vh.set(g, row, col, outV.get(p, from), -outV.get(p, from + 1));
      }
    }
  }

  private static byte solverStatus(int info, String routine) {
    if (info < 0) {
      throw new IllegalStateException("cuSOLVER " + routine + " rejected argument " + (-info));
    }
    return info == 0 ? OK : NOT_CONVERGED;
  }

  private static int cublasOp(Op op) {
    return switch (op) {
      case NONE -> CUBLAS_OP_N;
      case TRANSPOSE -> CUBLAS_OP_T;
      case CONJUGATE_TRANSPOSE -> CUBLAS_OP_C;
    };
  }

  private static double[] dbl(RealBatch r) {
    return r.precision() == Precision.DOUBLE ? r.doubles() : null;
  }

  private static float[] flt(RealBatch r) {
    return r.precision() == Precision.SINGLE ? r.floats() : null;
  }

  private static double[] dbl(ComplexBatch c) {
    return c.precision() == Precision.DOUBLE ? c.doubles() : null;
  }

  private static float[] flt(ComplexBatch c) {
    return c.precision() == Precision.SINGLE ? c.floats() : null;
  }

  private CuRoutines routines(Precision p) {
    return p == Precision.DOUBLE ? complex128 : complex64;
  }

  /** Checks a cuSOLVER status, naming the routine with its precision letter (e.g. cuSOLVER Zgesvdj). */
  private static void solver(int status, CuRoutines r, String routine) {
    CudaRuntime.checkSolver(status, r.letter() + routine);
  }

  private static void blas(int status, CuRoutines r, String routine) {
    CudaRuntime.checkBlas(status, r.letter() + routine);
  }

  private IntPointer info() {
    return new IntPointer(devInfo.base());
  }
}
