package org.mimobatch.jobs.io;

import java.math.BigDecimal;

/**
 * The summary dataset: one row per (rows, cols, group-by keys, snr_db) with
 *
 * <pre>
 *   matrices, failed                      rows in the group, rows whose status is not ok
 *   capacity_mean, capacity_stderr        equal-power capacity: mean and standard error of the mean
 *   capacity_wf_mean                      water-filling capacity: mean
 *   capacity_pXX                          capacity quantiles: p01 = 1 % outage capacity, p10, p50 (median), ...
 *   recon_error_max, recon_error_mean     SVD reconstruction error
 *   orth_error_max, eig_gap_max           largest orthogonality error and eigenvalue/SVD gap
 *   cond_db_p50                           median condition number in dB
 *   effective_rank_mean                   mean Roy–Vetterli effective rank
 *   zf_mse_mean                           mean zero-forcing symbol error
 *   singular_values_mean, _std            per-index mean and standard deviation of the spectrum (MLlib Summarizer)
 * </pre>
 * Means and quantiles are over the ok rows. Quantiles are approximate with a rank error of at most
 * 1/{@value #QUANTILE_ACCURACY} of the group size (Spark's percentile_approx).
 */
public final class SummarySchema {
  public static final int QUANTILE_ACCURACY = 10_000;
  public static final String MATRICES = "matrices";
  public static final String FAILED = "failed";

  private SummarySchema() {}

  /** The column of the capacity quantile q: 0.01 → capacity_p01, 0.5 → capacity_p50, 0.001 → capacity_p0_1. */
  public static String quantileColumn(double q) {
    String percent = new BigDecimal(Double.toString(q)).movePointRight(2).stripTrailingZeros().toPlainString();
    if (!percent.contains(".") && percent.length() < 2) {
      percent = "0" + percent;
    }
    return "capacity_p" + percent.replace('.', '_');
  }
}
