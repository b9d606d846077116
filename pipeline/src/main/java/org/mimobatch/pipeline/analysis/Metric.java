package org.mimobatch.pipeline.analysis;

import java.util.List;

/**
 * Every per-matrix metric column, in the order the metrics dataset stores them: the one declaration
 * from which the dataset's schema, its row encoding, the summary's columns and README's metrics
 * table are derived.
 *
 * <p>A metric holds one value per matrix ({@link Shape#SCALAR}), one per singular-value index
 * ({@link Shape#PER_INDEX}, min(rows, cols) values) or one per SNR of the grid
 * ({@link Shape#PER_SNR}). {@link ChunkMetrics} keeps each in a flat array of that width per
 * matrix. A value that is undefined for a matrix (zero-forcing of a rank-deficient channel) is NaN
 * there and null in the dataset; a list is null as a whole when its first value is undefined.
 */
public enum Metric {
  RANK(false, "rank", Shape.SCALAR, Type.INT,
      "numerical rank: the σ_i > max(rows, cols)·ε·σ_1, ε the machine epsilon of the channel's precision (as NumPy's matrix_rank)",
      Statistic.MEAN),
  SINGULAR_VALUES(true, "singular_values", Shape.PER_INDEX, Type.DOUBLE,
      "σ_1 ≥ … ≥ σ_min(rows,cols)",
      Statistic.MEAN, Statistic.STD),
  RECON_ERROR(true, "recon_error", Shape.SCALAR, Type.DOUBLE,
      "‖H − UΣVᴴ‖_F / ‖H‖_F of the thin SVD",
      Statistic.MAX, Statistic.MEAN),
  ORTH_ERROR(true, "orth_error", Shape.SCALAR, Type.DOUBLE,
      "max(max\\|UᴴU − I\\|, max\\|VᴴV − I\\|), entry-wise",
      Statistic.MAX),
  COND_DB(true, "cond_db", Shape.SCALAR, Type.DOUBLE,
      "20·log10(σ_1 / σ_min(rows,cols)); +∞ when rank < min(rows, cols)",
      Statistic.P50),
  EFFECTIVE_RANK(true, "effective_rank", Shape.SCALAR, Type.DOUBLE,
      "Roy–Vetterli: exp of the entropy of σ_i / Σσ_j",
      Statistic.MEAN),
  EIG_GAP(false, "eig_gap", Shape.SCALAR, Type.DOUBLE,
      "max_i \\|λ_i(HᴴH) − σ_i²\\| / σ_1²: the eigh route against the SVD route",
      Statistic.MAX),
  LOWRANK_ERROR(false, "lowrank_error", Shape.PER_INDEX, Type.DOUBLE,
      "‖H − H_r‖_F/‖H‖_F of the best rank-r approximation, r = 1 … min(rows, cols) (Eckart–Young)",
      Statistic.MEAN),
  CAPACITY(true, "capacity", Shape.PER_SNR, Type.DOUBLE,
      "equal power: Σ log2(1 + ρσ_i²/tx), bits/s/Hz",
      Statistic.MEAN, Statistic.STDERR, Statistic.QUANTILES),
  CAPACITY_WF(true, "capacity_wf", Shape.PER_SNR, Type.DOUBLE,
      "water-filling, exact active-set solution, total power 1",
      Statistic.MEAN),
  RATE_ZF(true, "rate_zf", Shape.PER_SNR, Type.DOUBLE,
      "zero-forcing receiver: Σ_k log2(1 + (ρ/tx)/[(HᴴH)⁻¹]_kk); null when rank < tx (wide or rank-deficient)",
      Statistic.MEAN),
  RATE_MMSE(true, "rate_mmse", Shape.PER_SNR, Type.DOUBLE,
      "LMMSE receiver: Σ_k log2(1 + SINR_k), SINR_k = 1/[(I + (ρ/tx)HᴴH)⁻¹]_kk − 1",
      Statistic.MEAN),
  MSE_MMSE(false, "mse_mmse", Shape.PER_SNR, Type.DOUBLE,
      "LMMSE error per stream: mean_k [(I + (ρ/tx)HᴴH)⁻¹]_kk",
      Statistic.MEAN),
  ZF_MSE(false, "zf_mse", Shape.PER_SNR, Type.DOUBLE,
      "sampled zero-forcing: `analysis.zf-vectors` QPSK vectors x per SNR, y = Hx + n, n ~ CN(0, I/ρ), "
          + "x̂ = VΣ⁻¹Uᴴy; mean \\|x̂ − x\\|², whose expectation is mean_k [(HᴴH)⁻¹]_kk / ρ; "
          + "null when rank < tx or zf-vectors = 0",
      Statistic.MEAN),
  ZF_SOLVE_ERROR(false, "zf_solve_error", Shape.SCALAR, Type.DOUBLE,
      "the same detection by the batched solve, LU of H (square) or of HᴴH on Hᴴy (tall): its backward error, max over "
          + "the vectors of ‖Hx̂ − y‖/(‖H‖‖x̂‖ + ‖y‖) (square) or ‖Hᴴ(Hx̂ − y)‖/(‖H‖(‖H‖‖x̂‖ + ‖y‖)) (tall: zero at "
          + "the least-squares x̂), ‖H‖ Frobenius; null when rank < tx, zf-vectors = 0 or the solve met a zero pivot",
      Statistic.MAX, Statistic.MEAN),
  ZF_SOLVE_GAP(false, "zf_solve_gap", Shape.SCALAR, Type.DOUBLE,
      "max over the vectors of ‖x̂_solve − x̂_svd‖/‖x̂_svd‖: the solve route against the SVD route",
      Statistic.MAX);

