package org.mimobatch.pipeline.analysis;

import java.util.List;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.refine.RefineResult;

/**
 * The per-matrix results of one analysed chunk, in flat arrays reused from chunk to chunk. Metrics
 * of a matrix whose status is not {@link MatrixStatus#OK} are NaN and must be written as nulls.
 */
public final class ChunkMetrics {
  final int capacity;
  final int rank;
  final int snrCount;
  final byte[] status;
  final double[] singularValues;
  final double[] reconError;
  final double[] orthError;
  final double[] condDb;
  final double[] effectiveRank;
  final double[] eigGap;
  final double[] capacityEqual;
  final double[] capacityWf;
  final double[] zfMse;
  final double[] lowrankError;
  final boolean zeroForcing;
  List<RefineResult> refine = List.of();
  int count;

  ChunkMetrics(int capacity, int rank, int snrCount, boolean zeroForcing) {
    this.capacity = capacity;
    this.rank = rank;
    this.snrCount = snrCount;
    this.zeroForcing = zeroForcing;
    this.status = new byte[capacity];
    this.singularValues = new double[capacity * rank];
    this.reconError = new double[capacity];
    this.orthError = new double[capacity];
    this.condDb = new double[capacity];
    this.effectiveRank = new double[capacity];
    this.eigGap = new double[capacity];
    this.capacityEqual = new double[capacity * snrCount];
    this.capacityWf = new double[capacity * snrCount];
    this.zfMse = new double[capacity * snrCount];
    this.lowrankError = new double[capacity * rank];
  }

  /** Matrices in this chunk. */
  public int count() {
    return count;
  }

  /** Singular values per matrix: min(rows, cols). */
  public int rank() {
    return rank;
  }

  public int snrCount() {
    return snrCount;
  }

  public MatrixStatus status(int i) {
    return MatrixStatus.ofCode(status[i]);
  }

  public boolean ok(int i) {
    return MatrixStatus.isOk(status[i]);
  }

  /** Singular value j of matrix i, descending in j. */
  public double singularValue(int i, int j) {
    return singularValues[i * rank + j];
  }

  /** ‖H − UΣVᴴ‖_F / ‖H‖_F. */
  public double reconError(int i) {
    return reconError[i];
  }

  /** max(max|UᴴU − I|, max|VᴴV − I|), the largest entry-wise deviation from orthonormality. */
  public double orthError(int i) {
    return orthError[i];
  }

  /** 20·log10(σ_max / σ_min). */
  public double condDb(int i) {
    return condDb[i];
  }

  /** Roy–Vetterli effective rank. */
  public double effectiveRank(int i) {
    return effectiveRank[i];
  }

  /** max_j |λ_j(HᴴH) − σ_j²| / σ_max²: how far the eigenvalue route disagrees with the SVD route. */
  public double eigGap(int i) {
    return eigGap[i];
  }

  /** Equal-power capacity at SNR s, bits/s/Hz. */
  public double capacity(int i, int s) {
    return capacityEqual[i * snrCount + s];
  }

  /** Water-filling capacity at SNR s, bits/s/Hz. */
  public double capacityWf(int i, int s) {
    return capacityWf[i * snrCount + s];
  }

  /** Does this chunk carry zero-forcing errors (rows ≥ cols and vectors requested)? */
  public boolean hasZeroForcing() {
    return zeroForcing;
  }

  /** Mean squared symbol error of zero-forcing detection at SNR s. */
  public double zfMse(int i, int s) {
    return zfMse[i * snrCount + s];
  }

  /**
   * ‖H − H_r‖_F / ‖H‖_F for the best rank-r approximation H_r (Eckart–Young: the energy of the
   * singular values past r), for r = j + 1; zero at full rank.
   */
  public double lowrankError(int i, int j) {
    return lowrankError[i * rank + j];
  }

  /** The refinements' results, one per configured method in order (empty when none are configured). */
  public List<RefineResult> refine() {
    return refine;
  }
}
