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

/**
 * Reading published datasets: the version of each run that its {@link RunManifest} names (or, for
 * a run written before manifests, the files in its directory), one run or several as one dataset.
 */
public final class Runs {
  private Runs() {}

  /** The run ids with a published dataset under {@code base} ({@code OUT/metrics}, say), sorted. */
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
        if (s.isDirectory() && name.startsWith(prefix)
            && published(fs, p.getParent(), p.getName(), name.substring(prefix.length())) != null) {
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
   * The files of the published version of {@code dataset} of run {@code runId} under {@code root}:
   * those its manifest names, or those in its directory where the run has no manifest; null where
   * there is none.
   */
  static List<String> published(FileSystem fs, Path root, String dataset, String runId) throws IOException {
    RunManifest manifest = RunManifest.latest(fs, root, runId);
    if (manifest.sequence() == 0) {
      manifest = RunManifest.unmanaged(fs, root, runId, List.of(dataset), RunStore.ADOPTED, fs.getConf());
    }
    RunManifest.Entry e = manifest.entry(dataset);
    return e == null ? null : RunStore.files(new DatasetPaths(root.toString(), runId), dataset, e);
  }

  /**
   * Reads the runs {@code ids} of {@code dataset} ("*" alone: every run) as one dataset, in one read
   * whose partition column run_id (a string) comes from the directory names, so that a filter on it
   * prunes whole runs. The schema is the union of the runs' schemas, by column name (a column that
   * only some runs have is null in the others); a column whose type differs between runs stops the
   * read naming both. {@code store} (may be null) is the command's own view of its run.
   */
  public static Dataset<Row> read(SparkSession spark, DatasetPaths paths, String dataset, List<String> ids,
      RunStore store) {
    String base = paths.base(dataset);
    List<String> runs = ids.equals(List.of("*")) ? available(spark, base) : ids;
    if (runs.isEmpty()) {
      throw new InputException("no runs under " + base);
    }
    Path root = new Path(paths.root());
    List<List<String>> files = new ArrayList<>();
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (String id : runs) {
        List<String> f = store != null && store.runId().equals(id) ? store.files(dataset)
            : published(fs, fs.makeQualified(root), dataset, id);
        if (f == null) {
          throw missing(spark, new DatasetPaths(paths.root(), id).of(dataset), base);
        }
        files.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the runs under " + base, e);
    }
    StructType schema = mergedSchema(spark, files);
    List<StructField> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(DatasetPaths.RUN_ID)) {
        fields.add(new StructField(f.name(), f.dataType(), true, f.metadata()));
      }
    }
    // Given with the schema, run_id stays a string: Spark's inference would make ids dates or numbers.
    StructType withRun = new StructType(fields.toArray(new StructField[0]))
        .add(DatasetPaths.RUN_ID, DataTypes.StringType, false);
    return spark.read().schema(withRun).option("basePath", base)
        .parquet(files.stream().flatMap(List::stream).toArray(String[]::new));
  }

  /**
   * Reads every run under a dataset directory ({@code OUT/metrics}, say) as {@link #read} does, the
   * published version of one run's dataset ({@code OUT/metrics/run_id=ID}), or any Parquet path.
   */
  public static Dataset<Row> readAny(SparkSession spark, String path) {
    Path p = new Path(path);
    String prefix = DatasetPaths.RUN_ID + "=";
    List<String> runs = available(spark, path);
    if (!runs.isEmpty() && p.getParent() != null) {
      return read(spark, new DatasetPaths(p.getParent().toString(), ""), p.getName(), runs, null);
    }
    if (p.getName().startsWith(prefix) && p.getParent() != null && p.getParent().getParent() != null) {
      try {
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path root = fs.makeQualified(p.getParent().getParent());
        List<String> files = published(fs, root, p.getParent().getName(), p.getName().substring(prefix.length()));
        if (files != null) {
          return readFiles(spark, files);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    return readRun(spark, path, null);
  }

  /**
   * Reads one version of a dataset, its files as given (no partition column), or stops naming the
   * first that is missing: a directory changed by hand under a manifest that names its files.
   */
  public static Dataset<Row> readFiles(SparkSession spark, List<String> files) {
    try {
      DataFrameReader reader = spark.read();
      if (ParquetFooters.answerForSpark(spark)) {
        ParquetFooters.schema(spark, files.get(0)).ifPresent(reader::schema);
      }
      return reader.parquet(files.toArray(new String[0]));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.io.FileNotFoundException || String.valueOf(t.getMessage()).contains("PATH_NOT_FOUND")) {
          throw new InputException("a file of a published dataset is missing (" + t.getMessage() + "): was its"
              + " directory changed by hand? Run the step that writes it again", e);
        }
      }
      throw e;
    }
  }

  /**
   * The union of the schemas of the groups of {@code files} by column name, from one footer each
   * where footers answer for Spark (else Spark merges every file's).
   */
  private static StructType mergedSchema(SparkSession spark, List<List<String>> files) {
    List<StructType> schemas = new ArrayList<>();
    for (List<String> group : files) {
      Optional<StructType> s = ParquetFooters.answerForSpark(spark) ? ParquetFooters.schema(spark, group.get(0))
          : Optional.empty();
      if (s.isEmpty()) {
        return spark.read().option("mergeSchema", "true")
            .parquet(files.stream().flatMap(List::stream).toArray(String[]::new)).schema();
      }
      schemas.add(s.get());
    }
    Map<String, StructField> merged = new LinkedHashMap<>();
    Map<String, String> firstSeen = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String where = new Path(files.get(i).get(0)).getParent().toString();
      for (StructField f : schemas.get(i).fields()) {
        StructField seen = merged.putIfAbsent(f.name(), f);
        firstSeen.putIfAbsent(f.name(), where);
        if (seen != null && !seen.dataType().catalogString().equals(f.dataType().catalogString())) {
          throw new InputException("column '" + f.name() + "' is " + seen.dataType().simpleString() + " in "
              + firstSeen.get(f.name()) + " but " + f.dataType().simpleString() + " in " + where);
        }
      }
    }
    return new StructType(merged.values().toArray(new StructField[0]));
  }

  /**
   * Reads a Parquet dataset at any path (another tool's, or a directory of files), or stops with a
   * message naming the path and the runs that are there, or the file that is not Parquet.
   */
  public static Dataset<Row> readRun(SparkSession spark, String path, String base) {
    String[] files;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw missing(spark, path, base);
      }
      files = publishedFiles(fs, fs.makeQualified(p), path);
      if (files.length == 1 && files[0].equals(path)) {
        requireParquet(spark, fs, p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    // The schema from one footer spares the Spark job that infers it.
    DataFrameReader reader = spark.read();
    if (ParquetFooters.answerForSpark(spark)) {
      ParquetFooters.schema(spark, files[0]).ifPresent(reader::schema);
    }
    return reader.parquet(files);
  }

  /**
   * What to read of {@code p}: where it is a run's directory of a dataset (ROOT/DATASET/run_id=ID)
   * and the run has manifests, the files its manifest publishes, so that what a failed or killed
   * command left there is never read; otherwise the path itself.
   */
  private static String[] publishedFiles(FileSystem fs, Path p, String given) throws IOException {
    String prefix = DatasetPaths.RUN_ID + "=";
    Path datasetDir = p.getParent();
    if (!p.getName().startsWith(prefix) || datasetDir == null || datasetDir.getParent() == null) {
      return new String[] {given};
    }
    Path root = datasetDir.getParent();
    String runId = p.getName().substring(prefix.length());
    if (!fs.exists(RunManifest.directory(root, runId)) || RunManifest.latest(fs, root, runId).sequence() == 0) {
      return new String[] {given};
    }
    List<String> files = published(fs, root, datasetDir.getName(), runId);
    if (files == null || files.isEmpty()) {
      throw new InputException(given + ": run " + runId + " has published no " + datasetDir.getName()
          + " (the command writing it failed or was stopped); run it again");
    }
    return files.toArray(String[]::new);
  }

  /**
   * Stops, naming the path, where Spark would fail less clearly: a directory without data files,
   * or one whose first file is no Parquet file (CSV, say). Subdirectories (partitions) pass.
   */
  private static void requireParquet(SparkSession spark, FileSystem fs, Path p) throws IOException {
    if (!fs.getFileStatus(p).isDirectory()) {
      ParquetFooters.rowCount(spark, new String[] {p.toString()});
      return;
    }
    FileStatus first = null;
    for (FileStatus s : fs.listStatus(p)) {
      String name = s.getPath().getName();
      if (name.startsWith("_") && !name.contains("=") || name.startsWith(".")) {
        continue;
      }
      if (s.isDirectory()) {
        return;
      }
      if (first == null || name.endsWith(".parquet") && !first.getPath().getName().endsWith(".parquet")) {
        first = s;
      }
    }
    if (first == null) {
      throw new InputException(p + " holds no Parquet files (no data files at all)");
    }
    ParquetFooters.rowCount(spark, new String[] {first.getPath().toString()});
  }

  /** The error for a dataset that is not there, naming the runs under {@code base} (may be null) that are. */
  static InputException missing(SparkSession spark, String path, String base) {
    List<String> present = base == null ? List.of() : available(spark, base);
    return new InputException("no dataset at " + path + (present.isEmpty() ? ""
        : " (runs present: " + String.join(", ", present) + "; pick one with --run-id)")
        + ": run the step that writes it first, or point --out at the directory that holds it");
  }

  /** Throws {@code t}, checked or not, as it is. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
