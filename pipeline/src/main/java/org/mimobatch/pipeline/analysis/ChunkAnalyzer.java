package org.mimobatch.pipeline.analysis;

import java.util.Arrays;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.LinalgBackend.Op;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;
import org.mimobatch.pipeline.metrics.Capacity;
import org.mimobatch.pipeline.metrics.Spectra;
import org.mimobatch.pipeline.refine.HistorySink;
import org.mimobatch.pipeline.refine.RefineInput;
import org.mimobatch.pipeline.refine.RefineSpec;
import org.mimobatch.pipeline.refine.Refiner;
import org.mimobatch.pipeline.util.SplitMix;
import org.mimobatch.pipeline.util.Ziggurat;

/**
 * The per-matrix analysis of a chunk of rows × cols channel matrices, run through a
 * {@link LinalgBackend} a whole chunk per call: the thin SVD, the Gram matrix HᴴH and its
 * eigenvalues, the products behind the reconstruction and orthogonality checks, and zero-forcing
 * detection of QPSK vectors through y = Hx + n.
 *
 * <p>Use: fill {@link #channels()} (matrix i from row i of the chunk) and {@link #keys()}, mark rows
 * that could not be read in {@link #inputStatus()} (their matrix is ignored), then
 * {@link #analyze(int)}. Every buffer is allocated once and reused for every chunk of this shape.
 *
 * <p>Zero-forcing: for every SNR ρ, K QPSK vectors x (unit energy per symbol and transmit antenna,
 * so ρ is the SNR per stream) go through y = Hx + n with n ~ CN(0, I/ρ), and x̂ = V Σ⁻¹ Uᴴ y comes
 * from the SVD already at hand: H⁻¹y when H is square, the least-squares solution when it is tall
 * (the normal equations would square the condition number). Two products per chunk instead of an
 * LU factorisation and its solves, and no second test of singularity: a matrix whose σ_min falls
 * below the singular threshold is already reported singular. Wide channels (rows &lt; cols) cannot
 * be inverted by zero-forcing and get no zf_mse. The symbols and noise of a matrix come from
 * (seed, key), so they do not depend on which chunk the matrix lands in.
 */
public final class ChunkAnalyzer {
  private static final long ZF_STREAM = 0x7A662D6E6F697365L;
  private static final double QPSK = Math.sqrt(0.5);
  private static final long QPSK_BITS = Double.doubleToRawLongBits(QPSK);
  private static final byte OK = MatrixStatus.OK.code();

  private final LinalgBackend backend;
  private final AnalysisSpec spec;
  private final int rows;
  private final int cols;
  private final int rank;
  private final double singularThreshold;
  private final int vectors;
  private final boolean zeroForcing;

  private final ComplexBatch h;
  private final RealBatch s;
  private final ComplexBatch u;
  private final ComplexBatch vh;
  private final ComplexBatch us;
  private final ComplexBatch recon;
  private final ComplexBatch uu;
  private final ComplexBatch vv;
  private final ComplexBatch gram;
  private final RealBatch eig;
  private final ComplexBatch sent;
  private final ComplexBatch received;
  private final ComplexBatch projected;
  private final ComplexBatch detected;

  private final byte[] inputStatus;
  private final byte[] svdStatus;
  private final byte[] eigStatus;
  private final long[] keys;
  private final double[] norms;
  private final double[] gains;
  private final double[] snr;
  private final SplitMix rng = new SplitMix(0);
  /** One received vector's noise, (re, im) per receive antenna. */
  private final double[] noise;
  private final ChunkMetrics metrics;

  private final Refiner refiner;
  private final RefineInput refineInput;
  private final ComplexBatch identity;
  private final ComplexBatch inverse;
  private final byte[] inverseStatus;
  private HistorySink history = HistorySink.NONE;

