package org.mimobatch.pipeline.backend.cpu;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import org.mimobatch.pipeline.backend.BatchOps;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.mimobatch.pipeline.kernels.BidiagonalLanes;
import org.mimobatch.pipeline.kernels.Cmat;
import org.mimobatch.pipeline.kernels.JacobiLanes;
import org.mimobatch.pipeline.kernels.Lu;
import org.mimobatch.pipeline.kernels.SmallSpectra;
import org.mimobatch.pipeline.kernels.SolveLanes;
import org.mimobatch.pipeline.kernels.TridiagonalLanes;

/**
 * The cpu backend's plain-Java route for small matrices: Householder reduction to bidiagonal or
 * tridiagonal form with Golub–Kahan or QL sweeps ({@link SmallSpectra}) for the SVD and the
 * Hermitian eigendecomposition, LU with partial pivoting for solves, and plain loops for products,
 * straight on the batch's arrays with no native call, so the per-call overhead that dominates
 * LAPACKE at these sizes disappears. Complex64
 * batches are computed in double and rounded once on the way out. Same statuses and NaN-filling
 * as the LAPACKE route; argument checks are the caller's.
 */
final class JavaKernels {
  private static final byte OK = MatrixStatus.OK.code();
  private static final byte SINGULAR = MatrixStatus.SINGULAR.code();
  private static final byte NOT_CONVERGED = MatrixStatus.NOT_CONVERGED.code();
  private static final byte NON_FINITE = MatrixStatus.NON_FINITE.code();

  private SmallSpectra spectra;
  private int spectraDim;
  private JacobiLanes jacobi;
  private int jacobiDim;
  private BidiagonalLanes bidiagonal;
  private int bidiagonalDim;
  private TridiagonalLanes tridiagonal;
  private int tridiagonalDim;
  private SolveLanes systems;
  private int systemsDim;
  private int systemsRhs;
  private int[] members = new int[0];
  private double[] in = new double[0];
  private double[] out1 = new double[0];
  private double[] out2 = new double[0];
  private double[] values = new double[0];
  private int[] pivots = new int[0];

  void svd(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status) {
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    int dim = Math.max(m, n);
    boolean vectors = u != null;
    int count = a.count();
    s.setCount(count);
    if (vectors) {
      u.setCount(count);
      vh.setCount(count);
    }
    double[] src = a.precision() == Precision.DOUBLE ? a.doubles() : null;
    double[] sv = s.precision() == Precision.DOUBLE ? s.doubles() : values(k);
    double[] ud = vectors && u.precision() == Precision.DOUBLE ? u.doubles() : out1(vectors ? 2 * m * k : 0);
    double[] vd = vectors && vh.precision() == Precision.DOUBLE ? vh.doubles() : out2(vectors ? 2 * k * n : 0);
    boolean single = a.precision() == Precision.SINGLE;
    for (int i = 0; i < count; i++) {
      if (!a.isFinite(i)) {
        status[i] = NON_FINITE;
        fail(s, u, vh, i);
        continue;
      }
      int ao = a.offset(i);
      if (single) {
        src = widen(a, i);
        ao = 0;
      }
      int so = single ? 0 : i * k;
      int uo = single ? 0 : (vectors ? u.offset(i) : 0);
      int vo = single ? 0 : (vectors ? vh.offset(i) : 0);
      boolean converged = vectors ? spectra(dim).svd(src, ao, m, n, sv, so, ud, uo, vd, vo)
          : spectra(dim).singularValues(src, ao, m, n, sv, so);
      if (single) {
        narrowSvd(sv, ud, vd, s, u, vh, i, k);
      }
      settleSvd(i, converged, s, u, vh, status);
    }
  }

  /**
   * Singular values alone by {@link JacobiLanes}: the finite matrices of the batch go through in
   * groups of as many as a vector holds (the last group padded with zero matrices). Statuses and
   * NaN-filling as {@link #svd}. Needs the vector module (the caller checks).
   */
  void svdValuesInLanes(ComplexBatch a, RealBatch s, byte[] status) {
    int m = a.rows();
    int n = a.cols();
    int dim = Math.max(m, n);
    int count = a.count();
    s.setCount(count);
    if (jacobi == null || jacobiDim < dim) {
      jacobi = new JacobiLanes(dim);
      jacobiDim = dim;
      members = new int[jacobi.lanes()];
    }
    boolean single = a.precision() == Precision.SINGLE;
    inGroups(count, a::isFinite, i -> {
      status[i] = NON_FINITE;
      fail(s, null, null, i);
    }, (lane, i) -> jacobi.load(lane, single ? widen(a, i) : a.doubles(), single ? 0 : a.offset(i), m, n),
        filled -> finishGroup(filled, m, n, s, status));
  }

