package org.mimobatch.jobs.channels;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.config.ChannelSettings;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelGenerator;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * The channels of a {@link ChannelSettings} as a Dataset, drawn when it is computed, and how many
 * partitions a channels dataset gets. The unit of work is one (link, slot) with all its
 * subcarriers; each unit's matrices depend only on (seed, link, slot), so any partitioning, retry or
 * rerun draws the same values.
 */
public final class DrawnChannels {
  /** Target matrices per partition when channel.partitions is automatic. */
  public static final long MATRICES_PER_PARTITION = 1L << 16;
  /**
   * Automatic partitioning gives every core at least this many partitions: smaller tasks balance
   * better, report progress sooner and lose less work when an executor dies.
   */
  public static final int PARTITIONS_PER_CORE = 4;

  private DrawnChannels() {}

  /** The channels of {@code channels}, drawn when the Dataset is computed. */
  public static Dataset<Row> of(SparkSession spark, ChannelSettings channels) {
    ChannelSpec spec = channels.spec();
    long units = (long) spec.links() * spec.slots();
    return spark.range(0, units, 1, partitions(spark, channels))
        .mapPartitions(new DrawUnits(spec), Encoders.row(ChannelsSchema.of(spec.precision())));
  }

  /** Partitions of the drawn channels: as for any channels dataset, and never more than (link, slot) units. */
  public static int partitions(SparkSession spark, ChannelSettings channels) {
    ChannelSpec spec = channels.spec();
    return Math.min(partitions(spark, channels.partitions(), spec.matrices()), (int) Math.min(Integer.MAX_VALUE,
        (long) spec.links() * spec.slots()));
  }

  /**
   * Partitions for a channels dataset of {@code matrices}: {@code given} (channel.partitions) when
   * positive, else ~64k matrices each and at least {@value #PARTITIONS_PER_CORE} per core (never
   * more than one per matrix).
   */
  public static int partitions(SparkSession spark, int given, long matrices) {
    if (given > 0) {
      return given;
    }
    long bySize = (matrices + MATRICES_PER_PARTITION - 1) / MATRICES_PER_PARTITION;
    long wanted = Math.max((long) PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism(), bySize);
    return (int) Math.max(1, Math.min(Math.max(1, matrices), Math.min(wanted, Integer.MAX_VALUE)));
  }

  /** Turns unit ids (link · slots + slot) into one row per subcarrier matrix. */
  static final class DrawUnits implements MapPartitionsFunction<Long, Row> {
    private static final long serialVersionUID = 1L;
    private final ChannelSpec spec;

    DrawUnits(ChannelSpec spec) {
      this.spec = spec;
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
