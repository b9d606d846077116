package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.RunInfo;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelGenerator;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * {@code generate}: draws the channel grid of {@code channel.*} and writes the channels dataset. The
 * unit of work is one (link, slot) with all its subcarriers; each unit's matrices depend only on
 * (seed, link, slot), so any partitioning, retry or rerun writes the same values.
 */
public final class GenerateJob {
  /** Target matrices per partition when channel.partitions is automatic. */
  static final long MATRICES_PER_PARTITION = 1L << 16;
  /**
   * Automatic partitioning gives every core at least this many partitions: smaller tasks balance
   * better, report progress sooner and lose less work when an executor dies.
   */
  static final int PARTITIONS_PER_CORE = 4;

  private GenerateJob() {}

  /** What was written. */
  public record Result(String path, long matrices, int partitions) {}

  public static Result run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /** As {@link #run(SparkSession, Settings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, Settings settings, PrintStream progress) {
    RunStore store = RunJob.store(spark, settings);
    Result r = write(spark, settings, store, progress);
    store.commit();
    return r;
  }

  /** Draws the channels as {@code store}'s version of the channels dataset, pending its commit. */
  static Result write(SparkSession spark, Settings settings, RunStore store, PrintStream progress) {
    ChannelSpec spec = settings.channel();
    int partitions = partitions(spark, settings);
    String path = settings.paths().channels();
    String description = "generate " + spec.matrices() + " " + spec.rx() + "x" + spec.tx() + " "
        + spec.model().configName() + " channels -> " + path;
    try (Progress p = Progress.start(spark.sparkContext(), "generate", description, spec.matrices(), progress,
        settings.progressInterval())) {
      store.write(DatasetPaths.CHANNELS, channels(spark, settings, p.counter()), files -> { },
          ChannelsSchema.valueColumns(), Map.of());
    }
    store.describe(DatasetPaths.CHANNELS, RunInfo.ofChannels(settings.describeSource(), spec.precision()));
    return new Result(path, spec.matrices(), partitions);
  }

  /** The channels of {@code channel.*}, drawn when the Dataset is computed; {@code counter} (may be null) counts them. */
  public static Dataset<Row> channels(SparkSession spark, Settings settings, LongAccumulator counter) {
    ChannelSpec spec = settings.channel();
    long units = (long) spec.links() * spec.slots();
    return spark.range(0, units, 1, partitions(spark, settings))
        .mapPartitions(new DrawUnits(spec, counter), Encoders.row(ChannelsSchema.of(spec.precision())));
  }

  static int partitions(SparkSession spark, Settings settings) {
    ChannelSpec spec = settings.channel();
    return Math.min(partitions(spark, settings, spec.matrices()), (int) Math.min(Integer.MAX_VALUE,
        (long) spec.links() * spec.slots()));
  }

  /**
   * Partitions for a channels dataset of {@code matrices}: channel.partitions, or ~64k matrices each
   * and at least {@value #PARTITIONS_PER_CORE} per core (never more than one per matrix).
   */
  static int partitions(SparkSession spark, Settings settings, long matrices) {
    if (settings.channelPartitions() > 0) {
      return settings.channelPartitions();
    }
    long bySize = (matrices + MATRICES_PER_PARTITION - 1) / MATRICES_PER_PARTITION;
    long wanted = Math.max((long) PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism(), bySize);
    return (int) Math.max(1, Math.min(Math.max(1, matrices), Math.min(wanted, Integer.MAX_VALUE)));
  }

  /** Turns unit ids (link · slots + slot) into one row per subcarrier matrix. */
  static final class DrawUnits implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final ChannelSpec spec;
    private final LongAccumulator drawn;

    DrawUnits(ChannelSpec spec, LongAccumulator drawn) {
      this.spec = spec;
      this.drawn = drawn;
    }

    @Override
    public Iterator<Row> call(Iterator<Long> units) {
      ChannelGenerator generator = new ChannelGenerator(spec);
      ComplexBatch batch = ComplexBatch.allocate(spec.precision(), spec.rx(), spec.tx(), spec.subcarriers());
      int entries = spec.rx() * spec.tx();
      return new Iterator<>() {
        private int link;
        private int slot;
        private int next = spec.subcarriers();

        @Override
        public boolean hasNext() {
          return next < spec.subcarriers() || units.hasNext();
        }

        @Override
        public Row next() {
          if (next == spec.subcarriers()) {
            long unit = units.next();
            link = (int) (unit / spec.slots());
            slot = (int) (unit % spec.slots());
            generator.generate(link, slot, batch);
            if (drawn != null) {
              drawn.add(spec.subcarriers());
            }
            next = 0;
          }
          int k = next++;
          Object re;
          Object im;
          if (spec.precision() == Precision.DOUBLE) {
            double[] r = new double[entries];
            double[] i = new double[entries];
            batch.getRowMajor(k, r, i);
            re = r;
            im = i;
          } else {
            float[] r = new float[entries];
            float[] i = new float[entries];
            batch.getRowMajor(k, r, i);
            re = r;
            im = i;
          }
          return RowFactory.create(link, slot, k, spec.rx(), spec.tx(), re, im);
        }
      };
    }
  }
}
