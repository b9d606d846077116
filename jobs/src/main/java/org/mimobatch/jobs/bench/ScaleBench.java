package org.mimobatch.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.config.AnalysisSettings;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.bench.KernelBench;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * The scale benchmark ({@code bench.scale}): the whole run (generate, analyze, summarize) of the
 * channel.* scenario at each matrix count, in this JVM, reporting time per matrix per step and the
 * live heap after every garbage collection, so that a 10-million-matrix run can be set against a
 * 100,000-matrix one: per-matrix time should stay level and the live heap flat, since every task
 * streams its partition through fixed-size chunks. Lines:
 * <pre>BENCH|scale|N=&lt;matrices&gt;|&lt;µs per matrix, whole run&gt;|generate .. µs, analyze .. µs, summarize .. µs; heap ...</pre>
 * each followed by a comment setting analyze's rate against the analysis alone on every core.
 */
final class ScaleBench {
  private ScaleBench() {}

  static void run(SparkSession spark, Settings settings, List<Long> matrixCounts, PrintStream out) {
    ChannelSpec c = settings.channels().spec();
    long maxHeap = Runtime.getRuntime().maxMemory();
    int cores = spark.sparkContext().defaultParallelism();
    out.printf(Locale.ROOT, "# scale: %dx%d %s %s, spark %s with %d cores, max heap %d MiB%n", c.rx(), c.tx(),
        c.model().name().toLowerCase(Locale.ROOT), c.precision().name().toLowerCase(Locale.ROOT),
        spark.sparkContext().master(), cores, maxHeap >> 20);
    for (long target : matrixCounts) {
      long perSlot = (long) c.links() * c.subcarriers();
      int slots = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round((double) target / perSlot)));
      ChannelSpec spec = new ChannelSpec(c.model(), c.rx(), c.tx(), c.links(), slots, c.subcarriers(), c.precision(),
          c.seed(), c.correlationRx(), c.correlationTx(), c.tdl());
      Settings scaled = settings.withChannel(spec);
      double kernelBefore = analysisAlone(settings.analysis(), c, cores);
      System.gc();
      RunJob.Result r;
      String liveHeap;
      try (LiveHeap heap = LiveHeap.watch()) {
        r = BenchCommand.inScratch(spark, scaled, s -> RunJob.run(spark, s, out));
        heap.sampleNow();
        liveHeap = heap.report();
      }
      double kernelAfter = analysisAlone(settings.analysis(), c, cores);
      long n = r.analyze().rowsOut();
      double total = r.generateSeconds() + r.analyzeSeconds() + r.summarizeSeconds();
      String steps = r.fused()
          ? String.format(Locale.ROOT, "draw and analyze in one pass %.2f µs, summarize %.2f µs",
              1e6 * r.analyzeSeconds() / n, 1e6 * r.summarizeSeconds() / n)
          : String.format(Locale.ROOT, "generate %.2f µs, analyze %.2f µs, summarize %.2f µs",
              1e6 * r.generateSeconds() / n, 1e6 * r.analyzeSeconds() / n, 1e6 * r.summarizeSeconds() / n);
      out.println(String.format(Locale.ROOT, "BENCH|scale|N=%d|%.2f|%s per matrix; %s", n, 1e6 * total / n, steps,
          liveHeap));
      out.println(String.format(Locale.ROOT, "# analyze ran at %.0f/s, %.0f %% of the analysis alone on %d threads"
          + " (%.0f/s before the run, %.0f/s after)", r.analyzeRate(),
          200 * r.analyzeRate() / (kernelBefore + kernelAfter), cores, kernelBefore, kernelAfter));
    }
  }

  /**
   * The analysis alone (no Spark) on {@code cores} threads, best of two passes: the rate analyze is
   * set against, taken just before and just after each run. Its matrices are dropped before the run
   * so that they stay out of the live-heap figures.
   */
  private static double analysisAlone(AnalysisSettings analysis, ChannelSpec c, int cores) {
    try (KernelBench.AnalyzeLoad load = new KernelBench(analysis.backend(), analysis.chunkSize(), 1, null)
        .analyzeLoad(analysis.spec(), c.precision(), c.rx(), c.tx(), (int) BenchCommand.KERNEL_BATCH, cores)) {
      return Math.max(load.rate(), load.rate());
    }
  }

  /**
   * The live heap, sampled by a full collection ({@code System.gc()}) every few seconds while it is
   * open: the heap used right after a young collection still holds old garbage that G1 has not yet
   * reclaimed, so only a full collection shows what the run keeps alive. A full collection of a
   * heap this size takes tens of milliseconds; a sample every {@value #SAMPLE_SECONDS} s costs well
   * under 1 % of the run.
   */
  static final class LiveHeap implements AutoCloseable, NotificationListener {
    private static final int SAMPLE_SECONDS = 10;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<long[]> samples = new ArrayList<>(); // {nanos since start, bytes live}
    private final long start = System.nanoTime();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mimobatch-live-heap");
      t.setDaemon(true);
      return t;
    });

    static LiveHeap watch() {
      LiveHeap h = new LiveHeap();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(h, null, null);
          h.emitters.add(e);
        }
      }
      h.sampler.scheduleAtFixedRate(System::gc, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
      return h;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      if (!"System.gc()".equals(info.getGcCause())) {
        return;
      }
      long live = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
        if (pool.getType() == MemoryType.HEAP && u != null) {
          live += u.getUsed();
        }
      }
      synchronized (samples) {
        samples.add(new long[] {System.nanoTime() - start, live});
      }
    }

    /** Takes a sample now, at the end of a run, and waits briefly for the JVM to report it. */
    void sampleNow() {
      System.gc();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Samples taken; the live heap at the first and the last, and the largest in each half of the run. */
    String report() {
      synchronized (samples) {
        if (samples.isEmpty()) {
          return "no live-heap sample";
        }
        long end = System.nanoTime() - start;
        long firstHalf = -1;
        long secondHalf = -1;
        for (long[] s : samples) {
          if (s[0] < end / 2) {
            firstHalf = Math.max(firstHalf, s[1]);
          } else {
            secondHalf = Math.max(secondHalf, s[1]);
          }
        }
        return String.format(Locale.ROOT, "live heap (%d samples, every %d s and at the end): first %d MiB, last %d MiB, "
            + "max %s in the first half, %s in the second", samples.size(), SAMPLE_SECONDS,
            samples.get(0)[1] >> 20, samples.get(samples.size() - 1)[1] >> 20, mib(firstHalf), mib(secondHalf));
      }
    }

    /** Bytes as MiB, or "no sample" for -1 (a half of the run that no sample fell in). */
    private static String mib(long bytes) {
      return bytes < 0 ? "no sample" : (bytes >> 20) + " MiB";
    }

    @Override
    public void close() {
      sampler.shutdownNow();
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