  public ChunkAnalyzer(LinalgBackend backend, AnalysisSpec spec, Precision precision, int rows, int cols, int capacity) {
    this.backend = backend;
    this.spec = spec;
    this.rows = rows;
    this.cols = cols;
    this.rank = Math.min(rows, cols);
    this.singularThreshold = Math.max(rows, cols) * precision.epsilon();
    this.zeroForcing = spec.zfVectors() > 0 && rows >= cols;
    this.vectors = zeroForcing ? spec.snrCount() * spec.zfVectors() : 0;

    h = ComplexBatch.allocate(precision, rows, cols, capacity);
    s = RealBatch.allocate(precision, rank, capacity);
    u = ComplexBatch.allocate(precision, rows, rank, capacity);
    vh = ComplexBatch.allocate(precision, rank, cols, capacity);
    us = ComplexBatch.allocate(precision, rows, rank, capacity);
    recon = ComplexBatch.allocate(precision, rows, cols, capacity);
    uu = ComplexBatch.allocate(precision, rank, rank, capacity);
    vv = ComplexBatch.allocate(precision, rank, rank, capacity);
    gram = ComplexBatch.allocate(precision, cols, cols, capacity);
    noise = new double[2 * rows];
    eig = RealBatch.allocate(precision, cols, capacity);
    sent = zeroForcing ? ComplexBatch.allocate(precision, cols, vectors, capacity) : null;
    received = zeroForcing ? ComplexBatch.allocate(precision, rows, vectors, capacity) : null;
    projected = zeroForcing ? ComplexBatch.allocate(precision, rank, vectors, capacity) : null;
    detected = zeroForcing ? ComplexBatch.allocate(precision, cols, vectors, capacity) : null;

    inputStatus = new byte[capacity];
    svdStatus = new byte[capacity];
    eigStatus = new byte[capacity];
    keys = new long[capacity];
    norms = new double[capacity];
    gains = new double[rank];
    snr = new double[spec.snrCount()];
    for (int i = 0; i < snr.length; i++) {
      snr[i] = Capacity.snrLinear(spec.snrDb(i));
    }
    metrics = new ChunkMetrics(capacity, rank, spec.snrCount(), zeroForcing);

    RefineSpec refine = spec.refine();
    if (refine.isEmpty()) {
      refiner = null;
      refineInput = null;
      identity = null;
      inverse = null;
      inverseStatus = null;
    } else {
      refiner = new Refiner(refine, backend, rows, cols, capacity);
      refineInput = new RefineInput();
      refineInput.rows = rows;
      refineInput.cols = cols;
      refineInput.seed = spec.seed();
      refineInput.status = metrics.status;
      refineInput.keys = keys;
      boolean inverses = rows == cols && Refiner.needsInverse(refine);
      identity = inverses ? ComplexBatch.allocate(precision, rows, rows, capacity) : null;
      inverse = inverses ? ComplexBatch.allocate(precision, rows, rows, capacity) : null;
      inverseStatus = inverses ? new byte[capacity] : null;
      if (inverses) {
        for (int i = 0; i < capacity; i++) {
          for (int d = 0; d < rows; d++) {
            identity.set(i, d, d, 1, 0);
          }
        }
      }
      if (precision == Precision.SINGLE) {
        // The iterations run in double; single-precision chunks are widened once per chunk.
        refineInput.h = new double[2 * rows * cols * capacity];
        refineInput.s = new double[rank * capacity];
        refineInput.u = new double[2 * rows * rank * capacity];
        refineInput.vh = new double[2 * rank * cols * capacity];
        refineInput.inverse = inverses ? new double[2 * rows * rows * capacity] : null;
      } else {
        refineInput.h = h.doubles();
        refineInput.s = s.doubles();
        refineInput.u = u.doubles();
        refineInput.vh = vh.doubles();
        refineInput.inverse = inverses ? inverse.doubles() : null;
      }
    }
  }

  /** Where the refinements report the loss of every iteration of sampled matrices (none by default). */
  public void setHistory(HistorySink history) {
    this.history = history;
  }

  /**
   * The most matrices of rows × cols whose work arrays fit in {@code bytes} (at least one, at most
   * {@code limit}): large matrices get smaller chunks so that a task's memory stays bounded.
   */
  public static int capacityWithin(long bytes, int limit, AnalysisSpec spec, int rows, int cols) {
    long k = Math.min(rows, cols);
    long v = spec.zfVectors() > 0 && rows >= cols ? (long) spec.snrCount() * spec.zfVectors() : 0;
    // Complex entries per matrix over every batch above, then twice that for the backend's native copies.
    long complexEntries = 2L * rows * cols + 3L * rows * k + k * cols + 2 * k * k + (long) cols * cols
        + v * (2L * cols + rows + k);
    if (!spec.refine().isEmpty()) {
      complexEntries += 3L * rows * cols; // the direct inverse, its identity right-hand side, a complex64 copy
    }
    long perMatrix = 2 * 16 * complexEntries + 8 * (k + cols) + 64;
    return (int) Math.max(1, Math.min(limit, bytes / perMatrix));
  }

  /** The chunk's channel matrices; the caller fills matrices 0 .. count-1. */
  public ComplexBatch channels() {
    return h;
  }

  /**
   * Per-row status set by the caller before {@link #analyze(int)}: OK for rows read into
   * {@link #channels()}, or why a row could not be read (e.g. {@link MatrixStatus#SHAPE_ERROR}).
   */
  public byte[] inputStatus() {
    return inputStatus;
  }

  /** A 64-bit key per matrix (e.g. a hash of link, slot, subcarrier) that seeds its zero-forcing draws. */
  public long[] keys() {
    return keys;
  }

  public int capacity() {
    return h.capacity();
  }

