package org.mimobatch.jobs.summary;

import java.util.Iterator;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.AccumulatorV2;

/**
 * Summarises the metrics rows a job's tasks produce, in the same pass: each task keeps the
 * statistics of its partition's rows ({@link Summary}), and the driver merges the tasks' results
 * in partition order, whatever order they finish in, so a rerun gives the same summary. Spark
 * merges a result task's update once, from its successful attempt.
 */
public final class SummaryAccumulator extends AccumulatorV2<InternalRow, Summary> {
  private static final long serialVersionUID = 1L;

  private final SummaryLayout layout;
  /** On an executor, this task's statistics; on the driver, those of partitions 0 .. next−1. */
  private Summary summary = new Summary();
  /** The task's partition (executor), or −1. */
  private int partition = -1;
  /** The driver's partials that arrived before some partition below them. */
  private transient TreeMap<Integer, Summary> pending;
  private int next;

  SummaryAccumulator(SummaryLayout layout) {
    this.layout = layout;
  }

  /** Every metrics row of {@code rows} summarised as it passes; marks the partition even when empty. */
  public Iterator<InternalRow> tap(Iterator<InternalRow> rows) {
    partition = TaskContext.getPartitionId();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public InternalRow next() {
        InternalRow r = rows.next();
        add(r);
        return r;
      }
    };
  }

  @Override
  public boolean isZero() {
    return partition < 0 && summary.isEmpty() && next == 0 && (pending == null || pending.isEmpty());
  }

  @Override
  public AccumulatorV2<InternalRow, Summary> copy() {
    SummaryAccumulator c = new SummaryAccumulator(layout);
    c.summary.merge(summary);
    c.partition = partition;
    return c;
  }

  @Override
  public AccumulatorV2<InternalRow, Summary> copyAndReset() {
    return new SummaryAccumulator(layout);
  }

  @Override
  public void reset() {
    summary = new Summary();
    partition = -1;
    pending = null;
    next = 0;
  }

  @Override
  public void add(InternalRow row) {
    summary.add(row, layout);
  }

  @Override
  public void merge(AccumulatorV2<InternalRow, Summary> other) {
    SummaryAccumulator o = (SummaryAccumulator) other;
    if (o.partition < next || pending != null && pending.containsKey(o.partition)) {
      return; // a partition computed again by another job: counted once
    }
    if (pending == null) {
      pending = new TreeMap<>();
    }
    pending.put(o.partition, o.summary);
    while (!pending.isEmpty() && pending.firstKey() == next) {
      summary.merge(pending.pollFirstEntry().getValue());
      next++;
    }
  }

  /**
   * The statistics of the partitions merged so far in partition order: those before the first
   * whose result has not arrived.
   */
  @Override
  public Summary value() {
    return summary;
  }

  /** Once the job is done: the statistics of every partition, merged in partition order. */
  Summary finish() {
    if (pending != null) {
      while (!pending.isEmpty()) {
        var e = pending.pollFirstEntry();
        summary.merge(e.getValue());
        next = e.getKey() + 1;
      }
    }
    return summary;
  }
}
