package org.mimobatch.jobs.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The summary's quantiles against exact ones, and its moments against a two-pass computation. */
class SketchTest {
  /** The rank range of value v in sorted data: [first index holding v, last index holding v]. */
  private static long[] ranks(double[] sorted, double v) {
    int lo = Arrays.binarySearch(sorted, v);
    int hi = lo;
    while (lo > 0 && sorted[lo - 1] == v) {
      lo--;
    }
    while (hi + 1 < sorted.length && sorted[hi + 1] == v) {
      hi++;
    }
    return new long[] {lo, hi};
  }

  @Test
  void quantilesAreWithinTheStatedRankErrorWhateverThePartitioning() throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 300_000;
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      // A skewed distribution with a heavy low tail, as outage capacities have.
      values[i] = Math.log1p(Math.exp(rng.nextGaussian() * 2));
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (int parts : new int[] {1, 7, 64}) {
      Sketch merged = new Sketch();
      for (int p = 0; p < parts; p++) {
        Sketch part = new Sketch();
        for (int i = p; i < n; i += parts) {
          part.add(values[i]);
        }
        merged.merge(roundTrip(part));
      }
      assertEquals(n, merged.count());
      for (double q : new double[] {0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 1}) {
        double v = merged.quantile(q);
        long[] r = ranks(sorted, v);
        double target = q * (n - 1);
        double miss = target < r[0] ? r[0] - target : target > r[1] ? target - r[1] : 0;
        assertTrue(miss <= Sketch.RELATIVE_ERROR * n + 1,
            parts + " parts, q = " + q + ": rank " + Arrays.toString(r) + " against " + target);
      }
    }
  }

  @Test
  void momentsMergeToTheTwoPassValues() {
    SplittableRandom rng = new SplittableRandom(5);
    double[] x = new double[10_001];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1e6 + rng.nextGaussian();
    }
    Moments all = new Moments();
    Moments[] parts = {new Moments(), new Moments(), new Moments()};
    for (int i = 0; i < x.length; i++) {
      all.add(x[i]);
      parts[i % 3].add(x[i]);
    }
    Moments merged = new Moments();
    for (Moments p : parts) {
      merged.merge(p);
    }
    double mean = Arrays.stream(x).average().orElseThrow();
    double ss = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum();
    double std = Math.sqrt(ss / (x.length - 1));
    for (Moments m : new Moments[] {all, merged}) {
      assertEquals(mean, m.mean(), 1e-14 * mean);
      assertEquals(std, m.std(), 1e-9, "no cancellation at a large mean");
      assertEquals(std / Math.sqrt(x.length), m.stderr(), 1e-12);
      assertEquals(Arrays.stream(x).max().orElseThrow(), m.max());
    }
  }

  private static Sketch roundTrip(Sketch s) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (Sketch) in.readObject();
    }
  }
}
