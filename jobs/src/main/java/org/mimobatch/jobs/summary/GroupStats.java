package org.mimobatch.jobs.summary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineStatus;

/**
 * Everything the summary and the distributions report of one group of metrics rows, kept as
 * mergeable statistics: counts, {@link Moments} and {@link Quantiles} per metric (per SNR value for
 * per-SNR metrics, per index for per-index ones), and per refinement its counts and quantiles. Fed a
 * metrics row at a time on the executors; partial results of any partitioning, and of other runs,
 * merge. Between tasks it travels, and in the sketches dataset it is stored, as {@link Part}s (its
 * Java serialization, which Spark's aggregation buffers use, writes those too).
 */
public final class GroupStats implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final UTF8String OK = UTF8String.fromString("ok");
  private static final UTF8String CONVERGED = UTF8String.fromString(RefineStatus.CONVERGED.label());
  private static final UTF8String NOT_CONVERGED = UTF8String.fromString(RefineStatus.NOT_CONVERGED.label());
  private static final UTF8String NOT_APPLICABLE = UTF8String.fromString(RefineStatus.NOT_APPLICABLE.label());
  private static final Metric[] METRICS = Metric.values();
  /** The metrics the summary or the distributions report anything of, and what each needs. */
  private static final Metric[] SUMMARISED = Arrays.stream(METRICS)
      .filter(m -> !m.statistics().isEmpty() || m.distribution()).toArray(Metric[]::new);
  private static final boolean[] MOMENTS = new boolean[METRICS.length];
  private static final boolean[] QUANTILES = new boolean[METRICS.length];

  static {
    for (Metric m : METRICS) {
      MOMENTS[m.ordinal()] = m.statistics().stream()
          .anyMatch(s -> s != Metric.Statistic.P50 && s != Metric.Statistic.QUANTILES);
      QUANTILES[m.ordinal()] = m.distribution() || m.statistics().contains(Metric.Statistic.P50)
          || m.statistics().contains(Metric.Statistic.QUANTILES);
    }
  }

  /** The KLL parameter of every quantile sketch the group creates. */
  private transient int k;
  transient long matrices;
  transient long failed;
  transient long rankDeficient;
  /** Scalar and per-index metrics, by Metric ordinal (per index: one per singular-value index). */
  transient Moments[][] moments;
  transient Quantiles[][] quantiles;
  /** Indices allocated per scalar (1) or per-index metric, 0 before its first value. */
  private transient int[] widths;
  /** Per-SNR metrics, by SNR value, then by Metric ordinal. */
  transient TreeMap<Double, AtSnr> snr;
  transient EnumMap<RefineMethod, Refinement> refine;
  /** The SNR grid of the previous row and its statistics, index for index: rows share their grid. */
  private transient double[] lastGrid;
  private transient AtSnr[] lastAt;

  /**
   * One statistic-bearing piece of a group: a counter (count alone), or a metric's values at one SNR
   * (per-SNR metrics) or one index from 1 (per-index metrics) with their moments (null where the
   * summary reports none) and quantile sketch (null where it reports none).
   */
  record Part(Double snrDb, String metric, Integer index, long count, Double mean, Double m2, Double max,
      Quantiles quantiles) {}

  /** The per-SNR statistics at one SNR. */
  final class AtSnr {
    final Moments[] moments = new Moments[METRICS.length];
    final Quantiles[] quantiles = new Quantiles[METRICS.length];

    AtSnr() {
      for (Metric m : METRICS) {
        if (m.shape() == Metric.Shape.PER_SNR) {
          moments[m.ordinal()] = needsMoments(m) ? new Moments() : null;
          quantiles[m.ordinal()] = needsQuantiles(m) ? new Quantiles(k) : null;
        }
      }
    }

    void merge(AtSnr o) {
      for (int i = 0; i < METRICS.length; i++) {
        if (moments[i] != null) {
          moments[i].merge(o.moments[i]);
        }
        if (quantiles[i] != null) {
          quantiles[i].merge(o.quantiles[i]);
        }
      }
    }
  }

  /** One refinement's outcome over the group. */
  final class Refinement {
    long ran;
    long converged;
    final Quantiles iterations = new Quantiles(k);
    final Quantiles error = new Quantiles(k);

    void merge(Refinement o) {
      ran += o.ran;
      converged += o.converged;
      iterations.merge(o.iterations);
      error.merge(o.error);
    }
  }

  GroupStats(int k) {
    init(k);
  }

  private void init(int k) {
    this.k = k;
    moments = new Moments[METRICS.length][];
    quantiles = new Quantiles[METRICS.length][];
    widths = new int[METRICS.length];
    snr = new TreeMap<>();
    refine = new EnumMap<>(RefineMethod.class);
  }

  static boolean needsMoments(Metric m) {
    return MOMENTS[m.ordinal()];
  }

  static boolean needsQuantiles(Metric m) {
    return QUANTILES[m.ordinal()];
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
    for (Metric m : SUMMARISED) {
      int column = l.metric[m.ordinal()];
      if (row.isNullAt(column)) {
        continue;
      }
      switch (m.shape()) {
        case SCALAR -> add(m, 0, 1, m.type() == Metric.Type.INT ? row.getInt(column) : row.getDouble(column));
        case PER_INDEX -> {
          ArrayData a = row.getArray(column);
          int n = a.numElements();
          for (int j = 0; j < n; j++) {
            add(m, j, n, a.getDouble(j));
          }
        }
        case PER_SNR -> {
          ArrayData a = row.getArray(column);
          for (int s = 0; s < a.numElements(); s++) {
            double v = a.getDouble(s);
            if (at[s].moments[m.ordinal()] != null) {
              at[s].moments[m.ordinal()].add(v);
            }
            if (at[s].quantiles[m.ordinal()] != null) {
              at[s].quantiles[m.ordinal()].add(v);
            }
          }
        }
      }
    }
    for (int r = 0; r < l.refinements.size(); r++) {
      if (row.isNullAt(l.refineStatus[r])) {
        continue;
      }
      UTF8String status = row.getUTF8String(l.refineStatus[r]);
      if (status.equals(NOT_APPLICABLE)) {
        continue;
      }
      Refinement f = refinement(l.refinements.get(r));
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

  /** The outcome of refinement {@code m}, created empty when new. */
  Refinement refinement(RefineMethod m) {
    return refine.computeIfAbsent(m, x -> new Refinement());
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
        lastAt[s] = atSnr(lastGrid[s]);
      }
    }
    return lastAt;
  }

  private AtSnr atSnr(double snrDb) {
    return snr.computeIfAbsent(snrDb, v -> new AtSnr());
  }

  /** Adds value v at index j of {@code width} to a scalar (width 1) or per-index metric. */
  private void add(Metric m, int j, int width, double v) {
    int i = m.ordinal();
    if (widths[i] < width) {
      grow(m, width);
    }
    if (MOMENTS[i]) {
      moments[i][j].add(v);
    }
    if (QUANTILES[i]) {
      quantiles[i][j].add(v);
    }
  }

  /** Makes room for {@code width} indices of a scalar or per-index metric (none for moments it has no use for). */
  private void grow(Metric m, int width) {
    int i = m.ordinal();
    widths[i] = Math.max(widths[i], width);
    Moments[] mo = moments[i] == null ? new Moments[0] : moments[i];
    if (needsMoments(m) && mo.length < width) {
      mo = Arrays.copyOf(mo, width);
      for (int j = 0; j < width; j++) {
        mo[j] = mo[j] == null ? new Moments() : mo[j];
      }
    }
    moments[i] = mo;
    if (needsQuantiles(m) && (quantiles[i] == null || quantiles[i].length < width)) {
      Quantiles[] q = quantiles[i] == null ? new Quantiles[width] : Arrays.copyOf(quantiles[i], width);
      for (int j = 0; j < width; j++) {
        q[j] = q[j] == null ? new Quantiles(k) : q[j];
      }
      quantiles[i] = q;
    }
  }

  /** Adds everything {@code o} holds; {@code o} may share state with this afterwards and is not used again. */
  void merge(GroupStats o) {
    lastGrid = null;
    matrices += o.matrices;
    failed += o.failed;
    rankDeficient += o.rankDeficient;
    for (Metric m : METRICS) {
      int i = m.ordinal();
      if (o.moments[i] == null) {
        continue;
      }
      int width = Math.max(o.moments[i].length, o.quantiles[i] == null ? 0 : o.quantiles[i].length);
      grow(m, width);
      for (int j = 0; j < o.moments[i].length; j++) {
        moments[i][j].merge(o.moments[i][j]);
      }
      if (o.quantiles[i] != null) {
        for (int j = 0; j < o.quantiles[i].length; j++) {
          quantiles[i][j].merge(o.quantiles[i][j]);
        }
      }
    }
    for (var e : o.snr.entrySet()) {
      atSnr(e.getKey()).merge(e.getValue());
    }
    for (var e : o.refine.entrySet()) {
      refinement(e.getKey()).merge(e.getValue());
    }
  }

  /** The group's statistics of a scalar or per-index metric, or null when no ok row had it. */
  Moments[] moments(Metric m) {
    return moments[m.ordinal()];
  }

  Quantiles[] quantiles(Metric m) {
    return quantiles[m.ordinal()];
  }

  /** Every piece of the group, in a fixed order: counters, metrics as declared, then refinements. */
  List<Part> parts() {
    List<Part> parts = new ArrayList<>();
    parts.add(counter(SummarySchema.MATRICES, matrices));
    parts.add(counter(SummarySchema.FAILED, failed));
    parts.add(counter(SummarySchema.RANK_DEFICIENT, rankDeficient));
    for (Metric m : METRICS) {
      if (m.shape() == Metric.Shape.PER_SNR) {
        for (Map.Entry<Double, AtSnr> e : snr.entrySet()) {
          Moments mo = e.getValue().moments[m.ordinal()];
          Quantiles q = e.getValue().quantiles[m.ordinal()];
          if (mo != null || q != null) {
            parts.add(part(e.getKey(), m.column(), null, mo, q));
          }
        }
        continue;
      }
      Moments[] mo = moments[m.ordinal()];
      Quantiles[] q = quantiles[m.ordinal()];
      int width = Math.max(mo == null ? 0 : mo.length, q == null ? 0 : q.length);
      for (int j = 0; j < width; j++) {
        parts.add(part(null, m.column(), m.shape() == Metric.Shape.PER_INDEX ? j + 1 : null,
            mo == null || mo.length <= j ? null : mo[j], q == null ? null : q[j]));
      }
    }
    for (Map.Entry<RefineMethod, Refinement> e : refine.entrySet()) {
      String prefix = e.getKey().columnPrefix();
      Refinement r = e.getValue();
      parts.add(counter(prefix + SummarySchema.REFINE_MATRICES, r.ran));
      parts.add(counter(prefix + CONVERGED_COUNT, r.converged));
      parts.add(part(null, prefix + ITERATIONS, null, null, r.iterations));
      parts.add(part(null, prefix + ERROR, null, null, r.error));
    }
    return parts;
  }

  /** Of a refinement, after its prefix: the matrices that converged (a count), its iterations, its errors. */
  static final String CONVERGED_COUNT = "_converged";
  static final String ITERATIONS = "_iterations";
  static final String ERROR = "_error";

  private static Part counter(String name, long count) {
    return new Part(null, name, null, count, null, null, null, null);
  }

  private static Part part(Double snrDb, String metric, Integer index, Moments mo, Quantiles q) {
    long count = mo != null ? mo.n : q.count();
    return new Part(snrDb, metric, index, count, mo == null ? null : mo.mean, mo == null ? null : mo.m2,
        mo == null || mo.n == 0 ? null : mo.max, q);
  }

  /** Adds a part that {@link #parts()} made (of this group, or of the same group in another task or run). */
  void add(Part p) {
    switch (p.metric()) {
      case SummarySchema.MATRICES -> matrices += p.count();
      case SummarySchema.FAILED -> failed += p.count();
      case SummarySchema.RANK_DEFICIENT -> rankDeficient += p.count();
      default -> {
        Metric m = metric(p.metric());
        if (m != null) {
          addMetric(m, p);
        } else {
          addRefinement(p);
        }
      }
    }
  }

  private void addMetric(Metric m, Part p) {
    Moments mo;
    Quantiles q;
    if (m.shape() == Metric.Shape.PER_SNR) {
      if (p.snrDb() == null) {
        throw new IllegalArgumentException("a part of per-SNR metric " + m.column() + " without snr_db");
      }
      AtSnr at = atSnr(p.snrDb());
      mo = at.moments[m.ordinal()];
      q = at.quantiles[m.ordinal()];
    } else {
      int j = m.shape() == Metric.Shape.PER_INDEX ? index(p) : 0;
      grow(m, j + 1);
      Moments[] ms = moments[m.ordinal()];
      mo = ms.length > j ? ms[j] : null;
      q = quantiles[m.ordinal()] == null ? null : quantiles[m.ordinal()][j];
    }
    if (mo != null && p.mean() != null) {
      Moments other = new Moments();
      other.n = p.count();
      other.mean = p.mean();
      other.m2 = p.m2() == null ? 0 : p.m2();
      other.max = p.max() == null ? Double.NEGATIVE_INFINITY : p.max();
      mo.merge(other);
    }
    if (q != null && p.quantiles() != null) {
      q.merge(p.quantiles());
    }
  }

  private static int index(Part p) {
    if (p.index() == null || p.index() < 1) {
      throw new IllegalArgumentException("a part of per-index metric " + p.metric() + " needs an index from 1, got "
          + p.index());
    }
    return p.index() - 1;
  }

  private void addRefinement(Part p) {
    for (RefineMethod m : RefineMethod.values()) {
      String prefix = m.columnPrefix();
      if (!p.metric().startsWith(prefix)) {
        continue;
      }
      String what = p.metric().substring(prefix.length());
      Refinement r = refinement(m);
      switch (what) {
        case SummarySchema.REFINE_MATRICES -> r.ran += p.count();
        case CONVERGED_COUNT -> r.converged += p.count();
        case ITERATIONS -> mergeSketch(r.iterations, p);
        case ERROR -> mergeSketch(r.error, p);
        default -> {
          continue;
        }
      }
      return;
    }
    throw new IllegalArgumentException("unknown summary part '" + p.metric() + "'");
  }

  private static void mergeSketch(Quantiles q, Part p) {
    if (p.quantiles() != null) {
      q.merge(p.quantiles());
    }
  }

  private static Metric metric(String column) {
    for (Metric m : METRICS) {
      if (m.column().equals(column)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The group as bytes, for Spark to move between tasks: its parts, in the order {@link #parts()}
   * gives them, with the values of exact quantiles as they are (the sketches dataset has KLL's
   * binary, {@link Quantiles#toBytes}, which would build a k-sized sketch for each).
   */
  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static GroupStats fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      GroupStats g = new GroupStats(in.readInt());
      g.read(in);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(DataOutputStream out) throws IOException {
    out.writeInt(k);
    List<Part> parts = parts();
    out.writeInt(parts.size());
    for (Part p : parts) {
      writeNullable(out, p.snrDb());
      out.writeUTF(p.metric());
      out.writeInt(p.index() == null ? -1 : p.index());
      out.writeLong(p.count());
      writeNullable(out, p.mean());
      writeNullable(out, p.m2());
      writeNullable(out, p.max());
      out.writeBoolean(p.quantiles() != null);
      if (p.quantiles() != null) {
        p.quantiles().write(out);
      }
    }
  }

  private void read(DataInputStream in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      Double snrDb = readNullable(in);
      String metric = in.readUTF();
      int index = in.readInt();
      long count = in.readLong();
      Double mean = readNullable(in);
      Double m2 = readNullable(in);
      Double max = readNullable(in);
      Quantiles q = in.readBoolean() ? Quantiles.read(in, k) : null;
      add(new Part(snrDb, metric, index < 0 ? null : index, count, mean, m2, max, q));
    }
  }

  private static void writeNullable(DataOutputStream out, Double v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeDouble(v);
    }
  }

  private static Double readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    write(new DataOutputStream(out));
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    DataInputStream data = new DataInputStream(in);
    init(data.readInt());
    read(data);
  }
}