  /** Runs the loaded group and writes the values and statuses of its first {@code filled} lanes. */
  private void finishGroup(int filled, int m, int n, RealBatch s, byte[] status) {
    for (int lane = filled; lane < members.length; lane++) {
      jacobi.clear(lane, m, n);
    }
    jacobi.run(m, n);
    int k = Math.min(m, n);
    boolean dbl = s.precision() == Precision.DOUBLE;
    double[] out = dbl ? s.doubles() : values(k);
    for (int lane = 0; lane < filled; lane++) {
      int i = members[lane];
      jacobi.values(lane, m, n, out, dbl ? i * k : 0);
      if (!dbl) {
        narrow(out, s, i, k);
      }
      settleSvd(i, jacobi.converged(lane), s, null, null, status);
    }
  }

  /**
   * The thin SVD (or, with u null, the singular values) with the bidiagonal reduction, and Q, P,
   * done in groups by {@link BidiagonalLanes}, then the Golub–Kahan sweeps one matrix at a time.
   * Statuses and NaN-filling as {@link #svd}. Needs the vector module (the caller checks).
   */
  void svdInLanes(ComplexBatch a, RealBatch s, ComplexBatch u, ComplexBatch vh, byte[] status) {
    int m = a.rows();
    int n = a.cols();
    int dim = Math.max(m, n);
    int count = a.count();
    s.setCount(count);
    if (u != null) {
      u.setCount(count);
      vh.setCount(count);
    }
    if (bidiagonal == null || bidiagonalDim < dim) {
      bidiagonal = new BidiagonalLanes(dim);
      bidiagonalDim = dim;
      members = new int[bidiagonal.lanes()];
    }
    boolean single = a.precision() == Precision.SINGLE;
    inGroups(count, a::isFinite, i -> {
      status[i] = NON_FINITE;
      fail(s, u, vh, i);
    }, (lane, i) -> bidiagonal.load(lane, single ? widen(a, i) : a.doubles(), single ? 0 : a.offset(i), m, n),
        filled -> finishBidiagonalGroup(filled, m, n, s, u, vh, status));
  }

  private void finishBidiagonalGroup(int filled, int m, int n, RealBatch s, ComplexBatch u, ComplexBatch vh,
      byte[] status) {
    for (int lane = filled; lane < members.length; lane++) {
      bidiagonal.clear(lane, m, n);
    }
    boolean vectors = u != null;
    bidiagonal.reduce(Math.max(m, n), Math.min(m, n), vectors);
    int k = Math.min(m, n);
    boolean dbl = s.precision() == Precision.DOUBLE;
    double[] sv = dbl ? s.doubles() : values(k);
    double[] ud = !vectors ? null : dbl ? u.doubles() : out1(2 * m * k);
    double[] vd = !vectors ? null : dbl ? vh.doubles() : out2(2 * k * n);
    SmallSpectra sweeps = spectra(Math.max(m, n));
    for (int lane = 0; lane < filled; lane++) {
      int i = members[lane];
      boolean converged = vectors
          ? sweeps.svd(bidiagonal, lane, m, n, sv, dbl ? i * k : 0, ud, dbl ? u.offset(i) : 0, vd,
              dbl ? vh.offset(i) : 0)
          : sweeps.singularValues(bidiagonal, lane, m, n, sv, dbl ? i * k : 0);
      if (!dbl) {
        narrowSvd(sv, ud, vd, s, u, vh, i, k);
      }
      settleSvd(i, converged, s, u, vh, status);
    }
  }

  /**
   * Eigenvalues, and eigenvectors into z unless it is null: the finite matrices of the batch are
   * reduced to tridiagonal form in groups by {@link TridiagonalLanes}, then each tridiagonal goes
   * through root-free QL (values alone) or QL with its rotations applied to Q (with vectors).
   * Statuses and NaN-filling as {@link #eigh}. Needs the vector module (the caller checks).
   */
  void eighInLanes(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    int n = a.rows();
    int count = a.count();
    w.setCount(count);
    if (z != null) {
      z.setCount(count);
    }
    if (tridiagonal == null || tridiagonalDim < n) {
      tridiagonal = new TridiagonalLanes(n);
      tridiagonalDim = n;
      members = new int[tridiagonal.lanes()];
    }
    boolean single = a.precision() == Precision.SINGLE;
    inGroups(count, a::isFinite, i -> {
      status[i] = NON_FINITE;
      failEigh(w, z, i);
    }, (lane, i) -> tridiagonal.load(lane, single ? widen(a, i) : a.doubles(), single ? 0 : a.offset(i), n),
        filled -> finishTridiagonalGroup(filled, n, w, z, status));
  }

