package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.spark.ParquetSchemas;

/**
 * What Parquet footers say, read on the driver without a Spark job: Spark runs one job to infer a
 * schema and two to count rows, each costing more to schedule than a few footer reads take.
 */
public final class ParquetFooters {
  /** Files read at once: footers are small reads, so latency (of an object store) is what counts. */
  private static final int READERS = 16;
  /**
   * Above this many files a Spark job reads the footers instead: its tasks spread them over the
   * executors, where the driver would take (files / 16) object-store round trips.
   */
  public static final int DRIVER_FILES = 256;

  private ParquetFooters() {}

  /**
   * The rows in the Parquet files directly under {@code dir}, summed from their footers: no data
   * page is read, so the cost is one small read per file (by a Spark job above {@link #DRIVER_FILES}).
   */
  public static long rowCount(SparkSession spark, String dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(dir);
    try {
      FileStatus[] files = root.getFileSystem(conf).listStatus(root,
          p -> p.getName().endsWith(".parquet") && !hidden(p.getName()));
      if (files.length > DRIVER_FILES) {
        return spark.read().parquet(dir).count();
      }
      return rowCount(conf, Arrays.stream(files).map(FileStatus::getPath).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footers under " + dir, e);
    }
  }

  /**
   * The rows in {@code files} (URIs, as {@code Dataset.inputFiles()} lists them), from their
   * footers read on the driver: meant for up to {@link #DRIVER_FILES} files.
   */
  public static long rowCount(SparkSession spark, String[] files) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      return rowCount(conf, Arrays.stream(files).map(Path::new).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footers of " + files.length + " files", e);
    }
  }

  private static long rowCount(Configuration conf, List<Path> files) throws IOException {
    // Built once: building read options walks the whole Hadoop configuration (milliseconds).
    ParquetReadOptions options = HadoopReadOptions.builder(conf).build();
    if (files.size() <= 1) {
      long rows = 0;
      for (Path f : files) {
        rows += rowCount(footer(conf, options, f));
      }
      return rows;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(READERS, files.size()), r -> {
      Thread t = new Thread(r, "mimobatch-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (Path f : files) {
        counts.add(pool.submit(() -> rowCount(footer(conf, options, f))));
      }
      long rows = 0;
      for (Future<Long> c : counts) {
        rows += c.get();
      }
      return rows;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading footers", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long rowCount(ParquetMetadata footer) {
    long rows = 0;
    for (BlockMetaData group : footer.getBlocks()) {
      rows += group.getRowCount();
    }
    return rows;
  }

  /** The file's footer, or an {@link InputException} naming it when it is no Parquet file. */
  private static ParquetMetadata footer(Configuration conf, ParquetReadOptions options, Path file) throws IOException {
    InputFile input = HadoopInputFile.fromPath(file, conf);
    try (SeekableInputStream in = input.newStream()) {
      return ParquetFileReader.readFooter(input, options, in);
    } catch (RuntimeException e) {
      // parquet-mr says "not a Parquet file" (and worse) with a RuntimeException.
      throw new InputException(file + " is not a readable Parquet file: " + e.getMessage(), e);
    }
  }

  /**
   * Whether footers answer what Spark's reading would: not when Spark merges the schemas of all
   * files, or skips files it cannot read.
   */
  public static boolean answerForSpark(SparkSession spark) {
    for (String key : new String[] {"spark.sql.parquet.mergeSchema", "spark.sql.files.ignoreCorruptFiles",
        "spark.sql.files.ignoreMissingFiles"}) {
      if (Boolean.parseBoolean(spark.conf().get(key, "false"))) {
        return false;
      }
    }
    return true;
  }

  /** What Spark's file listing skips: _name (but not a _name=value partition directory), .name. */
  private static boolean hidden(String name) {
    return (name.startsWith("_") && !name.contains("=")) || name.startsWith(".");
  }

  /**
   * The Spark schema of the Parquet data at {@code path}, read from one file's footer as Spark's
   * own inference reads it (the Spark schema stored there, else the Parquet schema converted with
   * the session's settings; nullability as stored, which Spark's reader relaxes either way); empty
   * where Spark has more to do than read a footer: a directory with subdirectories (partition
   * columns) or without a file named *.parquet.
   */
  public static Optional<StructType> schema(SparkSession spark, String path) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus first = null;
      FileStatus status = fs.getFileStatus(p);
      if (status.isFile()) {
        first = status;
      } else {
        for (FileStatus s : fs.listStatus(p)) {
          String name = s.getPath().getName();
          if (hidden(name)) {
            continue;
          }
          if (s.isDirectory()) {
            return Optional.empty();
          }
          if (name.endsWith(".parquet") && first == null) {
            first = s;
          }
        }
      }
      if (first == null) {
        return Optional.empty();
      }
      Footer footer = new Footer(first.getPath(), footer(conf, HadoopReadOptions.builder(conf).build(), first.getPath()));
      return Optional.of(ParquetSchemas.of(footer));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Parquet footer of " + path, e);
    }
  }
}
