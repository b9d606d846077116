package org.mimobatch.jobs.summary;

import java.io.Serializable;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineStatus;

/**
 * Everything the summary and the distributions report of one group of metrics rows, kept as
 * mergeable statistics: counts, {@link Moments} and {@link Sketch}es per metric (per SNR value for
 * per-SNR metrics, per index for per-index ones), and per refinement its counts and sketches. Fed a
 * row at a time; partial results of any partitioning merge.
 */
final class GroupStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final UTF8String OK = UTF8String.fromString("ok");
  private static final UTF8String CONVERGED = UTF8String.fromString(RefineStatus.CONVERGED.label());
  private static final UTF8String NOT_CONVERGED = UTF8String.fromString(RefineStatus.NOT_CONVERGED.label());
  private static final UTF8String NOT_APPLICABLE = UTF8String.fromString(RefineStatus.NOT_APPLICABLE.label());
  private static final Metric[] METRICS = Metric.values();

  long matrices;
  long failed;
  long rankDeficient;
  /** Scalar and per-index metrics, by Metric ordinal (per index: one per singular-value index). */
  final Moments[][] moments = new Moments[METRICS.length][];
  final Sketch[][] sketches = new Sketch[METRICS.length][];
  /** Per-SNR metrics, by SNR value, then by Metric ordinal. */
  final TreeMap<Double, AtSnr> snr = new TreeMap<>();
  final Refinement[] refine;
  /** The SNR grid of the previous row and its statistics, index for index: rows share their grid. */
  private transient double[] lastGrid;
  private transient AtSnr[] lastAt;

  /** The per-SNR statistics at one SNR. */
  static final class AtSnr implements Serializable {
    private static final long serialVersionUID = 1L;
    final Moments[] moments = new Moments[METRICS.length];
    final Sketch[] sketches = new Sketch[METRICS.length];

    AtSnr() {
      for (Metric m : METRICS) {
        if (m.shape() == Metric.Shape.PER_SNR) {
          moments[m.ordinal()] = needsMoments(m) ? new Moments() : null;
          sketches[m.ordinal()] = needsSketch(m) ? new Sketch() : null;
        }
      }
    }

    void merge(AtSnr o) {
      for (int i = 0; i < METRICS.length; i++) {
        if (moments[i] != null) {
          moments[i].merge(o.moments[i]);
        }
        if (sketches[i] != null) {
          sketches[i].merge(o.sketches[i]);
        }
      }
    }
  }

  /** One refinement's outcome over the group. */
  static final class Refinement implements Serializable {
    private static final long serialVersionUID = 1L;
    long ran;
    long converged;
    final Sketch iterations = new Sketch();
    final Sketch error = new Sketch();

    void merge(Refinement o) {
      ran += o.ran;
      converged += o.converged;
      iterations.merge(o.iterations);
      error.merge(o.error);
    }
  }

  GroupStats(int refinements) {
    refine = new Refinement[refinements];
    for (int i = 0; i < refinements; i++) {
      refine[i] = new Refinement();
    }
  }

  static boolean needsMoments(Metric m) {
    return m.statistics().stream().anyMatch(s -> s != Metric.Statistic.P50 && s != Metric.Statistic.QUANTILES);
  }

  static boolean needsSketch(Metric m) {
    return m.distribution() || m.statistics().contains(Metric.Statistic.P50)
        || m.statistics().contains(Metric.Statistic.QUANTILES);
  }

  /** Adds a metrics row of group {@code key} (rows and cols first, which an ok row always has). */
  void add(InternalRow row, SummaryLayout l, List<Object> key) {
    matrices++;
    AtSnr[] at = atSnr(row.getArray(l.snrDb));
    if (!row.getUTF8String(l.status).equals(OK)) {
      failed++;
      return;
    }
    long minDimension = Math.min(((Number) key.get(0)).longValue(), ((Number) key.get(1)).longValue());
    if (row.getInt(l.metric[Metric.RANK.ordinal()]) < minDimension) {
      rankDeficient++;
    }
    for (Metric m : METRICS) {
      int column = l.metric[m.ordinal()];
      if (row.isNullAt(column) || m.statistics().isEmpty() && !m.distribution()) {
        continue;
      }
      switch (m.shape()) {
        case SCALAR -> {
          double v = m.type() == Metric.Type.INT ? row.getInt(column) : row.getDouble(column);
          add(m, 0, 1, v);
        }
        case PER_INDEX -> {
          ArrayData a = row.getArray(column);
          for (int j = 0; j < a.numElements(); j++) {
            add(m, j, a.numElements(), a.getDouble(j));
          }
        }
        case PER_SNR -> {
          ArrayData a = row.getArray(column);
          for (int s = 0; s < a.numElements(); s++) {
            double v = a.getDouble(s);
            if (at[s].moments[m.ordinal()] != null) {
              at[s].moments[m.ordinal()].add(v);
            }
            if (at[s].sketches[m.ordinal()] != null) {
              at[s].sketches[m.ordinal()].add(v);
            }
          }
        }
      }
    }
    for (int r = 0; r < refine.length; r++) {
      if (row.isNullAt(l.refineStatus[r])) {
        continue;
      }
      UTF8String status = row.getUTF8String(l.refineStatus[r]);
      if (status.equals(NOT_APPLICABLE)) {
        continue;
      }
      Refinement f = refine[r];
      f.ran++;
      boolean converged = status.equals(CONVERGED);
      if (converged) {
        f.converged++;
      }
      if (converged || status.equals(NOT_CONVERGED)) {
        f.iterations.add(row.getInt(l.refineIterations[r]));
        if (!row.isNullAt(l.refineError[r])) {
          f.error.add(row.getDouble(l.refineError[r]));
        }
      }
    }
  }

  /** The statistics at each SNR of a row's grid, created where new; looked up only when the grid changes. */
  private AtSnr[] atSnr(ArrayData grid) {
    int n = grid.numElements();
    boolean same = lastGrid != null && lastGrid.length == n;
    for (int s = 0; same && s < n; s++) {
      same = lastGrid[s] == grid.getDouble(s);
    }
    if (!same) {
      lastGrid = grid.toDoubleArray();
      lastAt = new AtSnr[n];
      for (int s = 0; s < n; s++) {
        lastAt[s] = snr.computeIfAbsent(lastGrid[s], v -> new AtSnr());
      }
    }
    return lastAt;
  }

  /** Adds value v at index j of {@code width} to a scalar (width 1) or per-index metric. */
  private void add(Metric m, int j, int width, double v) {
    int i = m.ordinal();
    if (moments[i] == null) {
      moments[i] = needsMoments(m) ? fill(new Moments[width]) : null;
      sketches[i] = needsSketch(m) ? fill(new Sketch[width]) : null;
      if (moments[i] == null) {
        moments[i] = new Moments[0];
      }
    }
    if (moments[i].length > j) {
      moments[i][j].add(v);
    }
    if (sketches[i] != null) {
      sketches[i][j].add(v);
    }
  }

  private static Moments[] fill(Moments[] a) {
    for (int j = 0; j < a.length; j++) {
      a[j] = new Moments();
    }
    return a;
  }

  private static Sketch[] fill(Sketch[] a) {
    for (int j = 0; j < a.length; j++) {
      a[j] = new Sketch();
    }
    return a;
  }

  void merge(GroupStats o) {
    lastGrid = null;
    matrices += o.matrices;
    failed += o.failed;
    rankDeficient += o.rankDeficient;
    for (int i = 0; i < METRICS.length; i++) {
      if (o.moments[i] == null) {
        continue;
      }
      if (moments[i] == null) {
        moments[i] = o.moments[i];
        sketches[i] = o.sketches[i];
        continue;
      }
      for (int j = 0; j < moments[i].length; j++) {
        moments[i][j].merge(o.moments[i][j]);
      }
      if (sketches[i] != null) {
        for (int j = 0; j < sketches[i].length; j++) {
          sketches[i][j].merge(o.sketches[i][j]);
        }
      }
    }
    for (var e : o.snr.entrySet()) {
      AtSnr mine = snr.get(e.getKey());
      if (mine == null) {
        snr.put(e.getKey(), e.getValue());
      } else {
        mine.merge(e.getValue());
      }
    }
    for (int r = 0; r < refine.length; r++) {
      refine[r].merge(o.refine[r]);
    }
  }

  /** The group's statistics of a scalar or per-index metric, or null when no ok row had it. */
  Moments[] moments(Metric m) {
    return moments[m.ordinal()];
  }

  Sketch[] sketches(Metric m) {
    return sketches[m.ordinal()];
  }

  List<Double> snrValues() {
    return List.copyOf(snr.keySet());
  }
}
