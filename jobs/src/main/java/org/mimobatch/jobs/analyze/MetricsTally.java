package org.mimobatch.jobs.analyze;

import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.mimobatch.jobs.summary.SummaryTap;
import org.mimobatch.pipeline.batch.MatrixStatus;

/**
 * What a command adds to the rows the API gives (metrics, or drawn channels), as they pass on their
 * way to its writer, each unchanged: counts for its progress line, the rows per status it checks
 * against the files it wrote, and the summary its tasks gather ({@link SummaryTap}). Each is
 * optional (null).
 */
public final class MetricsTally implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;
  /** Rows between additions to the progress counter: often enough for a progress line, rarely enough to cost nothing. */
  private static final int FLUSH_ROWS = 256;

  private final LongAccumulator counter;
  private final LongAccumulator[] byStatus;
  private final int statusOrdinal;
  private final SummaryTap summary;

  /**
   * @param counter counts the rows (may be null)
   * @param byStatus counts the rows of each status at {@link MatrixStatus#code()}, once the partition
   *     is done (may be null): Spark applies a result task's accumulator updates once, from its
   *     successful attempt, so these add up to the rows the job committed
   * @param statusOrdinal the status column of the rows (unread without {@code byStatus})
   * @param summary gathers the summary of the rows (may be null)
   */
  public MetricsTally(LongAccumulator counter, LongAccumulator[] byStatus, int statusOrdinal, SummaryTap summary) {
    this.counter = counter;
    this.byStatus = byStatus;
    this.statusOrdinal = statusOrdinal;
    this.summary = summary;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
    Iterator<InternalRow> counted = new Counted(rows);
    return summary == null ? counted : summary.tap(counted);
  }

  private final class Counted implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final UTF8String[] labels = MetricRows.STATUS_LABELS;
    private final long[] statuses = new long[labels.length];
    private int unflushed;
    private boolean reported;

    Counted(Iterator<InternalRow> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (rows.hasNext()) {
        return true;
      }
      if (!reported) {
        reported = true;
        flush();
        if (byStatus != null) {
          for (int code = 0; code < statuses.length; code++) {
            if (statuses[code] > 0) {
              byStatus[code].add(statuses[code]);
            }
          }
        }
      }
      return false;
    }

    /**
     * Takes the next row without asking {@code rows.hasNext()} first (the source throws when there
     * is none): asking would have the JIT compile the whole per-row path of the analysis into this
     * method a second time, in the first pass of a JVM, on cores the tasks need.
     */
    @Override
    public InternalRow next() {
      InternalRow row = rows.next();
      if (byStatus != null) {
        statuses[code(row.getUTF8String(statusOrdinal))]++;
      }
      if (++unflushed == FLUSH_ROWS) {
        flush();
      }
      return row;
    }

    private int code(UTF8String status) {
      for (int code = 0; code < labels.length; code++) {
        if (labels[code] == status || labels[code].equals(status)) {
          return code;
        }
      }
      throw new IllegalStateException("a metrics row has the unknown status '" + status + "'");
    }

    private void flush() {
      if (counter != null && unflushed > 0) {
        counter.add(unflushed);
      }
      unflushed = 0;
    }
  }
}
