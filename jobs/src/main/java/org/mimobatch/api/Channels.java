package org.mimobatch.api;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.channels.DrawnChannels;
import org.mimobatch.jobs.config.ChannelSettings;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.ingest.Format;
import org.mimobatch.jobs.ingest.IngestPlan;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.pipeline.batch.Precision;

/**
 * Datasets of channels in the channel contract ({@link org.mimobatch.api package}): drawn, read
 * from files, or checked when they are a user's own.
 */
public final class Channels {
  /** How a user's Dataset is named in messages about its columns. */
  static final String USERS_DATASET = "the channels Dataset";

  private Channels() {}

  /**
   * The schema of channels in {@code precision}: link, slot, subcarrier, rows, cols (int), re and
   * im (array of double for {@link Precision#DOUBLE}, of float for {@link Precision#SINGLE}).
   */
  public static StructType schema(Precision precision) {
    return ChannelsSchema.of(precision);
  }

  /**
   * The channel grid of the {@code channel.*} settings given (README's configuration table, e.g.
   * {@code "channel.model=kronecker"}, {@code "channel.rx=4"}; the rest at their defaults), drawn
   * when the Dataset is computed: the same matrices as {@code bin/mimobatch generate} with those
   * settings, bit for bit, whatever the partitioning.
   *
   * @throws IllegalArgumentException for a key outside {@code channel.*} or a bad value, naming it
   */
  public static Dataset<Row> draw(SparkSession spark, String... channelSettings) {
    return draw(spark, settings("channel.", channelSettings).channels());
  }

  /**
   * As {@link #draw(SparkSession, String...)}, for the channel section of a loaded configuration
   * ({@code Settings.load(...).channels()}): what {@code generate} draws and writes.
   */
  public static Dataset<Row> draw(SparkSession spark, ChannelSettings channels) {
    return DrawnChannels.of(spark, channels);
  }

  /**
   * The channels of files, read as {@code bin/mimobatch ingest} reads them with the
   * {@code input.*} settings given (e.g. {@code "input.path=deepmimo/*.npy"},
   * {@code "input.preset=deepmimo"}); the files are planned now, read when the Dataset is computed.
   *
   * @throws IllegalArgumentException for a key outside {@code input.*}, a bad value, or a file that
   *     cannot be read as asked, naming it
   */
  public static Dataset<Row> read(SparkSession spark, String... inputSettings) {
    IngestSpec spec = settings("input.", inputSettings).input();
    if (spec.path() == null || spec.path().isEmpty()) {
      throw new IllegalArgumentException("input.path: give the channel files to read");
    }
    try {
      if (spec.format() == Format.PARQUET) {
        Dataset<Row> channels = Runs.readRun(spark, spec.path(), null);
        ChannelsSchema.validate(channels.schema(), spec.path());
        return channels;
      }
      IngestPlan plan = IngestPlan.of(spec, spark.sparkContext().hadoopConfiguration());
      long tasks = spark.sparkContext().defaultParallelism() * 4L;
      long perPartition = Math.max(1, (plan.matrices() + tasks - 1) / tasks);
      return InternalRows.dataFrame(spark, plan.rows(spark, Math.min(perPartition, 1L << 16), null), plan.schema());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code channels} follows the channel contract and returns its precision.
   *
   * @throws IllegalArgumentException naming the first column that is missing or of the wrong type
   */
  public static Precision check(Dataset<Row> channels) {
    return check(channels.schema());
  }

  /** As {@link #check(Dataset)}, for a schema. */
  public static Precision check(StructType schema) {
    try {
      return ChannelsSchema.validate(schema, USERS_DATASET);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Settings of the defaults and {@code overrides}, each of whose keys must begin with {@code prefix}
   * (every key an override sets, when its value is HOCON that sets several).
   */
  static Settings settings(String prefix, String... overrides) {
    for (String o : overrides) {
      for (String key : keys(o)) {
        if (!key.startsWith(prefix)) {
          throw new IllegalArgumentException("'" + key + "' is not a " + prefix + "* setting; give " + prefix
              + "* settings here");
        }
      }
    }
    return load(Arrays.asList(overrides));
  }

  /** The keys {@code override} sets, as the command line reads it; where it cannot be read, its key. */
  static List<String> keys(String override) {
    try {
      return Settings.keysOf(override);
    } catch (SettingsException e) {
      return List.of(override.split("=", 2)[0].trim()); // Settings.load names what is wrong with it
    }
  }

  /** Stops on a column {@code schema} holds twice: a user column named like one the analysis adds. */
  static StructType distinct(StructType schema) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : schema.fieldNames()) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("column '" + name + "' of " + USERS_DATASET + " has the name of a column"
            + " the analysis adds; rename it");
      }
    }
    return schema;
  }

  static Settings load(List<String> overrides) {
    try {
      return Settings.load(null, overrides, null);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