  /** How many values a matrix holds. */
  public enum Shape {
    SCALAR, PER_INDEX, PER_SNR
  }

  /** The stored type of each value. */
  public enum Type {
    INT, DOUBLE
  }

  /**
   * What the summary reports of a metric, over the ok rows of each group where the metric is
   * defined: column {@code <metric>_<suffix>}. For per-index metrics, MEAN and STD are lists with
   * one value per index; for per-SNR metrics every statistic is taken at the summary row's SNR.
   */
  public enum Statistic {
    MEAN("mean"),
    /** The standard error of the mean: the sample standard deviation over √count. */
    STDERR("stderr"),
    /** The sample standard deviation. */
    STD("std"),
    MAX("max"),
    /** The median. */
    P50("p50"),
    /** The quantiles at p = 0.01, 0.1, 0.5 and at every outage probability, columns pXX. */
    QUANTILES("p");

    private final String suffix;

    Statistic(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  private final boolean distribution;
  private final String column;
  private final Shape shape;
  private final Type type;
  private final String description;
  private final List<Statistic> statistics;

  Metric(boolean distribution, String column, Shape shape, Type type, String description, Statistic... statistics) {
    this.distribution = distribution;
    this.column = column;
    this.shape = shape;
    this.type = type;
    this.description = description;
    this.statistics = List.of(statistics);
  }

  /** The column name in the metrics dataset. */
  public String column() {
    return column;
  }

  public Shape shape() {
    return shape;
  }

  public Type type() {
    return type;
  }

  /** One line for README's metrics table (Markdown). */
  public String description() {
    return description;
  }

  /**
   * Does the distributions dataset hold this metric's quantile points (per SNR for a per-SNR metric,
   * per index for a per-index one)?
   */
  public boolean distribution() {
    return distribution;
  }

  /** What the summary reports of this metric, in column order. */
  public List<Statistic> statistics() {
    return statistics;
  }

  /** Values per matrix: 1, min(rows, cols) or the SNR count. */
  public int width(int rank, int snrCount) {
    return switch (shape) {
      case SCALAR -> 1;
      case PER_INDEX -> rank;
      case PER_SNR -> snrCount;
    };
  }
}
