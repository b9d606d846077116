package org.mimobatch.jobs;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * The scale benchmark ({@code bench.scale}): the whole run (generate, analyze, summarize) of the
 * channel.* scenario at each matrix count, in this JVM, reporting time per matrix per step and the
 * live heap after every garbage collection, so that a 10-million-matrix run can be set against a
 * 100,000-matrix one: per-matrix time should stay level and the live heap flat, since every task
 * streams its partition through fixed-size chunks. Lines:
 * <pre>BENCH|scale|N=&lt;matrices&gt;|&lt;µs per matrix, whole run&gt;|generate .. µs, analyze .. µs, summarize .. µs; heap ...</pre>
 */
final class ScaleBench {
  private ScaleBench() {}

  static void run(SparkSession spark, Settings settings, PrintStream out) {
    ChannelSpec c = settings.channel();
    long maxHeap = Runtime.getRuntime().maxMemory();
    out.printf(Locale.ROOT, "# scale: %dx%d %s %s, spark %s with %d cores, max heap %d MiB%n", c.rx(), c.tx(),
        c.model().name().toLowerCase(Locale.ROOT), c.precision().name().toLowerCase(Locale.ROOT),
        spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), maxHeap >> 20);
    for (long target : settings.benchScale()) {
      long perSlot = (long) c.links() * c.subcarriers();
      int slots = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) target / perSlot)));
      ChannelSpec spec = new ChannelSpec(c.model(), c.rx(), c.tx(), c.links(), slots, c.subcarriers(), c.precision(),
          c.seed(), c.correlationRx(), c.correlationTx(), c.tdl());
      Settings scaled = settings.withChannel(spec);
      System.gc();
      try (LiveHeap heap = LiveHeap.watch()) {
        RunJob.Result r = BenchCommand.inScratch(spark, scaled, s -> RunJob.run(spark, s, out));
        long n = r.analyze().rowsOut();
        double total = r.generateSeconds() + r.analyzeSeconds() + r.summarizeSeconds();
        out.println(String.format(Locale.ROOT,
            "BENCH|scale|N=%d|%.2f|generate %.2f µs, analyze %.2f µs, summarize %.2f µs per matrix; %s", n,
            1e6 * total / n, 1e6 * r.generateSeconds() / n, 1e6 * r.analyzeSeconds() / n,
            1e6 * r.summarizeSeconds() / n, heap.report()));
      }
    }
  }

  /**
   * The heap in use right after each garbage collection (what is live, not what awaits
   * collection), from the JVM's GC notifications while it is open.
   */
  static final class LiveHeap implements AutoCloseable, NotificationListener {
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<long[]> samples = new ArrayList<>(); // {nanos since start, bytes live}
    private final long start = System.nanoTime();

    static LiveHeap watch() {
      LiveHeap h = new LiveHeap();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(h, null, null);
          h.emitters.add(e);
        }
      }
      return h;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long live = 0;
      for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
        live += u.getUsed();
      }
      // Non-heap pools (metaspace, code cache) are in the map too; they grow only with classes.
      for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
          MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
          live -= u == null ? 0 : u.getUsed();
        }
      }
      synchronized (samples) {
        samples.add(new long[] {System.nanoTime() - start, live});
      }
    }

    /** GCs seen; live heap after GC: the largest, and the largest in the first and last fifth of the run. */
    String report() {
      synchronized (samples) {
        if (samples.isEmpty()) {
          return "no GC during the run";
        }
        long end = System.nanoTime() - start;
        long max = 0;
        long early = 0;
        long late = 0;
        for (long[] s : samples) {
          max = Math.max(max, s[1]);
          if (s[0] < end / 5) {
            early = Math.max(early, s[1]);
          }
          if (s[0] >= end - end / 5) {
            late = Math.max(late, s[1]);
          }
        }
        return String.format(Locale.ROOT, "%d GCs, live heap after GC max %d MiB, first fifth %d MiB, last fifth %d MiB",
            samples.size(), max >> 20, early >> 20, late >> 20);
      }
    }

    @Override
    public void close() {
      for (NotificationEmitter e : emitters) {
        try {
          e.removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
          // Never added; nothing to remove.
        }
      }
    }
  }
}
