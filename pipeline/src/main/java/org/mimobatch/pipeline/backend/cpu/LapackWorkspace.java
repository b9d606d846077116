package org.mimobatch.pipeline.backend.cpu;

import org.bytedeco.javacpp.IntPointer;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The native buffers of one precision, owned by one {@link CpuBackend}: the chunk's operands and
 * results, LAPACK workspace sized by workspace queries, and the constants of gemm. Buffers grow to
 * the largest chunk seen and are then reused for every chunk.
 */
final class LapackWorkspace implements AutoCloseable {
  final Precision precision;
  final Lapack lapack;
  /** Operand A of the chunk; LAPACK overwrites it. */
  final NativeBuffer a;
  /** Operand B, or the right-hand sides that a solve overwrites with the solution. */
  final NativeBuffer b;
  /** Real results: singular values, eigenvalues. */
  final NativeBuffer values;
  /** Left singular vectors, or a product. */
  final NativeBuffer u;
  /** Right singular vectors (Vᴴ). */
  final NativeBuffer vt;
  final NativeBuffer work;
  final NativeBuffer rwork;
  /** gemm's alpha = 1 and beta = 0 as complex scalars; two buffers, since each is passed positioned. */
  final NativeBuffer one;
  final NativeBuffer zero;
  private IntPointer ints;
  private long intCapacity;

  private long svdKey = -1;
  private int svdLwork;
  private long eighKey = -1;
  private int eighLwork;
  private int eighLrwork;
  private int eighLiwork;

  LapackWorkspace(Precision precision) {
    this.precision = precision;
    this.lapack = Lapack.of(precision);
    this.a = new NativeBuffer(precision);
    this.b = new NativeBuffer(precision);
    this.values = new NativeBuffer(precision);
    this.u = new NativeBuffer(precision);
    this.vt = new NativeBuffer(precision);
    this.work = new NativeBuffer(precision);
    this.rwork = new NativeBuffer(precision);
    this.one = new NativeBuffer(precision).ensure(2);
    one.setValue(0, 1.0);
    one.setValue(1, 0.0);
    this.zero = new NativeBuffer(precision).ensure(2);
    zero.setValue(0, 0.0);
    zero.setValue(1, 0.0);
  }

  /** An int buffer of at least {@code n} elements, positioned at 0 (iwork, pivots). */
  IntPointer ints(long n) {
    if (n > intCapacity) {
      if (ints != null) {
        ints.close();
      }
      intCapacity = Math.max(n, 16);
      ints = new IntPointer(intCapacity);
    }
    return ints.position(0);
  }

  /**
   * Sizes work, rwork and iwork for ?gesdd on m×n with {@code jobz}; returns lwork. The workspace
   * query runs once per shape and job.
   */
  int prepareSvd(byte jobz, int m, int n) {
    long key = ((long) jobz << 42) | ((long) m << 21) | n;
    int mn = Math.min(m, n);
    int mx = Math.max(m, n);
    if (key != svdKey) {
      a.ensure(2L * m * n);
      work.ensure(2);
      int info = lapack.gesdd(jobz, m, n, a.at(0), m, values.ensure(mn).at(0), null, m, null, mn,
          work.at(0), -1, rwork.ensure(1).at(0), ints(8L * mn));
      if (info != 0) {
        throw new IllegalStateException("?gesdd workspace query failed with info " + info);
      }
      svdLwork = (int) Math.ceil(work.value(0));
      svdKey = key;
    }
    // ?gesdd has no rwork query; these are LAPACK's documented minima (the older, larger bound for 'N').
    long lrwork = jobz == 'N' ? 7L * mn : Math.max(5L * mn * mn + 5L * mn, 2L * mx * mn + 2L * mn * mn + mn);
    work.ensure(2L * svdLwork);
    rwork.ensure(lrwork);
    ints(8L * mn);
    return svdLwork;
  }

  int svdLwork() {
    return svdLwork;
  }

  /** Sizes work, rwork and iwork for ?heevd on n×n with {@code jobz} from a workspace query. */
  void prepareEigh(byte jobz, int n) {
    long key = ((long) jobz << 21) | n;
    if (key != eighKey) {
      a.ensure(2L * n * n);
      work.ensure(2);
      rwork.ensure(1);
      IntPointer iw = ints(1);
      int info = lapack.heevd(jobz, (byte) 'L', n, a.at(0), n, values.ensure(n).at(0), work.at(0), -1,
          rwork.at(0), -1, iw, -1);
      if (info != 0) {
        throw new IllegalStateException("?heevd workspace query failed with info " + info);
      }
      eighLwork = Math.max(1, (int) Math.ceil(work.value(0)));
      eighLrwork = Math.max(1, (int) Math.ceil(rwork.value(0)));
      eighLiwork = Math.max(1, iw.get(0));
      eighKey = key;
    }
    work.ensure(2L * eighLwork);
    rwork.ensure(eighLrwork);
    ints(eighLiwork);
  }

  int eighLwork() {
    return eighLwork;
  }

  int eighLrwork() {
    return eighLrwork;
  }

  int eighLiwork() {
    return eighLiwork;
  }

  @Override
  public void close() {
    a.close();
    b.close();
    values.close();
    u.close();
    vt.close();
    work.close();
    rwork.close();
    one.close();
    zero.close();
    if (ints != null) {
      ints.close();
      ints = null;
      intCapacity = 0;
    }
  }
}