  private void finishTridiagonalGroup(int filled, int n, RealBatch w, ComplexBatch z, byte[] status) {
    for (int lane = filled; lane < members.length; lane++) {
      tridiagonal.clear(lane, n);
    }
    tridiagonal.reduce(n);
    boolean dbl = w.precision() == Precision.DOUBLE;
    double[] out = dbl ? w.doubles() : values(n);
    double[] zv = z == null ? null : dbl ? z.doubles() : out1(2 * n * n);
    // Eigenvalues alone of small orders: bisection in lockstep, where the QL of one matrix at a
    // time would wait on its own divisions.
    if (z == null && KernelChoice.bisectsEigenvalues(n)) {
      double[] bisected = out2(n * members.length);
      tridiagonal.bisect(n, bisected);
      for (int lane = 0; lane < filled; lane++) {
        int i = members[lane];
        for (int k = 0; k < n; k++) {
          out[(dbl ? i * n : 0) + k] = bisected[k * members.length + lane];
        }
        if (!dbl) {
          narrow(out, w, i, n);
        }
        settleEigh(i, true, w, null, status);
      }
      return;
    }
    SmallSpectra ql = spectra(n);
    for (int lane = 0; lane < filled; lane++) {
      int i = members[lane];
      boolean converged = z == null ? ql.hermitianEigenvalues(tridiagonal, lane, n, out, dbl ? i * n : 0)
          : ql.hermitianEigh(tridiagonal, lane, n, out, dbl ? i * n : 0, zv, dbl ? z.offset(i) : 0);
      if (!dbl) {
        narrow(out, w, i, n);
        if (z != null) {
          narrow(zv, z, i);
        }
      }
      settleEigh(i, converged, w, z, status);
    }
  }

  void eigh(ComplexBatch a, RealBatch w, ComplexBatch z, byte[] status) {
    int n = a.rows();
    int count = a.count();
    w.setCount(count);
    if (z != null) {
      z.setCount(count);
    }
    boolean single = a.precision() == Precision.SINGLE;
    double[] wv = single ? values(n) : w.doubles();
    double[] zv = z == null ? null : single ? out1(2 * n * n) : z.doubles();
    for (int i = 0; i < count; i++) {
      if (!a.isFinite(i)) {
        status[i] = NON_FINITE;
        failEigh(w, z, i);
        continue;
      }
      // SmallSpectra scales by the largest entry itself, so its rotations cannot overflow.
      double[] src = single ? widen(a, i) : a.doubles();
      int so = single ? 0 : a.offset(i);
      int vo = single ? 0 : i * n;
      boolean converged = z == null ? spectra(n).hermitianEigenvalues(src, so, n, wv, vo)
          : spectra(n).hermitianEigh(src, so, n, wv, vo, zv, single ? 0 : z.offset(i));
      if (single) {
        narrow(wv, w, i, n);
        if (z != null) {
          narrow(zv, z, i);
        }
      }
      settleEigh(i, converged, w, z, status);
    }
  }

  void solve(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status) {
    int n = a.rows();
    int r = b.cols();
    int count = a.count();
    x.setCount(count);
    if (pivots.length < n) {
      pivots = new int[n];
    }
    double[] lu = in(2 * n * n);
    for (int i = 0; i < count; i++) {
      if (!a.isFinite(i) || !b.isFinite(i)) {
        status[i] = NON_FINITE;
        BatchOps.fillNaN(x, i);
        continue;
      }
      boolean ok;
      if (a.precision() == Precision.DOUBLE) {
        System.arraycopy(a.doubles(), a.offset(i), lu, 0, 2 * n * n);
        System.arraycopy(b.doubles(), b.offset(i), x.doubles(), x.offset(i), 2 * n * r);
        ok = Lu.factor(lu, 0, n, pivots, 0);
        if (ok) {
          Lu.solve(lu, 0, n, pivots, 0, x.doubles(), x.offset(i), r);
        }
      } else {
        // LU in double on the widened copy, rounded once: at least as accurate as cgesv's LU.
        lu = widen(a, i);
        double[] rhs = out2(2 * n * r);
        float[] bf = b.floats();
        for (int e = 0; e < 2 * n * r; e++) {
          rhs[e] = bf[b.offset(i) + e];
        }
        ok = Lu.factor(lu, 0, n, pivots, 0);
        if (ok) {
          Lu.solve(lu, 0, n, pivots, 0, rhs, 0, r);
          float[] xf = x.floats();
          for (int e = 0; e < 2 * n * r; e++) {
            xf[x.offset(i) + e] = (float) rhs[e];
          }
        }
      }
      // A zero pivot, or one so small that the solution overflows, is singular in this precision.
      status[i] = ok && x.isFinite(i) ? OK : SINGULAR;
      if (status[i] != OK) {
        BatchOps.fillNaN(x, i);
      }
    }
  }

