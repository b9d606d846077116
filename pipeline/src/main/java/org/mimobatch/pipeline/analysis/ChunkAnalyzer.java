package org.mimobatch.pipeline.analysis;

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
 * detection of QPSK vectors through y = Hx + n. Every {@link Metric} of a matrix comes from these.
 *
 * <p>Use: fill {@link #channels()} (matrix i from row i of the chunk) and {@link #keys()}, mark rows
 * that could not be read in {@link #inputStatus()} (their matrix is ignored), then
 * {@link #analyze(int)}. Every buffer is allocated once and reused for every chunk of this shape.
 *
 * <p>Rank is data: a matrix whose SVD succeeds is ok whatever its rank, and keeps every metric the
 * spectrum defines. Its numerical rank counts the σ_i above max(rows, cols)·ε·σ_1; below full rank,
 * the condition number is +∞ and what needs an inverse of HᴴH (zero-forcing) is undefined.
 *
 * <p>Linear receivers come from the SVD already at hand, with no solve per matrix: with the rows
 * v_j of Vᴴ, w_jk = |v_jk|² and a = ρ/tx, [(HᴴH)⁻¹]_kk = Σ_j w_jk/σ_j² and
 * [(I + aHᴴH)⁻¹]_kk = (1 − Σ_j w_jk) + Σ_j w_jk/(1 + aσ_j²), the first term being the part of
 * e_k outside the row space (zero unless the channel is wide). The LMMSE SINR 1/e − 1 is taken as
 * q/e with q = Σ_j w_jk·aσ_j²/(1 + aσ_j²) = 1 − e, so neither a low nor a high SNR cancels digits.
 *
 * <p>Zero-forcing: for every SNR ρ, K QPSK vectors x (unit energy per symbol and transmit antenna,
 * so ρ is the SNR per stream) go through y = Hx + n with n ~ CN(0, I/ρ), and x̂ = V Σ⁻¹ Uᴴ y comes
 * from the SVD already at hand: H⁻¹y when H is square, the least-squares solution when it is tall
 * (the normal equations would square the condition number). Two products per chunk instead of an
 * LU factorisation and its solves. Channels without full column rank (wide ones, rank-deficient
 * ones) cannot be inverted by zero-forcing and get no zf_mse. The symbols and noise of a matrix come
 * from (seed, key), so they do not depend on which chunk the matrix lands in.
 *
 * <p>The batched solve detects the same y once more, as an independent route that checks the SVD's
 * as the Gram matrix's eigenvalues check its singular values: LU of H where it is square, LU of
 * HᴴH on Hᴴy where it is tall (the normal equations, whose condition is κ², which the gap to the
 * SVD route then shows). Per matrix: the solve's backward error and its distance to the SVD's x̂.
 */
public final class ChunkAnalyzer {
  private static final long ZF_STREAM = 0x7A662D6E6F697365L;
  private static final double QPSK = Math.sqrt(0.5);
  private static final long QPSK_BITS = Double.doubleToRawLongBits(QPSK);
  private static final byte OK = MatrixStatus.OK.code();
  private static final double LN2 = Math.log(2);

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
  /** Hᴴy of tall channels (the normal equations' right-hand side); null for square ones. */
  private final ComplexBatch normalRhs;
  private final ComplexBatch solved;
  /** Hx̂ (square) or HᴴHx̂ (tall) of the solve's x̂, set against y or Hᴴy. */
  private final ComplexBatch solvedImage;
  private final byte[] solveStatus;

  private final byte[] inputStatus;
  private final byte[] svdStatus;
  private final byte[] eigStatus;
  private final long[] keys;
  private final double[] norms;
  private final double[] gains;
  /** |v_jk|² of one matrix, j over the rows of Vᴴ and k over its columns. */
  private final double[] weights;
  /** 1 − Σ_j |v_jk|² of one matrix: the part of e_k outside the row space (wide channels). */
  private final double[] outside;
  /** Per mode j of one matrix: 1/σ_j², and at one SNR 1/(1 + aσ_j²) and aσ_j²/(1 + aσ_j²). */
  private final double[] inverseGains;
  private final double[] residual;
  private final double[] captured;
  private final double[] waterFillingWork;
  /** Per stream k of one matrix at one SNR: e_k, q_k and [(HᴴH)⁻¹]_kk. */
  private final double[] streamError;
  private final double[] streamCaptured;
  private final double[] streamInverse;
  private final double[] snr;
  private final SplitMix rng = new SplitMix(0);
  /** One received vector's noise, (re, im) per receive antenna. */
  private final double[] noise;
  private final ChunkMetrics metrics;
  private final double[] rankOut;
  private final double[] singularValues;
  private final double[] reconError;
  private final double[] orthError;
  private final double[] condDb;
  private final double[] effectiveRank;
  private final double[] eigGap;
  private final double[] lowrankError;
  private final double[] capacityEqual;
  private final double[] capacityWf;
  private final double[] rateZf;
  private final double[] rateMmse;
  private final double[] mseMmse;
  private final double[] zfMse;
  private final double[] zfSolveError;
  private final double[] zfSolveGap;

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
    // NumPy's matrix_rank threshold, so that a rank here is the rank a NumPy user computes.
    this.singularThreshold = Math.max(rows, cols) * precision.machineEpsilon();
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
    normalRhs = zeroForcing && rows > cols ? ComplexBatch.allocate(precision, cols, vectors, capacity) : null;
    solved = zeroForcing ? ComplexBatch.allocate(precision, cols, vectors, capacity) : null;
    solvedImage = zeroForcing ? ComplexBatch.allocate(precision, cols, vectors, capacity) : null;
    solveStatus = zeroForcing ? new byte[capacity] : null;

    inputStatus = new byte[capacity];
    svdStatus = new byte[capacity];
    eigStatus = new byte[capacity];
    keys = new long[capacity];
    norms = new double[capacity];
    gains = new double[rank];
    weights = new double[rank * cols];
    outside = new double[cols];
    inverseGains = new double[rank];
    residual = new double[rank];
    captured = new double[rank];
    waterFillingWork = new double[rank];
    streamError = new double[cols];
    streamCaptured = new double[cols];
    streamInverse = new double[cols];
    snr = new double[spec.snrCount()];
    for (int i = 0; i < snr.length; i++) {
      snr[i] = Capacity.snrLinear(spec.snrDb(i));
    }
    metrics = new ChunkMetrics(capacity, rank, spec.snrCount());
    rankOut = metrics.values(Metric.RANK);
    singularValues = metrics.values(Metric.SINGULAR_VALUES);
    reconError = metrics.values(Metric.RECON_ERROR);
    orthError = metrics.values(Metric.ORTH_ERROR);
    condDb = metrics.values(Metric.COND_DB);
    effectiveRank = metrics.values(Metric.EFFECTIVE_RANK);
    eigGap = metrics.values(Metric.EIG_GAP);
    lowrankError = metrics.values(Metric.LOWRANK_ERROR);
    capacityEqual = metrics.values(Metric.CAPACITY);
    capacityWf = metrics.values(Metric.CAPACITY_WF);
    rateZf = metrics.values(Metric.RATE_ZF);
    rateMmse = metrics.values(Metric.RATE_MMSE);
    mseMmse = metrics.values(Metric.MSE_MMSE);
    zfMse = metrics.values(Metric.ZF_MSE);
    zfSolveError = metrics.values(Metric.ZF_SOLVE_ERROR);
    zfSolveGap = metrics.values(Metric.ZF_SOLVE_GAP);

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
      refineInput.fullRank = new boolean[capacity];
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
        + v * (5L * cols + rows + k);
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
        metrics.clear(i);
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
    return OK;
  }

  /** Computes the metrics of matrix i; returns NON_FINITE if any of them overflowed. */
  private byte measure(int i) {
    double s0 = s.get(i, 0);
    int numericalRank = 0;
    double gap = 0;
    for (int j = 0; j < rank; j++) {
      double sj = s.get(i, j);
      singularValues[i * rank + j] = sj;
      gains[j] = sj * sj;
      inverseGains[j] = 1 / gains[j];
      if (sj > singularThreshold * s0) {
        numericalRank++;
      }
      double lambda = eig.get(i, cols - 1 - j); // eigenvalues ascend; σ descend
      gap = Math.max(gap, Math.abs(lambda - gains[j]));
    }
    boolean fullRank = numericalRank == rank;
    // Zero-forcing inverts HᴴH, which needs full column rank: tall or square, and full rank.
    boolean invertibleGram = numericalRank == cols;
    rankOut[i] = numericalRank;
    eigGap[i] = gap / (s0 * s0);
    double tail = 0;
    double energy = 0;
    for (int j = 0; j < rank; j++) {
      energy += gains[j];
    }
    for (int j = rank - 1; j >= 0; j--) {
      lowrankError[i * rank + j] = Math.sqrt(tail / energy); // energy past rank j + 1
      tail += gains[j];
    }
    reconError[i] = distance(h, recon, i) / norms[i];
    orthError[i] = Math.max(deviationFromIdentity(uu, i), deviationFromIdentity(vv, i));
    condDb[i] = fullRank ? Spectra.conditionDb(singularValues, i * rank, rank) : Double.POSITIVE_INFINITY;
    effectiveRank[i] = Spectra.effectiveRank(singularValues, i * rank, rank);
    boolean finite = Double.isFinite(eigGap[i]) && Double.isFinite(reconError[i]) && Double.isFinite(orthError[i])
        && (Double.isFinite(condDb[i]) || !fullRank) && Double.isFinite(effectiveRank[i]);
    rowSpaceWeights(i);
    if (zeroForcing && invertibleGram && solveStatus[i] == OK) {
      solveChecks(i);
      finite &= Double.isFinite(zfSolveError[i]) && Double.isFinite(zfSolveGap[i]);
    } else {
      zfSolveError[i] = Double.NaN;
      zfSolveGap[i] = Double.NaN;
    }
    for (int x = 0; x < snr.length; x++) {
      int at = i * snr.length + x;
      capacityEqual[at] = Capacity.equalPower(gains, 0, rank, snr[x], cols);
      capacityWf[at] = Capacity.waterFilling(gains, 0, rank, snr[x], waterFillingWork);
      linearReceivers(at, snr[x] / cols, invertibleGram);
      zfMse[at] = zeroForcing && invertibleGram ? symbolError(i, x) : Double.NaN;
      finite &= Double.isFinite(capacityEqual[at]) && Double.isFinite(capacityWf[at]) && Double.isFinite(rateMmse[at])
          && Double.isFinite(mseMmse[at]) && (!invertibleGram || Double.isFinite(rateZf[at]))
          && (!zeroForcing || !invertibleGram || Double.isFinite(zfMse[at]));
    }
    if (refineInput != null) {
      refineInput.fullRank[i] = fullRank;
    }
    return finite ? OK : MatrixStatus.NON_FINITE.code();
  }

  /** {@link #weights} and {@link #outside} of matrix i, from its Vᴴ. */
  private void rowSpaceWeights(int i) {
    for (int k = 0; k < cols; k++) {
      double inside = 0;
      for (int j = 0; j < rank; j++) {
        int e = vh.index(i, j, k);
        double re = vh.get(e);
        double im = vh.get(e + 1);
        double w = re * re + im * im;
        weights[j * cols + k] = w;
        inside += w;
      }
      // Vᴴ of a tall or square channel is unitary: nothing of e_k lies outside its row space.
      outside[k] = cols > rank ? Math.max(0, 1 - inside) : 0;
    }
  }

  /**
   * rate_zf, rate_mmse and mse_mmse at entry {@code at}, for power a = ρ/tx per stream, from the
   * current {@link #gains} and {@link #weights}.
   */
  private void linearReceivers(int at, double a, boolean invertibleGram) {
    // Per mode: 1/(1 + aσ²) and aσ²/(1 + aσ²), so that the sums over streams only multiply and add.
    for (int j = 0; j < rank; j++) {
      double g = a * gains[j];
      residual[j] = 1 / (1 + g);
      captured[j] = g * residual[j];
    }
    // e_k, q_k and z_k summed mode by mode over every stream at once: unit-stride loops over k.
    System.arraycopy(outside, 0, streamError, 0, cols);
    java.util.Arrays.fill(streamCaptured, 0, cols, 0);
    java.util.Arrays.fill(streamInverse, 0, cols, 0);
    for (int j = 0; j < rank; j++) {
      double r = residual[j];
      double c = captured[j];
      double g = inverseGains[j];
      int row = j * cols;
      for (int k = 0; k < cols; k++) {
        double w = weights[row + k];
        streamError[k] += w * r;
        streamCaptured[k] += w * c;
        streamInverse[k] += w * g;
      }
    }
    double mmseRate = 0;
    double mmseError = 0;
    double zfRate = 0;
    for (int k = 0; k < cols; k++) {
      double e = streamError[k];
      mmseRate += Capacity.log1p(streamCaptured[k] / e);
      mmseError += e;
      if (invertibleGram) {
        zfRate += Capacity.log1p(a / streamInverse[k]);
      }
    }
    rateMmse[at] = mmseRate / LN2;
    mseMmse[at] = mmseError / cols;
    rateZf[at] = invertibleGram ? zfRate / LN2 : Double.NaN;
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
    // The same detection by the batched solve, and the image of its x̂ for the backward error.
    if (normalRhs == null) {
      backend.solve(h, received, solved, solveStatus);
      backend.multiply(h, Op.NONE, solved, Op.NONE, solvedImage);
    } else {
      backend.multiply(h, Op.CONJUGATE_TRANSPOSE, received, Op.NONE, normalRhs);
      backend.solve(gram, normalRhs, solved, solveStatus);
      backend.multiply(gram, Op.NONE, solved, Op.NONE, solvedImage);
    }
  }

  /**
   * zf_solve_error and zf_solve_gap of matrix i: over its vectors, the largest backward error of
   * the solve's x̂ and the largest distance from it to the SVD route's x̂.
   */
  private void solveChecks(int i) {
    ComplexBatch rhs = normalRhs == null ? received : normalRhs;
    double normH = norms[i];
    double worstError = 0;
    double worstGap = 0;
    for (int c = 0; c < vectors; c++) {
      int image = solvedImage.index(i, 0, c);
      int b = rhs.index(i, 0, c);
      double residual = 0;
      for (int e = 0; e < 2 * cols; e++) {
        double d = solvedImage.get(image + e) - rhs.get(b + e);
        residual += d * d;
      }
      int x = solved.index(i, 0, c);
      int svd = detected.index(i, 0, c);
      double xNorm = 0;
      double gap = 0;
      double svdNorm = 0;
      for (int e = 0; e < 2 * cols; e++) {
        double v = solved.get(x + e);
        double w = detected.get(svd + e);
        xNorm += v * v;
        svdNorm += w * w;
        gap += (v - w) * (v - w);
      }
      int y = received.index(i, 0, c);
      double yNorm = 0;
      for (int e = 0; e < 2 * rows; e++) {
        yNorm += received.get(y + e) * received.get(y + e);
      }
      double scale = normH * Math.sqrt(xNorm) + Math.sqrt(yNorm);
      if (normalRhs != null) {
        scale *= normH;
      }
      worstError = Math.max(worstError, Math.sqrt(residual) / scale);
      worstGap = Math.max(worstGap, Math.sqrt(gap / svdNorm));
    }
    zfSolveError[i] = worstError;
    zfSolveGap[i] = worstGap;
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
