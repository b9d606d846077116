package org.mimobatch.jobs.report;

import java.util.Arrays;

/**
 * The quantiles of a pooled distribution, from the quantile points of its parts: the distributions
 * of the subcarriers of a group, each known by its count and its points (p_j, v_j). Each part is read
 * as the piecewise-linear CDF through its points (what the report draws), so its mass
 * count·(p_{j+1} − p_j) lies evenly on [v_j, v_{j+1}], or at one value where the two are equal or
 * one is infinite. The pooled CDF is the count-weighted sum of the parts', and its quantiles are
 * found in one sweep over the sorted segment ends.
 *
 * <p>The pooled quantiles are as accurate as the parts' points allow: within the widest gap
 * between a part's adjacent p_j in rank. A single part's own points are returned as they are.
 */
final class Mixture {
  private double[] at = new double[64];
  /** Per event: the change of the density (a segment's start or end), or NaN for a point mass. */
  private double[] slopeChange = new double[64];
  private double[] mass = new double[64];
  private int events;
  private double total;
  private int parts;
  private double[] onlyP;
  private double[] onlyV;

  /** Adds a part of {@code count} values whose quantiles at ascending {@code p} (from 0 to 1) are {@code v}. */
  void add(long count, double[] p, double[] v) {
    if (p.length != v.length || p.length < 2 || p[0] != 0 || p[p.length - 1] != 1) {
      throw new IllegalArgumentException("quantile points must run from p = 0 to p = 1, one value each");
    }
    if (count <= 0) {
      return;
    }
    parts++;
    onlyP = p;
    onlyV = v;
    for (int j = 0; j + 1 < p.length; j++) {
      double w = count * (p[j + 1] - p[j]);
      double a = v[j];
      double b = v[j + 1];
      if (w <= 0 || Double.isNaN(a) || Double.isNaN(b)) {
        continue;
      }
      total += w;
      if (a == b || Double.isInfinite(a) || Double.isInfinite(b)) {
        event(Double.isInfinite(b) ? b : a, Double.NaN, w);
      } else {
        double density = w / (b - a);
        event(a, density, 0);
        event(b, -density, 0);
      }
    }
  }

  private void event(double x, double densityChange, double pointMass) {
    if (events == at.length) {
      at = Arrays.copyOf(at, 2 * events);
      slopeChange = Arrays.copyOf(slopeChange, 2 * events);
      mass = Arrays.copyOf(mass, 2 * events);
    }
    at[events] = x;
    slopeChange[events] = densityChange;
    mass[events] = pointMass;
    events++;
  }

  /** Values counted in the parts. */
  long count() {
    return Math.round(total);
  }

  /** The pooled quantiles at ascending {@code q}; NaN where no part holds a value. */
  double[] quantiles(double[] q) {
    double[] out = new double[q.length];
    if (parts == 1 && Arrays.equals(q, onlyP)) {
      return onlyV.clone();
    }
    if (total == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    Integer[] order = new Integer[events];
    for (int i = 0; i < events; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(at[x], at[y]));
    double cdf = 0;
    double density = 0;
    double x = at[order[0]];
    int next = 0;
    for (int k = 0; k < events && next < q.length; k++) {
      int e = order[k];
      double to = at[e];
      if (density > 0 && to > x && Double.isFinite(to) && Double.isFinite(x)) {
        double reached = cdf + density * (to - x);
        while (next < q.length && q[next] * total <= reached) {
          out[next] = Math.min(to, x + (q[next] * total - cdf) / density);
          next++;
        }
        cdf = reached;
      }
      x = to;
      if (Double.isNaN(slopeChange[e])) {
        cdf += mass[e];
        while (next < q.length && q[next] * total <= cdf) {
          out[next++] = to;
        }
      } else {
        density = Math.max(0, density + slopeChange[e]);
      }
    }
    // What rounding leaves short of the total lies at the top.
    for (; next < q.length; next++) {
      out[next] = at[order[events - 1]];
    }
    return out;
  }
}
