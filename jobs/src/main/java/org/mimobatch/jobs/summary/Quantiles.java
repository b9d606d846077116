package org.mimobatch.jobs.summary;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The quantiles of a stream of numbers, mergeable across tasks and runs: Apache DataSketches' KLL
 * sketch ({@link KllDoublesSketch}), the sketch behind Spark's {@code kll_sketch_*} functions, whose
 * compact binary {@link #toBytes} writes. Up to {@code k} values it keeps them as they are and is
 * exact; past that, the sketch answers quantile q with a value whose rank is within
 * {@link #rankError(int)} of the count from q's, with 99 % confidence. KLL's compaction is randomised,
 * so two passes over the same values may answer within that error of each other.
 *
 * <p>The exact stage is ours because an empty KLL sketch allocates {@code k} doubles: a task that
 * summarises a thousand groups by subcarrier would hold tens of thousands of them, nearly all
 * with a few dozen values. NaN values are skipped, as the sketch does. Not thread-safe.
 */
final class Quantiles {
  private final int k;
  /** The values while there are at most k of them; null once the sketch holds them. */
  private double[] values = new double[8];
  private int n;
  /** Whether values[0, n) is in ascending order. */
  private boolean sorted = true;
  private KllDoublesSketch sketch;

  Quantiles(int k) {
    if (k < 8 || k > KllSketch.MAX_K) {
      throw new IllegalArgumentException("KLL k must be 8 to " + KllSketch.MAX_K + ", got " + k);
    }
    this.k = k;
  }

  /** The normalized rank error of a quantile answered by a sketch of parameter k (99 % confidence). */
  static double rankError(int k) {
    return KllSketch.getNormalizedRankError(k, false);
  }

  void add(double v) {
    if (Double.isNaN(v)) {
      return;
    }
    if (sketch != null) {
      sketch.update(v);
      return;
    }
    if (n == values.length) {
      if (n == k) {
        toSketch().update(v);
        return;
      }
      values = Arrays.copyOf(values, Math.min(k, 2 * n));
    }
    sorted &= n == 0 || values[n - 1] <= v;
    values[n++] = v;
  }

  /** Adds everything {@code o} summarised; {@code o} is left as it was. */
  void merge(Quantiles o) {
    if (o.sketch != null) {
      toSketch().merge(o.sketch);
      return;
    }
    for (int i = 0; i < o.n; i++) {
      add(o.values[i]);
    }
  }

  /** The values summarised (NaNs excluded). */
  long count() {
    return sketch == null ? n : sketch.getN();
  }

  /**
   * The quantile at each of {@code ps} (in [0, 1]): the smallest value whose normalised rank is at
   * least p (0: the least value, 1: the greatest); NaNs when empty.
   */
  double[] quantiles(double[] ps) {
    double[] out = new double[ps.length];
    if (count() == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    if (sketch != null) {
      for (int i = 0; i < ps.length; i++) {
        out[i] = sketch.getQuantile(ps[i], QuantileSearchCriteria.INCLUSIVE);
      }
      return out;
    }
    if (!sorted) {
      Arrays.sort(values, 0, n);
      sorted = true;
    }
    for (int i = 0; i < ps.length; i++) {
      out[i] = values[exactIndex(ps[i], n)];
    }
    return out;
  }

  /**
   * The index into n sorted values of the quantile at p, as the KLL sketch answers it while it holds
   * every value (inclusive search: the first value whose rank reaches p·n, rounded to 1e-8 as the
   * sketch rounds it), without building the sketch's k-sized arrays.
   */
  static int exactIndex(double p, int n) {
    double rank = Math.round(p * n * 1e8) / 1e8;
    return (int) Math.max(0, Math.min(n, (long) Math.ceil(rank)) - 1);
  }

  double quantile(double p) {
    return quantiles(new double[] {p})[0];
  }

  /** The KLL sketch's compact binary, as Spark's kll_sketch_agg_double writes it. */
  byte[] toBytes() {
    return (sketch != null ? sketch : filledSketch()).toByteArray();
  }

  /** What {@link #toBytes} wrote (or Spark's kll_sketch_agg_double), for further merges with parameter k. */
  static Quantiles fromBytes(byte[] bytes, int k) {
    Quantiles q = new Quantiles(k);
    KllDoublesSketch s = KllDoublesSketch.heapify(Memory.wrap(bytes));
    if (s.getN() <= k && !s.isEstimationMode()) {
      // Not compacted yet: the sketch holds every value, and a small group stays small.
      var it = s.iterator();
      while (it.next()) {
        q.add(it.getQuantile());
      }
    } else {
      q.sketch = s;
    }
    return q;
  }

  /** Writes this for {@link #read}: the values while exact, else the sketch's binary. */
  void write(DataOutputStream out) throws IOException {
    out.writeBoolean(sketch == null);
    if (sketch == null) {
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        out.writeDouble(values[i]);
      }
    } else {
      byte[] b = sketch.toByteArray();
      out.writeInt(b.length);
      out.write(b);
    }
  }

  /** What {@link #write} wrote, for merges with parameter k. */
  static Quantiles read(DataInputStream in, int k) throws IOException {
    boolean exact = in.readBoolean();
    int length = in.readInt();
    if (!exact) {
      byte[] b = new byte[length];
      in.readFully(b);
      Quantiles q = new Quantiles(k);
      q.sketch = KllDoublesSketch.heapify(Memory.wrap(b));
      return q;
    }
    Quantiles q = new Quantiles(k);
    for (int i = 0; i < length; i++) {
      q.add(in.readDouble());
    }
    return q;
  }

  private KllDoublesSketch toSketch() {
    if (sketch == null) {
      sketch = filledSketch();
      values = null;
      n = 0;
    }
    return sketch;
  }

  /** A sketch holding the exact values (no compaction happens up to k of them). */
  private KllDoublesSketch filledSketch() {
    KllDoublesSketch s = KllDoublesSketch.newHeapInstance(k);
    for (int i = 0; i < n; i++) {
      s.update(values[i]);
    }
    return s;
  }
}
