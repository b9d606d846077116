package org.mimobatch.jobs.summary;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.spark.sql.catalyst.util.QuantileSummaries;

/**
 * A mergeable quantile sketch: Spark's Greenwald–Khanna summary (the one behind percentile_approx
 * and approxQuantile), whose answer to quantile q has a rank within {@link #RELATIVE_ERROR} of the
 * group size from q's, deterministically for a given order of inserts and merges. Serialised as
 * three primitive arrays rather than one object per sample.
 */
final class Sketch implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The rank error: 1/10,000 of the values summarised, as percentile_approx with accuracy 10,000. */
  static final double RELATIVE_ERROR = 1e-4;

  private transient QuantileSummaries summary = empty();

  private static QuantileSummaries empty() {
    return new QuantileSummaries(QuantileSummaries.defaultCompressThreshold(), RELATIVE_ERROR,
        new QuantileSummaries.Stats[0], 0L, false);
  }

  void add(double value) {
    summary = summary.insert(value);
  }

  /** Merges {@code other} into this one; {@code other} is left alone. */
  void merge(Sketch other) {
    summary = summary.compress().merge(other.summary.compress());
  }

  long count() {
    return summary.count();
  }

  /** The value at quantile q in [0, 1], or NaN when nothing was added. */
  double quantile(double q) {
    QuantileSummaries s = summary.compress();
    summary = s;
    if (s.count() == 0) {
      return Double.NaN;
    }
    return (Double) s.query(q).get();
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    QuantileSummaries s = summary.compress();
    QuantileSummaries.Stats[] stats = s.sampled();
    double[] values = new double[stats.length];
    long[] g = new long[stats.length];
    long[] delta = new long[stats.length];
    for (int i = 0; i < stats.length; i++) {
      values[i] = stats[i].value();
      g[i] = stats[i].g();
      delta[i] = stats[i].delta();
    }
    out.writeLong(s.count());
    out.writeObject(values);
    out.writeObject(g);
    out.writeObject(delta);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    long count = in.readLong();
    double[] values = (double[]) in.readObject();
    long[] g = (long[]) in.readObject();
    long[] delta = (long[]) in.readObject();
    QuantileSummaries.Stats[] stats = new QuantileSummaries.Stats[values.length];
    for (int i = 0; i < stats.length; i++) {
      stats[i] = new QuantileSummaries.Stats(values[i], g[i], delta[i]);
    }
    summary = new QuantileSummaries(QuantileSummaries.defaultCompressThreshold(), RELATIVE_ERROR, stats, count, true);
  }
}