  /**
   * Solves in groups of as many systems as a vector holds ({@link SolveLanes}); statuses and
   * NaN-filling as {@link #solve}. Complex64 systems are solved in double and rounded once. Needs
   * the vector module (the caller checks).
   */
  void solveInLanes(ComplexBatch a, ComplexBatch b, ComplexBatch x, byte[] status) {
    int n = a.rows();
    int r = b.cols();
    int count = a.count();
    x.setCount(count);
    if (systems == null || systemsDim < n || systemsRhs < r) {
      systems = new SolveLanes(n, r);
      systemsDim = n;
      systemsRhs = r;
      members = new int[systems.lanes()];
    }
    boolean single = a.precision() == Precision.SINGLE;
    inGroups(count, i -> a.isFinite(i) && b.isFinite(i), i -> {
      status[i] = NON_FINITE;
      BatchOps.fillNaN(x, i);
    }, (lane, i) -> {
      if (single) {
        systems.load(lane, widen(a, i), 0, widen(b, i, out2(2 * n * r)), 0, n, r);
      } else {
        systems.load(lane, a.doubles(), a.offset(i), b.doubles(), b.offset(i), n, r);
      }
    }, filled -> finishSystems(filled, n, r, x, status));
  }

  private void finishSystems(int filled, int n, int r, ComplexBatch x, byte[] status) {
    for (int lane = filled; lane < members.length; lane++) {
      systems.clear(lane, n, r);
    }
    systems.solve(n, r);
    boolean dbl = x.precision() == Precision.DOUBLE;
    for (int lane = 0; lane < filled; lane++) {
      int i = members[lane];
      if (dbl) {
        systems.solution(lane, x.doubles(), x.offset(i), n, r);
      } else {
        double[] xd = out1(2 * n * r);
        systems.solution(lane, xd, 0, n, r);
        narrow(xd, x, i);
      }
      // A zero pivot, or one so small that the solution overflows, is singular in this precision.
      status[i] = !systems.singular(lane) && x.isFinite(i) ? OK : SINGULAR;
      if (status[i] != OK) {
        BatchOps.fillNaN(x, i);
      }
    }
  }

  /**
   * C = op(A)·op(B) for every matrix of the batch, m×n from an inner dimension k, by
   * {@link Cmat}'s products (columns of C as sums of scaled columns of op(A)). op(A) is copied out
   * first when it is a (conjugate) transpose, so that its columns are contiguous; complex64
   * operands are widened and the result rounded once.
   */
  void multiply(ComplexBatch a, LinalgBackend.Op opA, ComplexBatch b, LinalgBackend.Op opB, ComplexBatch c, int m,
      int n, int k) {
    int count = a.count();
    c.setCount(count);
    boolean dbl = a.precision() == Precision.DOUBLE;
    double[] opAd = opA == LinalgBackend.Op.NONE ? null : values(2 * m * k);
    double[] bt = dbl ? null : out1(b.matrixStride());
    double[] ct = dbl ? null : out2(2 * m * n);
    for (int x = 0; x < count; x++) {
      double[] ad = dbl ? a.doubles() : widen(a, x);
      int ao = dbl ? a.offset(x) : 0;
      if (opAd != null) {
        Cmat.transpose(ad, ao, opAd, 0, a.rows(), a.cols(), opA == LinalgBackend.Op.CONJUGATE_TRANSPOSE);
        ad = opAd;
        ao = 0;
      }
      double[] bd = dbl ? b.doubles() : widen(b, x, bt);
      int bo = dbl ? b.offset(x) : 0;
      double[] cd = dbl ? c.doubles() : ct;
      int co = dbl ? c.offset(x) : 0;
      switch (opB) {
        case NONE -> Cmat.multiply(ad, ao, bd, bo, cd, co, m, k, n);
        case TRANSPOSE -> Cmat.multiplyTransposeRight(ad, ao, bd, bo, cd, co, m, k, n);
        case CONJUGATE_TRANSPOSE -> Cmat.multiplyAdjointRight(ad, ao, bd, bo, cd, co, m, k, n);
      }
      if (!dbl) {
        narrow(ct, c, x);
      }
    }
  }

