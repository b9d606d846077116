package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The runs present under a dataset directory, and reading several of them as one dataset. */
public final class Runs {
  private Runs() {}

  /** The run ids with a published dataset under {@code base} (hidden staging directories excluded), sorted. */
  public static List<String> available(SparkSession spark, String base) {
    List<String> ids = new ArrayList<>();
    try {
      Path p = new Path(base);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p) || !fs.getFileStatus(p).isDirectory()) {
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
   * Reads the runs {@code ids} of {@code dataset} ("*" alone: every run) as one dataset, in one read
   * whose partition column run_id (a string) comes from the directory names, so that a filter on it
   * prunes whole runs. The schema is the union of the runs' schemas, by column name (a column that
   * only some runs have is null in the others); a column whose type differs between runs stops the
   * read naming both.
   */
  public static Dataset<Row> read(SparkSession spark, DatasetPaths paths, String dataset, List<String> ids) {
    String base = paths.base(dataset);
    List<String> runs = ids.equals(List.of("*")) ? available(spark, base) : ids;
    if (runs.isEmpty()) {
      throw new InputException("no runs under " + base);
    }
    List<String> dirs = new ArrayList<>();
    for (String id : runs) {
      String dir = new DatasetPaths(paths.root(), id).of(dataset);
      requireExists(spark, dir, base);
      dirs.add(dir);
    }
    return readRuns(spark, base, dirs);
  }

  /**
   * Reads every run under a dataset directory ({@code OUT/metrics}, say) as {@link #read} does, or
   * one dataset (a run's directory, or any Parquet path) as {@link #readRun} does.
   */
  public static Dataset<Row> readAny(SparkSession spark, String path) {
    List<String> runs = available(spark, path);
    if (runs.isEmpty()) {
      return readRun(spark, path, null);
    }
    List<String> dirs = runs.stream().map(id -> new Path(path, DatasetPaths.RUN_ID + "=" + id).toString()).toList();
    return readRuns(spark, path, dirs);
  }

  private static Dataset<Row> readRuns(SparkSession spark, String base, List<String> dirs) {
    StructType schema = mergedSchema(spark, dirs);
    List<StructField> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(DatasetPaths.RUN_ID)) {
        fields.add(new StructField(f.name(), f.dataType(), true, f.metadata()));
      }
    }
    // Given with the schema, run_id stays a string: Spark's inference would make ids dates or numbers.
    StructType withRun = new StructType(fields.toArray(new StructField[0]))
        .add(DatasetPaths.RUN_ID, DataTypes.StringType, false);
    return spark.read().schema(withRun).option("basePath", base).parquet(dirs.toArray(new String[0]));
  }

  /**
   * The union of the schemas of {@code dirs} by column name, from one footer each where footers
   * answer for Spark (else Spark merges every file's).
   */
  private static StructType mergedSchema(SparkSession spark, List<String> dirs) {
    List<StructType> schemas = new ArrayList<>();
    for (String dir : dirs) {
      Optional<StructType> s = ParquetFooters.answerForSpark(spark) ? ParquetFooters.schema(spark, dir) : Optional.empty();
      if (s.isEmpty()) {
        return spark.read().option("mergeSchema", "true").parquet(dirs.toArray(new String[0])).schema();
      }
      schemas.add(s.get());
    }
    Map<String, StructField> merged = new LinkedHashMap<>();
    Map<String, String> firstSeen = new LinkedHashMap<>();
    for (int i = 0; i < dirs.size(); i++) {
      for (StructField f : schemas.get(i).fields()) {
        StructField seen = merged.putIfAbsent(f.name(), f);
        firstSeen.putIfAbsent(f.name(), dirs.get(i));
        if (seen != null && !seen.dataType().catalogString().equals(f.dataType().catalogString())) {
          throw new InputException("column '" + f.name() + "' is " + seen.dataType().simpleString() + " in "
              + firstSeen.get(f.name()) + " but " + f.dataType().simpleString() + " in " + dirs.get(i));
        }
      }
    }
    return new StructType(merged.values().toArray(new StructField[0]));
  }

  /**
   * Reads one published dataset, or stops with a message naming the path and the runs that are
   * there, or the file that is not Parquet.
   */
  public static Dataset<Row> readRun(SparkSession spark, String path, String base) {
    requireExists(spark, path, base);
    // The schema from one footer spares the Spark job that infers it.
    DataFrameReader reader = spark.read();
    if (ParquetFooters.answerForSpark(spark)) {
      ParquetFooters.schema(spark, path).ifPresent(reader::schema);
    }
    return reader.parquet(path);
  }

  private static void requireExists(SparkSession spark, String path, String base) {
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
  }
}