  /** Analyses matrices 0 .. count-1 and returns their metrics (the same object every call). */
  public ChunkMetrics analyze(int count) {
    h.setCount(count);
    metrics.count = count;
    backend.svd(h, s, u, vh, svdStatus);
    backend.gram(h, gram);
    backend.eighValues(gram, eig, eigStatus);
    backend.frobeniusNorms(h, norms);
    scaleColumns(count);
    backend.multiply(us, Op.NONE, vh, Op.NONE, recon);
    backend.multiply(u, Op.CONJUGATE_TRANSPOSE, u, Op.NONE, uu);
    backend.multiply(vh, Op.NONE, vh, Op.CONJUGATE_TRANSPOSE, vv);
    if (zeroForcing) {
      transmit(count);
    }
    for (int i = 0; i < count; i++) {
      byte status = classify(i);
      if (status == OK) {
        status = measure(i);
      }
      metrics.status[i] = status;
      if (status != OK) {
        clear(i);
      }
    }
    if (refiner != null) {
      refine(count);
    }
    return metrics;
  }

  private void refine(int count) {
    if (inverse != null) {
      identity.setCount(count);
      backend.solve(h, identity, inverse, inverseStatus);
    }
    RefineInput in = refineInput;
    in.count = count;
    if (h.precision() == Precision.SINGLE) {
      widen(h, in.h, count);
      widen(u, in.u, count);
      widen(vh, in.vh, count);
      for (int x = 0; x < count * rank; x++) {
        in.s[x] = s.floats()[x];
      }
      if (inverse != null) {
        widen(inverse, in.inverse, count);
      }
    }
    metrics.refine = refiner.run(in, history);
  }

  private static void widen(ComplexBatch from, double[] to, int count) {
    float[] f = from.floats();
    for (int x = 0; x < count * from.matrixStride(); x++) {
      to[x] = f[x];
    }
  }

  private byte classify(int i) {
    if (inputStatus[i] != OK) {
      return inputStatus[i];
    }
    if (svdStatus[i] != OK) {
      return svdStatus[i];
    }
    if (norms[i] == 0) {
      return MatrixStatus.ZERO.code();
    }
    if (eigStatus[i] != OK) {
      return eigStatus[i];
    }
    if (s.get(i, rank - 1) <= singularThreshold * s.get(i, 0)) {
      return MatrixStatus.SINGULAR.code();
    }
    return OK;
  }

  /** Computes the metrics of matrix i; returns NON_FINITE if any of them overflowed. */
  private byte measure(int i) {
    ChunkMetrics m = metrics;
    double s0 = s.get(i, 0);
    double eigGap = 0;
    for (int j = 0; j < rank; j++) {
      double sj = s.get(i, j);
      m.singularValues[i * rank + j] = sj;
      gains[j] = sj * sj;
      double lambda = eig.get(i, cols - 1 - j); // eigenvalues ascend; σ descend
      eigGap = Math.max(eigGap, Math.abs(lambda - gains[j]));
    }
    m.eigGap[i] = eigGap / (s0 * s0);
    double tail = 0;
    double energy = 0;
    for (int j = 0; j < rank; j++) {
      energy += gains[j];
    }
    for (int j = rank - 1; j >= 0; j--) {
      m.lowrankError[i * rank + j] = Math.sqrt(tail / energy); // energy past rank j + 1
      tail += gains[j];
    }
    m.reconError[i] = distance(h, recon, i) / norms[i];
    m.orthError[i] = Math.max(deviationFromIdentity(uu, i), deviationFromIdentity(vv, i));
    m.condDb[i] = Spectra.conditionDb(m.singularValues, i * rank, rank);
    m.effectiveRank[i] = Spectra.effectiveRank(m.singularValues, i * rank, rank);
    boolean finite = Double.isFinite(m.eigGap[i]) && Double.isFinite(m.reconError[i])
        && Double.isFinite(m.orthError[i]) && Double.isFinite(m.condDb[i]) && Double.isFinite(m.effectiveRank[i]);
    for (int x = 0; x < snr.length; x++) {
      double ce = Capacity.equalPower(gains, 0, rank, snr[x], cols);
      double cw = Capacity.waterFilling(gains, 0, rank, snr[x]);
      double mse = zeroForcing ? symbolError(i, x) : Double.NaN;
      m.capacityEqual[i * snr.length + x] = ce;
      m.capacityWf[i * snr.length + x] = cw;
      m.zfMse[i * snr.length + x] = mse;
      finite &= Double.isFinite(ce) && Double.isFinite(cw) && (!zeroForcing || Double.isFinite(mse));
    }
    return finite ? OK : MatrixStatus.NON_FINITE.code();
  }

