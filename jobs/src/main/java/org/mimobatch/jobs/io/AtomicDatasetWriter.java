package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetOutputFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a Parquet dataset so that readers never see it half-written. Spark writes into
 * {@code PARENT/_mimobatch_staging/NAME-UUID} — a directory that Spark, pyarrow and DuckDB skip when
 * they read PARENT, because its name starts with '_' — and only a completed, checked write is
 * renamed onto {@code PARENT/NAME}. A dataset already there is first renamed into the staging
 * directory and deleted once the new one is in place, so a rerun replaces it. On HDFS and local file
 * systems a directory rename is atomic; on object stores without atomic rename the same steps
 * shrink, but cannot close, the window.
 */
public final class AtomicDatasetWriter {
  /** The hidden directory, next to the datasets, where they are staged. */
  public static final String STAGING = "_mimobatch_staging";

  private final ParquetCodec codec;

  private AtomicDatasetWriter(ParquetCodec codec) {
    this.codec = codec;
  }

  /** Writes {@code data} as Parquet at {@code target}, replacing what is there. */
  public void write(Dataset<Row> data, String target) {
    write(data, target, staged -> { });
  }

  /**
   * Writes {@code data} as Parquet at {@code target}, replacing what is there, once {@code check}
   * has accepted the staged copy: it gets the staging path and throws to stop the publication, in
   * which case the previous dataset stays where it was.
   */
  public void write(Dataset<Row> data, String target, Consumer<String> check) {
    write(data, target, check, List.of());
  }

  /**
   * As {@link #write(Dataset, String, Consumer)}, with the top-level columns {@code withoutStatistics}
   * written without min/max statistics. For continuous values that every row group spans (channel
   * entries, metrics) they let a reader skip nothing, and keeping them costs a comparison per value
   * (docs/benchmarks.md).
   */
  public void write(Dataset<Row> data, String target, Consumer<String> check, Collection<String> withoutStatistics) {
    Configuration hadoop = data.sparkSession().sparkContext().hadoopConfiguration();
    Path dest = new Path(target);
    FileSystem fs;
    try {
      fs = dest.getFileSystem(hadoop);
      dest = fs.makeQualified(dest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the file system of " + target, e);
    }
    Path stagingDir = new Path(dest.getParent(), STAGING);
    String token = UUID.randomUUID().toString();
    Path staged = new Path(stagingDir, dest.getName() + "-" + token);
    boolean published = false;
    try {
      fs.mkdirs(stagingDir);
      removeLeftovers(fs, stagingDir, dest.getName());
      // Channel entries and metrics are continuous values that never repeat: Parquet's dictionary
      // encoding would be built and thrown away for every page.
      data.write().format("parquet").mode(SaveMode.ErrorIfExists).option("compression", codec.configName())
          .option("parquet.enable.dictionary", "false").options(noStatistics(data.schema(), withoutStatistics))
          .save(staged.toString());
      check.accept(staged.toString());
      publish(fs, staged, dest, new Path(stagingDir, "old-" + dest.getName() + "-" + token));
      published = true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    } finally {
      if (!published) {
        // Whatever stopped the write (a failed Spark job arrives as a checked SparkException too).
        deleteQuietly(fs, staged);
      }
      deleteIfEmpty(fs, stagingDir);
    }
  }

  /** parquet-mr's per-column switches that turn off the statistics of {@code columns}' leaf columns. */
  static Map<String, String> noStatistics(StructType schema, Collection<String> columns) {
    Map<String, String> options = new HashMap<>();
    for (String name : columns) {
      StructField field = schema.apply(name);
      // Spark's standard layout of a list: NAME.list.element (its legacy layout, which the flat
      // writer leaves to Spark's, names it otherwise and keeps the statistics).
      String leaf = field.dataType() instanceof ArrayType ? name + ".list.element" : name;
      options.put(ParquetOutputFormat.STATISTICS_ENABLED + "#" + leaf, "false");
    }
    return options;
  }

  private static void publish(FileSystem fs, Path staged, Path dest, Path old) throws IOException {
    boolean replacing = fs.exists(dest);
    if (replacing && !fs.rename(dest, old)) {
      throw new IOException("could not move the previous " + dest + " aside");
    }
    // Hadoop moves a directory *into* an existing one, so a dataset another writer put at dest in
    // the meantime would hide this one inside it; _SUCCESS directly under dest proves it landed.
    if (!fs.rename(staged, dest) || !fs.exists(new Path(dest, "_SUCCESS"))) {
      if (replacing && !fs.exists(dest)) {
        fs.rename(old, dest); // put the previous dataset back rather than leave nothing
      }
      throw new IOException("could not move the finished dataset into " + dest
          + " (did another run write there at the same time?)");
    }
    if (replacing) {
      fs.delete(old, true);
    }
  }

  /**
   * Deletes what an earlier writer of the same dataset left behind when its driver died: staged
   * copies and copies moved aside. One writer per dataset (per run id) at a time is assumed; a
   * second one writing concurrently would lose its staged copy here and fail loudly at publication.
   */
  private static void removeLeftovers(FileSystem fs, Path stagingDir, String name) throws IOException {
    for (FileStatus s : fs.listStatus(stagingDir)) {
      String n = s.getPath().getName();
      if (n.startsWith(name + "-") || n.startsWith("old-" + name + "-")) {
        fs.delete(s.getPath(), true);
      }
    }
  }

  /**
   * A writer of a job's datasets under {@code root} with {@code codec}, once it is known that files
   * can be created there (created if missing): otherwise throws, naming the path and the file
   * system's reason — better before a job than as a failed write after it.
   */
  public static AtomicDatasetWriter prepare(SparkSession spark, String root, ParquetCodec codec) {
    requireWritable(spark, root);
    return new AtomicDatasetWriter(codec);
  }

  private static void requireWritable(SparkSession spark, String root) {
    Path dir = new Path(root);
    Path probe = new Path(dir, "_mimobatch-write-probe-" + UUID.randomUUID());
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.mkdirs(dir)) {
        throw new IOException("mkdirs failed");
      }
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException | RuntimeException e) {
      throw new InputException("cannot write under " + root + ": " + e);
    }
  }

  private static void deleteIfEmpty(FileSystem fs, Path dir) {
    try {
      if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
        fs.delete(dir, false);
      }
    } catch (IOException ignored) {
      // Another writer may be staging there; an empty hidden directory is harmless.
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException ignored) {
      // Best effort: a staged copy left behind is never read, and the next write removes it.
    }
  }
}
