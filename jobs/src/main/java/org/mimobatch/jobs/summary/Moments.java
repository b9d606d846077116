package org.mimobatch.jobs.summary;

import java.io.Serializable;

/**
 * Count, mean, sum of squared deviations and largest value of a stream of numbers, updated one
 * value at a time (Welford) and merged by Chan's formula, so that partial results of any
 * partitioning combine without the cancellation of a sum of squares.
 */
final class Moments implements Serializable {
  private static final long serialVersionUID = 1L;

  long n;
  double mean;
  double m2;
  double max = Double.NEGATIVE_INFINITY;

  void add(double x) {
    n++;
    double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
    if (x > max || Double.isNaN(x)) {
      max = x;
    }
  }

  void merge(Moments o) {
    if (o.n == 0) {
      return;
    }
    if (n == 0) {
      n = o.n;
      mean = o.mean;
      m2 = o.m2;
      max = o.max;
      return;
    }
    long total = n + o.n;
    double d = o.mean - mean;
    mean += d * o.n / total;
    m2 += o.m2 + d * d * ((double) n * o.n / total);
    n = total;
    max = Math.max(max, o.max);
  }

  /** The mean, or null without values. */
  Double mean() {
    return n == 0 ? null : mean;
  }

  /** The sample standard deviation, or null with fewer than two values. */
  Double std() {
    return n < 2 ? null : Math.sqrt(m2 / (n - 1));
  }

  /** The standard error of the mean, or null with fewer than two values. */
  Double stderr() {
    return n < 2 ? null : Math.sqrt(m2 / (n - 1)) / Math.sqrt(n);
  }

  Double max() {
    return n == 0 ? null : max;
  }
}
