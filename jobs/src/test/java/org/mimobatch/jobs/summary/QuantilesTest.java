package org.mimobatch.jobs.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.api.Test;

/** The quantile sketch: exact up to k values as KLL itself answers, merges, and its two encodings. */
class QuantilesTest {
  private static double[] values(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      // Repeated values too: capacities of identical channels, iteration counts.
      v[i] = i % 5 == 0 ? Math.floor(r.nextGaussian() * 4) : r.nextGaussian();
    }
    return v;
  }

  @Test
  void upToKTheAnswersAreKllsOwnOverTheSameValues() {
    for (int n : new int[] {1, 2, 3, 7, 100, 101, 257, 1000}) {
      Quantiles q = new Quantiles(1000);
      KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(1000);
      for (double v : values(n, n)) {
        q.add(v);
        kll.update(v);
      }
      for (double p : SummaryTables.POINTS) {
        assertEquals(kll.getQuantile(p, QuantileSearchCriteria.INCLUSIVE), q.quantile(p), 0, "n = " + n + ", p = " + p);
      }
      double[] sorted = values(n, n);
      Arrays.sort(sorted);
      assertEquals(sorted[0], q.quantile(0), 0);
      assertEquals(sorted[n - 1], q.quantile(1), 0);
    }
  }

  @Test
  void mergedPartsAnswerAsOneStreamWithinTheRankError() {
    int k = 200;
    double[] all = values(50_000, 1);
    Quantiles merged = new Quantiles(k);
    for (int part = 0; part < 10; part++) {
      Quantiles q = new Quantiles(k);
      for (int i = part; i < all.length; i += 10) {
        q.add(all[i]);
      }
      merged.merge(Quantiles.fromBytes(q.toBytes(), k));
    }
    assertEquals(all.length, merged.count());
    double[] sorted = all.clone();
    Arrays.sort(sorted);
    double slack = 2 * Quantiles.rankError(k) * all.length + 1;
    for (double p : new double[] {0.01, 0.1, 0.5, 0.9, 0.99}) {
      double v = merged.quantile(p);
      long below = Arrays.stream(sorted).filter(x -> x < v).count();
      long atOrBelow = Arrays.stream(sorted).filter(x -> x <= v).count();
      assertTrue(below <= p * all.length + slack && atOrBelow >= p * all.length - slack, "p = " + p);
    }
  }

  @Test
  void bothEncodingsKeepEveryAnswer() throws IOException {
    for (int n : new int[] {0, 5, 300, 5000}) {
      Quantiles q = new Quantiles(256);
      for (double v : values(n, 7)) {
        q.add(v);
      }
      q.add(Double.NaN);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      q.write(new DataOutputStream(bytes));
      Quantiles internal = Quantiles.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 256);
      Quantiles kll = Quantiles.fromBytes(q.toBytes(), 256);
      assertEquals(n, q.count(), "NaN is skipped");
      assertEquals(n, internal.count());
      assertEquals(n, kll.count());
      assertArrayEquals(q.quantiles(SummaryTables.POINTS), internal.quantiles(SummaryTables.POINTS));
      assertArrayEquals(q.quantiles(SummaryTables.POINTS), kll.quantiles(SummaryTables.POINTS));
      // The public encoding is DataSketches' own.
      assertEquals(n, KllDoublesSketch.heapify(Memory.wrap(q.toBytes())).getN());
    }
  }
}