  private void clear(int i) {
    ChunkMetrics m = metrics;
    Arrays.fill(m.singularValues, i * rank, (i + 1) * rank, Double.NaN);
    Arrays.fill(m.lowrankError, i * rank, (i + 1) * rank, Double.NaN);
    m.reconError[i] = Double.NaN;
    m.orthError[i] = Double.NaN;
    m.condDb[i] = Double.NaN;
    m.effectiveRank[i] = Double.NaN;
    m.eigGap[i] = Double.NaN;
    Arrays.fill(m.capacityEqual, i * snr.length, (i + 1) * snr.length, Double.NaN);
    Arrays.fill(m.capacityWf, i * snr.length, (i + 1) * snr.length, Double.NaN);
    Arrays.fill(m.zfMse, i * snr.length, (i + 1) * snr.length, Double.NaN);
  }

  /** us = U · diag(s), column by column. */
  private void scaleColumns(int count) {
    us.setCount(count);
    for (int i = 0; i < count; i++) {
      for (int c = 0; c < rank; c++) {
        double sc = s.get(i, c);
        int base = u.index(i, 0, c);
        for (int x = 0; x < 2 * rows; x++) {
          us.put(base + x, u.get(base + x) * sc);
        }
      }
    }
  }

  /** Draws the QPSK vectors, sends them through H and adds the noise of each SNR. */
  private void transmit(int count) {
    int k = spec.zfVectors();
    sent.setCount(count);
    for (int i = 0; i < count; i++) {
      rng.reseed(SplitMix.streamSeed(spec.seed(), ZF_STREAM, keys[i], 0));
      int base = sent.offset(i);
      for (int x = 0; x < sent.matrixStride(); x += 64) {
        long bits = rng.nextLong();
        int end = Math.min(x + 64, sent.matrixStride());
        for (int b = x; b < end; b++, bits >>>= 1) {
          // ±QPSK by the random bit moved into the sign: a branch here is a coin toss to predict.
          sent.put(base + b, Double.longBitsToDouble(QPSK_BITS ^ (bits << 63)));
        }
      }
    }
    backend.multiply(h, Op.NONE, sent, Op.NONE, received);
    for (int i = 0; i < count; i++) {
      // Noise comes from a second stream of the matrix, apart from its symbols.
      rng.reseed(SplitMix.streamSeed(spec.seed(), ZF_STREAM, keys[i], 1));
      for (int x = 0; x < snr.length; x++) {
        double scale = 1 / Math.sqrt(snr[x]);
        for (int v = 0; v < k; v++) {
          int column = x * k + v;
          addNoise(i, column, scale);
        }
      }
    }
    // x̂ = V Σ⁻¹ Uᴴ y; matrices the SVD failed on are already flagged and their output is NaN.
    backend.multiply(u, Op.CONJUGATE_TRANSPOSE, received, Op.NONE, projected);
    for (int i = 0; i < count; i++) {
      for (int r = 0; r < rank; r++) {
        double inverse = 1 / s.get(i, r);
        for (int c = 0; c < vectors; c++) {
          int e = projected.index(i, r, c);
          projected.put(e, projected.get(e) * inverse);
          projected.put(e + 1, projected.get(e + 1) * inverse);
        }
      }
    }
    backend.multiply(vh, Op.CONJUGATE_TRANSPOSE, projected, Op.NONE, detected);
  }

  private void addNoise(int i, int column, double scale) {
    int base = received.index(i, 0, column);
    Ziggurat.complexNormal(rng, noise, 0, rows, scale);
    for (int e = 0; e < 2 * rows; e++) {
      received.put(base + e, received.get(base + e) + noise[e]);
    }
  }

  /** Mean |x̂ − x|² over the vectors of SNR x. */
  private double symbolError(int i, int x) {
    int k = spec.zfVectors();
    int from = detected.index(i, 0, x * k);
    int to = from + 2 * cols * k;
    double sum = 0;
    for (int e = from; e < to; e++) {
      double d = detected.get(e) - sent.get(e);
      sum += d * d;
    }
    return sum / (cols * k);
  }

  /** ‖a_i − b_i‖_F for two batches of the same shape. */
  private static double distance(ComplexBatch a, ComplexBatch b, int i) {
    int from = a.offset(i);
    double sum = 0;
    for (int e = from; e < from + a.matrixStride(); e++) {
      double d = a.get(e) - b.get(e);
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  /** max over entries of |g_i − I| for a square batch. */
  private static double deviationFromIdentity(ComplexBatch g, int i) {
    int n = g.rows();
    double worst = 0;
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        int e = g.index(i, r, c);
        double re = g.get(e) - (r == c ? 1 : 0);
        double im = g.get(e + 1);
        worst = Math.max(worst, Math.sqrt(re * re + im * im));
      }
    }
    return worst;
  }
}
