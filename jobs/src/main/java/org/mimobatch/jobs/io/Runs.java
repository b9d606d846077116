package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** The runs present under a dataset directory, and reading several of them as one dataset. */
public final class Runs {
  private Runs() {}

  /** The run ids with a published dataset under {@code base} (hidden staging directories excluded), sorted. */
  public static List<String> available(SparkSession spark, String base) {
    List<String> ids = new ArrayList<>();
    try {
      Path p = new Path(base);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return ids;
      }
      String prefix = DatasetPaths.RUN_ID + "=";
      for (FileStatus s : fs.listStatus(p)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.startsWith(prefix)) {
          ids.add(name.substring(prefix.length()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + base, e);
    }
    ids.sort(null);
    return ids;
  }

  /**
   * Reads the runs {@code ids} of {@code dataset} ("*" alone: every run) into one dataset with a
   * string column run_id. Runs whose schemas differ (other refinements, say) are aligned by column
   * name, missing columns null.
   */
  public static Dataset<Row> read(SparkSession spark, DatasetPaths paths, String dataset, List<String> ids) {
    List<String> runs = ids.equals(List.of("*")) ? available(spark, paths.base(dataset)) : ids;
    if (runs.isEmpty()) {
      throw new InputException("no runs under " + paths.base(dataset));
    }
    Dataset<Row> all = null;
    for (String id : runs) {
      String path = new DatasetPaths(paths.root(), id).of(dataset);
      Dataset<Row> one = readRun(spark, path, paths.base(dataset)).withColumn(DatasetPaths.RUN_ID, functions.lit(id));
      all = all == null ? one : all.unionByName(one, true);
    }
    return all;
  }

  /**
   * Reads one published dataset, or stops with a message naming the path and the runs that are
   * there, or the file that is not Parquet.
   */
  public static Dataset<Row> readRun(SparkSession spark, String path, String base) {
    try {
      Path p = new Path(path);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        List<String> present = base == null ? List.of() : available(spark, base);
        throw new InputException("no dataset at " + path + (present.isEmpty() ? ""
            : " (runs present: " + String.join(", ", present) + "; pick one with --run-id)")
            + ": run the step that writes it first, or point --out at the directory that holds it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    // The schema from one footer spares the Spark job that infers it.
    DataFrameReader reader = spark.read();
    if (ParquetFooters.answerForSpark(spark)) {
      ParquetFooters.schema(spark, path).ifPresent(reader::schema);
    }
    return reader.parquet(path);
  }
}