  /** Puts matrix {@code matrix} of a batch into lane {@code lane} of a lane-parallel kernel. */
  private interface LaneLoader {
    void load(int lane, int matrix);
  }

  /**
   * Feeds the finite matrices 0 .. count−1 to a lane-parallel kernel in groups of
   * {@code members.length}: {@code load} puts one into a lane and {@code run} finishes a group of
   * that many (padding the rest of its lanes); a matrix that is not {@code finite} goes to
   * {@code nonFinite} instead, and no lane sees it.
   */
  private void inGroups(int count, IntPredicate finite, IntConsumer nonFinite, LaneLoader load, IntConsumer run) {
    int filled = 0;
    for (int i = 0; i < count; i++) {
      if (!finite.test(i)) {
        nonFinite.accept(i);
        continue;
      }
      load.load(filled, i);
      members[filled++] = i;
      if (filled == members.length) {
        run.accept(filled);
        filled = 0;
      }
    }
    if (filled > 0) {
      run.accept(filled);
    }
  }

  /** The reductions and sweeps, with work arrays for matrices up to {@code dim}. */
  private SmallSpectra spectra(int dim) {
    if (spectra == null || spectraDim < dim) {
      spectra = new SmallSpectra(dim);
      spectraDim = dim;
    }
    return spectra;
  }

  /**
   * Matrix i's status after an SVD — not converged, or values that overflowed (non-finite), or OK —
   * with its outputs NaN-filled unless OK.
   */
  private static void settleSvd(int i, boolean converged, RealBatch s, ComplexBatch u, ComplexBatch vh,
      byte[] status) {
    status[i] = !converged ? NOT_CONVERGED : BatchOps.isFinite(s, i) ? OK : NON_FINITE;
    if (status[i] != OK) {
      fail(s, u, vh, i);
    }
  }

  /** As {@link #settleSvd} after an eigendecomposition. */
  private static void settleEigh(int i, boolean converged, RealBatch w, ComplexBatch z, byte[] status) {
    status[i] = !converged ? NOT_CONVERGED : BatchOps.isFinite(w, i) ? OK : NON_FINITE;
    if (status[i] != OK) {
      failEigh(w, z, i);
    }
  }

  private static void fail(RealBatch s, ComplexBatch u, ComplexBatch vh, int i) {
    s.fill(i, Double.NaN);
    if (u != null) {
      BatchOps.fillNaN(u, i);
      BatchOps.fillNaN(vh, i);
    }
  }

  private static void failEigh(RealBatch w, ComplexBatch z, int i) {
    w.fill(i, Double.NaN);
    if (z != null) {
      BatchOps.fillNaN(z, i);
    }
  }

  /** Matrix {@code i} of a complex64 batch, in double. */
  private double[] widen(ComplexBatch a, int i) {
    return widen(a, i, in(a.matrixStride()));
  }

  /** Matrix {@code i} of a complex64 batch, in double, into {@code d}; returns d. */
  private static double[] widen(ComplexBatch a, int i, double[] d) {
    int len = a.matrixStride();
    float[] f = a.floats();
    int o = a.offset(i);
    for (int e = 0; e < len; e++) {
      d[e] = f[o + e];
    }
    return d;
  }

  /** A complex64 SVD computed in double, rounded once into its batches (u null: values only). */
  private static void narrowSvd(double[] sv, double[] ud, double[] vd, RealBatch s, ComplexBatch u, ComplexBatch vh,
      int i, int k) {
    narrow(sv, s, i, k);
    if (u != null) {
      narrow(ud, u, i);
      narrow(vd, vh, i);
    }
  }

  private static void narrow(double[] src, RealBatch dst, int i, int len) {
    for (int j = 0; j < len; j++) {
      dst.set(i, j, (float) src[j]);
    }
  }

  private static void narrow(double[] src, ComplexBatch dst, int i) {
    float[] f = dst.floats();
    int o = dst.offset(i);
    for (int e = 0; e < dst.matrixStride(); e++) {
      f[o + e] = (float) src[e];
    }
  }

  private double[] in(int len) {
    return in = atLeast(in, len);
  }

  private double[] out1(int len) {
    return out1 = atLeast(out1, len);
  }

  private double[] out2(int len) {
    return out2 = atLeast(out2, len);
  }

  private double[] values(int len) {
    return values = atLeast(values, len);
  }

  /** {@code buffer}, or a larger one when it holds fewer than {@code len} values: scratch grows, never shrinks. */
  private static double[] atLeast(double[] buffer, int len) {
    return buffer.length < len ? new double[len] : buffer;
  }
}
