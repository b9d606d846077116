package org.mimobatch.jobs.summary;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.mimobatch.jobs.io.SummarySchema;

/**
 * A mergeable quantile sketch: the Greenwald–Khanna summary (Greenwald and Khanna, "Space-efficient
 * online computation of quantile summaries", SIGMOD 2001) with buffered, batched inserts, the
 * algorithm of Spark's percentile_approx and approxQuantile. The answer to quantile q has a rank
 * within {@link #RELATIVE_ERROR} of the count from q's, and is the same for the same order of
 * inserts and merges. Written here over primitive arrays because Spark's implementation keeps its
 * insert buffer and samples as objects (every value boxed): summarising a million matrices spent
 * longer in it than in analysing them. Not thread-safe.
 */
final class Sketch implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The rank error the summary states, as a fraction of the values summarised. */
  static final double RELATIVE_ERROR = 1.0 / SummarySchema.QUANTILE_ACCURACY;
  /** Values buffered before they join the samples: from 64 up to this, doubling (small groups stay small). */
  private static final int HEAD = 16_384;
  private static final int COMPRESS_AT = 10_000;

  /** Samples in ascending order: value, g (rank gap from the previous) and delta (rank uncertainty). */
  private transient double[] values = new double[0];
  private transient long[] g = new long[0];
  private transient long[] delta = new long[0];
  private transient int size;
  /** Values in the samples. */
  private long count;
  /** Values not yet in the samples. */
  private transient double[] head;
  private transient int headCount;

  void add(double value) {
    if (head == null) {
      head = new double[64];
    } else if (headCount == head.length) {
      if (head.length < HEAD) {
        head = Arrays.copyOf(head, 2 * head.length);
      } else {
        flush();
      }
    }
    head[headCount++] = value;
  }

  long count() {
    return count + headCount;
  }

  /** Moves the head buffer into the samples, compressing them when they have grown. */
  private void flush() {
    if (headCount == 0) {
      return;
    }
    Arrays.sort(head, 0, headCount);
    int n = size + headCount;
    double[] v = new double[n];
    long[] gg = new long[n];
    long[] dd = new long[n];
    int i = 0;
    int out = 0;
    for (int h = 0; h < headCount; h++) {
      double x = head[h];
      while (i < size && values[i] <= x) {
        v[out] = values[i];
        gg[out] = g[i];
        dd[out] = delta[i];
        out++;
        i++;
      }
      count++;
      v[out] = x;
      gg[out] = 1;
      // A new value between samples may hold any rank in their gap; only the smallest of all, and
      // the largest of all, are exact.
      boolean extreme = out == 0 || i == size && h == headCount - 1;
      dd[out] = extreme ? 0 : (long) Math.floor(2 * RELATIVE_ERROR * count);
      out++;
    }
    while (i < size) {
      v[out] = values[i];
      gg[out] = g[i];
      dd[out] = delta[i];
      out++;
      i++;
    }
    values = v;
    g = gg;
    delta = dd;
    size = n;
    headCount = 0;
    if (size >= COMPRESS_AT) {
      compress();
    }
  }

  /** Merges neighbouring samples while their combined rank span stays below 2εn; keeps the extremes. */
  private void compress() {
    if (size < 3) {
      return;
    }
    double threshold = 2 * RELATIVE_ERROR * count;
    // From the right: sample i merges into the kept sample to its right when their span allows it.
    int kept = size - 1;
    int write = size - 1;
    double keptValue = values[kept];
    long keptG = g[kept];
    long keptDelta = delta[kept];
    for (int i = size - 2; i >= 1; i--) {
      if (g[i] + keptG + keptDelta < threshold) {
        keptG += g[i];
      } else {
        values[write] = keptValue;
        g[write] = keptG;
        delta[write] = keptDelta;
        write--;
        keptValue = values[i];
        keptG = g[i];
        keptDelta = delta[i];
      }
    }
    values[write] = keptValue;
    g[write] = keptG;
    delta[write] = keptDelta;
    write--;
    values[write] = values[0];
    g[write] = g[0];
    delta[write] = delta[0];
    int n = size - write;
    values = Arrays.copyOfRange(values, write, size);
    g = Arrays.copyOfRange(g, write, size);
    delta = Arrays.copyOfRange(delta, write, size);
    size = n;
  }

  /**
   * Merges {@code other} into this one ({@code other} is left alone). Each sample's rank bounds in
   * the union are its bounds in its own summary plus those of its neighbours from the other: the
   * smallest rank of the other's sample just below it, the largest rank of the one just above
   * (Greenwald and Khanna's combination of summaries); merging samples as they are, without that,
   * loses the rank guarantee once the parts have been compressed.
   */
  void merge(Sketch other) {
    flush();
    other.flush();
    if (other.count == 0) {
      return;
    }
    long[] minA = minRanks(this);
    long[] minB = minRanks(other);
    int n = size + other.size;
    double[] v = new double[n];
    long[] rmin = new long[n];
    long[] rmax = new long[n];
    int i = 0;
    int j = 0;
    for (int out = 0; out < n; out++) {
      boolean mine = j == other.size || i < size && values[i] <= other.values[j];
      if (mine) {
        v[out] = values[i];
        // j samples of the other lie below: the last of them, at index j − 1, and the next above at j.
        rmin[out] = minA[i] + (j > 0 ? minB[j - 1] : 0);
        rmax[out] = minA[i] + delta[i] + (j < other.size ? minB[j] + other.delta[j] - 1 : other.count);
        i++;
      } else {
        v[out] = other.values[j];
        rmin[out] = minB[j] + (i > 0 ? minA[i - 1] : 0);
        rmax[out] = minB[j] + other.delta[j] + (i < size ? minA[i] + delta[i] - 1 : count);
        j++;
      }
    }
    long[] gg = new long[n];
    long[] dd = new long[n];
    long previous = 0;
    for (int k = 0; k < n; k++) {
      gg[k] = rmin[k] - previous;
      dd[k] = rmax[k] - rmin[k];
      previous = rmin[k];
    }
    values = v;
    g = gg;
    delta = dd;
    size = n;
    count += other.count;
    compress();
  }

  /** The smallest rank of every sample of {@code s}: the running sum of the gaps. */
  private static long[] minRanks(Sketch s) {
    long[] r = new long[s.size];
    long sum = 0;
    for (int i = 0; i < s.size; i++) {
      sum += s.g[i];
      r[i] = sum;
    }
    return r;
  }

  /** The value at quantile q in [0, 1], or NaN when nothing was added. */
  double quantile(double q) {
    return quantiles(new double[] {q})[0];
  }

  /** The values at quantiles qs (each in [0, 1]), NaN when nothing was added. */
  double[] quantiles(double[] qs) {
    flush();
    double[] out = new double[qs.length];
    if (count == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    long targetError = 0;
    for (int i = 0; i < size; i++) {
      targetError = Math.max(targetError, g[i] + delta[i]);
    }
    targetError /= 2;
    for (int k = 0; k < qs.length; k++) {
      double q = qs[k];
      if (q <= RELATIVE_ERROR) {
        out[k] = values[0];
        continue;
      }
      if (q >= 1 - RELATIVE_ERROR) {
        out[k] = values[size - 1];
        continue;
      }
      long rank = (long) Math.ceil(q * count);
      long minRank = 0;
      out[k] = values[size - 1];
      for (int i = 0; i < size - 1; i++) {
        minRank += g[i];
        long maxRank = minRank + delta[i];
        if (maxRank - targetError <= rank && rank <= minRank + targetError) {
          out[k] = values[i];
          break;
        }
      }
    }
    return out;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    flush();
    out.defaultWriteObject();
    out.writeObject(Arrays.copyOf(values, size));
    out.writeObject(Arrays.copyOf(g, size));
    out.writeObject(Arrays.copyOf(delta, size));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    values = (double[]) in.readObject();
    g = (long[]) in.readObject();
    delta = (long[]) in.readObject();
    size = values.length;
  }
}
