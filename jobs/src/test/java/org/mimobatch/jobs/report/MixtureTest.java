package org.mimobatch.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MixtureTest {
  /** p = 0, 0.01, …, 1. */
  private static final double[] PERCENTS = percents();

  private static double[] percents() {
    double[] p = new double[101];
    for (int i = 0; i <= 100; i++) {
      p[i] = i / 100.0;
    }
    return p;
  }

  /** The exact quantiles of a sample at levels p: the value of rank ⌈p·n⌉ (the smallest at p = 0). */
  private static double[] exact(double[] sorted, double[] p) {
    double[] q = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      q[i] = sorted[Math.max(0, (int) Math.ceil(p[i] * sorted.length) - 1)];
    }
    return q;
  }

  @Test
  void onePartIsItsOwnPoints() {
    Mixture m = new Mixture();
    double[] v = {1, 1.5, 4, 4, 9};
    double[] p = {0, 0.25, 0.5, 0.75, 1};
    m.add(40, p, v);
    assertArrayEquals(v, m.quantiles(p));
    assertEquals(40, m.count());
    // Between the points, the linear CDF through them.
    assertArrayEquals(new double[] {1.25, 2.75, 4, 6.5}, m.quantiles(new double[] {0.125, 0.375, 0.6, 0.875}), 1e-12);
  }

  @Test
  void uniformPartsPoolToTheirWeightedMixture() {
    // U(0, 1) with 1 value in 4, U(1, 3) with 3: F(x) = x/4 on [0, 1], 1/4 + 3(x − 1)/8 on [1, 3].
    Mixture m = new Mixture();
    m.add(100, new double[] {0, 1}, new double[] {0, 1});
    m.add(300, new double[] {0, 0.5, 1}, new double[] {1, 2, 3});
    double[] q = {0, 0.1, 0.25, 0.4, 0.625, 0.9, 1};
    assertArrayEquals(new double[] {0, 0.4, 1, 1.4, 2, 2 + 0.275 / 0.375, 3}, m.quantiles(q), 1e-12);
    assertEquals(400, m.count());
  }

  @Test
  void pointMassesAndInfiniteValuesKeepTheirWeight() {
    // Half the values are exactly 5; the other half uniform on [0, 9] but for a tenth at +∞. Counted:
    // F(x) = x below 5, 15 + (x − 5) above it, 19 at 9, 20 at +∞.
    Mixture m = new Mixture();
    m.add(10, new double[] {0, 1}, new double[] {5, 5});
    m.add(10, new double[] {0, 0.9, 1}, new double[] {0, 9, Double.POSITIVE_INFINITY});
    double[] got = m.quantiles(new double[] {0, 0.2, 0.5, 0.7, 0.94, 0.96, 1});
    assertArrayEquals(new double[] {0, 4, 5, 5, 8.8, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, got, 1e-12);
  }

  @Test
  void pooledQuantilesOfSamplesStayWithinTheirPartsResolution() {
    Random r = new Random(11);
    int parts = 40;
    double[] all = new double[0];
    Mixture m = new Mixture();
    for (int k = 0; k < parts; k++) {
      int n = 200 + r.nextInt(2000);
      double shift = 3 * r.nextGaussian();
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = shift + r.nextGaussian() * (1 + k % 3);
      }
      Arrays.sort(x);
      m.add(n, PERCENTS, exact(x, PERCENTS));
      int at = all.length;
      all = Arrays.copyOf(all, at + n);
      System.arraycopy(x, 0, all, at, n);
    }
    Arrays.sort(all);
    double[] pooled = m.quantiles(PERCENTS);
    // Each part's CDF is known to within a step of 1/100 in p (and a value's rank within it), so
    // their mixture is too: the pooled quantile's rank in the whole sample lies within 0.01 + 1/n.
    for (int i = 1; i < PERCENTS.length - 1; i++) {
      double rank = rankOf(all, pooled[i]) / (double) all.length;
      assertTrue(Math.abs(rank - PERCENTS[i]) <= 0.0101, "p " + PERCENTS[i] + ": rank " + rank);
    }
    assertEquals(all[0], pooled[0]);
    assertEquals(all[all.length - 1], pooled[100]);
    assertEquals(all.length, m.count());
  }

  private static int rankOf(double[] sorted, double x) {
    int i = Arrays.binarySearch(sorted, x);
    return i >= 0 ? i + 1 : -i - 1;
  }

  @Test
  void noValuesNoQuantiles() {
    Mixture m = new Mixture();
    m.add(0, new double[] {0, 1}, new double[] {1, 2});
    assertTrue(Double.isNaN(m.quantiles(new double[] {0.5})[0]));
    assertThrows(IllegalArgumentException.class, () -> m.add(3, new double[] {0.1, 1}, new double[] {1, 2}));
  }
}
