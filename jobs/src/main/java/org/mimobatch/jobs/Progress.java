package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Console progress of one step: a daemon thread prints
 * <pre>analyze: 40,960/102,400 matrices (40%), 11,650/s, ETA 5 s</pre>
 * every few seconds from an accumulator the tasks add to. The counts of finished tasks are exact;
 * running tasks report theirs with executor heartbeats, and a retried task may count twice, so the
 * line is a guide — the step's own result line counts the written rows. The step also gets a job
 * description and a call site, which name its jobs and stages in Spark's UI.
 */
final class Progress implements AutoCloseable {
  private final SparkContext context;
  private final Thread thread;
  private final LongAccumulator done;

  private Progress(SparkContext context, Thread thread, LongAccumulator done) {
    this.context = context;
    this.thread = thread;
    this.done = done;
  }

  /**
   * Starts reporting {@code step} of {@code total} matrices to {@code out} every {@code interval}
   * seconds (never when {@code out} is null or the interval is 0); names the Spark jobs
   * {@code description} meanwhile.
   */
  static Progress start(SparkContext context, String step, String description, long total, PrintStream out,
      double interval) {
    LongAccumulator done = context.longAccumulator(step + ": matrices done");
    context.setJobDescription(description);
    context.setCallSite("mimobatch " + step);
    Thread thread = null;
    if (out != null && interval > 0) {
      long start = System.nanoTime();
      long sleep = Math.max(100, (long) (interval * 1000));
      thread = new Thread(() -> {
        long last = -1;
        while (!Thread.currentThread().isInterrupted()) {
          try {
            Thread.sleep(sleep);
          } catch (InterruptedException e) {
            return;
          }
          long n = done.value();
          if (n != last && n > 0) {
            out.println(line(step, n, total, (System.nanoTime() - start) / 1e9));
            out.flush();
            last = n;
          }
        }
      }, "mimobatch-progress-" + step);
      thread.setDaemon(true);
      thread.start();
    }
    return new Progress(context, thread, done);
  }

  static String line(String step, long done, long total, double seconds) {
    double rate = done / Math.max(seconds, 1e-9);
    String eta = total > done && rate > 0 ? String.format(Locale.ROOT, "%.0f s", (total - done) / rate) : "0 s";
    return String.format(Locale.ROOT, "%s: %,d/%,d matrices (%.0f%%), %,.0f/s, ETA %s", step, done, total,
        total == 0 ? 100.0 : 100.0 * done / total, rate, eta);
  }

  /** The accumulator the step's tasks add their matrices to. */
  LongAccumulator counter() {
    return done;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    context.clearCallSite();
    context.setJobDescription(null);
  }
}
