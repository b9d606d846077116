package org.mimobatch.jobs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
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
 * One command's view of a run's datasets, and how it publishes them: every dataset it writes is
 * pending until {@link #commit}, which switches all of them at once to this attempt's versions by
 * writing the run's next {@link RunManifest}; only then are the versions they replace deleted.
 *
 * <p>Spark appends a version's files, under names no other version has, to the run's directory of
 * the dataset ({@code OUT/metrics/run_id=ID}); its commit protocol keeps them in that directory's
 * {@code _temporary} until its job succeeds. Readers through the manifest ({@link Runs}, and the
 * recipes in README) read exactly the files it names: the previous version until the switch, the
 * new one after, never a mix and never nothing, whatever instant a command dies at. A reader that
 * lists the directory instead sees the previous files, then for the moment between a job's
 * commit and the deletion after the switch (or, after a crash there, until the next command on the
 * run) the previous and the new ones together. Files that no manifest names are a dead command's:
 * the next command that writes the dataset of the same run deletes them first — that run's
 * directory only, so that runs with other ids, even ids that begin alike, are never touched. One
 * command per run id at a time; a second one committing the same run fails at its commit.
 *
 * <p>A run written before manifests existed is adopted as it is, its files becoming the first
 * manifest's, the first time a command opens it.
 */
public final class RunStore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final List<String> DATASETS = List.of(DatasetPaths.CHANNELS, DatasetPaths.METRICS,
      DatasetPaths.HISTORIES, DatasetPaths.SKETCHES, DatasetPaths.SUMMARY, DatasetPaths.DISTRIBUTIONS);
  /** The attempt given to the files of a run found without a manifest. */
  static final String ADOPTED = "adopted";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path root;
  private final DatasetPaths paths;
  private final ParquetCodec codec;
  private final String attempt;
  private RunManifest committed;
  /** What this command wrote, by dataset; a null entry removes the dataset at the commit. */
  private final Map<String, RunManifest.Entry> pending = new LinkedHashMap<>();

  private RunStore(SparkSession spark, FileSystem fs, String given, Path root, String runId, ParquetCodec codec) {
    this.spark = spark;
    this.fs = fs;
    this.root = root;
    // Paths as the user gave them, for the messages and results; the manifests' root qualified.
    this.paths = new DatasetPaths(given, runId);
    this.codec = codec;
    this.attempt = STAMP.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    this.committed = RunManifest.latest(fs, root, runId);
  }

  /**
   * The store of run {@code runId} under {@code root}, for a command that writes with {@code codec}:
   * throws unless files can be created there (created if missing), naming the path and the file
   * system's reason — better before a job than as a failed write after it.
   */
  public static RunStore open(SparkSession spark, String root, String runId, ParquetCodec codec) {
    requireWritable(spark, root);
    Path dir = new Path(root);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      RunStore store = new RunStore(spark, fs, root, fs.makeQualified(dir), runId, codec);
      store.adoptUnmanaged();
      store.removeDeadWorkingFiles();
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run " + runId + " under " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} against a new store of the run and publishes what it wrote; where it throws,
   * publishes nothing and removes what it wrote (best effort: what stays is named by no manifest).
   */
  public static <T> T publish(SparkSession spark, String root, String runId, ParquetCodec codec,
      java.util.function.Function<RunStore, T> work) {
    RunStore store = open(spark, root, runId, codec);
    try {
      T result = work.apply(store);
      store.commit();
      return result;
    } catch (Throwable t) {
      store.abort();
      throw Runs.<RuntimeException>sneaky(t);
    }
  }

  public String attempt() {
    return attempt;
  }

  public String runId() {
    return paths.runId();
  }

  public DatasetPaths paths() {
    return paths;
  }

  /** A directory of this attempt's own, for working files that die with it (hidden, under the run's manifests). */
  public Path workingDirectory(String name) {
    return new Path(RunManifest.directory(root, paths.runId()), "attempt-" + attempt + "." + name);
  }

  /**
   * Writes {@code data} as this attempt's version of {@code dataset}, pending until {@link #commit},
   * once {@code check} has accepted its files (it gets their paths and throws to stop; the new
   * files are then removed). Top-level columns {@code withoutStatistics} are written without min/max
   * statistics (continuous values that every row group spans: a reader could skip nothing).
   *
   * @param sources the attempts of what the version was made from, by dataset (may be empty)
   * @return the version's files
   */
  public List<String> write(String dataset, Dataset<Row> data, Consumer<String[]> check,
      Collection<String> withoutStatistics, Map<String, String> sources) {
    Path dir = new Path(paths.of(dataset));
    List<String> created = new ArrayList<>();
    try {
      Set<String> before = removeUnpublished(dataset, dir);
      // Channel entries and metrics are continuous values that never repeat: Parquet's dictionary
      // encoding would be built and thrown away for every page.
      data.write().format("parquet").mode(SaveMode.Append).option("compression", codec.configName())
          .option("parquet.enable.dictionary", "false")
          .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
          .options(noStatistics(data.schema(), withoutStatistics))
          .save(dir.toString());
      for (String name : dataFiles(dir)) {
        if (!before.contains(name)) {
          created.add(name);
        }
      }
      created.sort(null);
      String[] files = created.stream().map(n -> new Path(dir, n).toString()).toArray(String[]::new);
      check.accept(files);
      pending.put(dataset, new RunManifest.Entry(attempt, List.copyOf(created), ParquetFooters.rowCount(spark, files),
          Map.copyOf(sources), null));
      return List.of(files);
    } catch (Exception e) {
      // Whatever stopped it (a failed Spark job arrives as a checked SparkException too).
      deleteQuietly(dir, created.isEmpty() ? newFiles(dataset, dir) : created);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("could not write " + dir + ": " + io.getMessage(), io);
      }
      throw Runs.<RuntimeException>sneaky(e);
    }
  }

  /** As {@link #write(String, Dataset, Consumer, Collection, Map)}, with every column's statistics, no check, no sources. */
  public List<String> write(String dataset, Dataset<Row> data) {
    return write(dataset, data, files -> { }, List.of(), Map.of());
  }

  /** Describes the run on this attempt's metrics (written by this command first). */
  public void describe(RunInfo info) {
    describe(DatasetPaths.METRICS, info);
  }

  /** Describes this attempt's version of {@code dataset} (written by this command first): how it was made. */
  public void describe(String dataset, RunInfo info) {
    RunManifest.Entry e = pending.get(dataset);
    if (e == null) {
      throw new IllegalStateException("a description goes with the " + dataset + " this command wrote");
    }
    pending.put(dataset, new RunManifest.Entry(e.attempt(), e.files(), e.rows(), e.sources(), info));
  }

  /** Removes {@code dataset} from the run at the commit (a histories dataset no longer asked for, say). */
  public void remove(String dataset) {
    if (committed.entry(dataset) != null || pending.get(dataset) != null) {
      pending.put(dataset, null);
    }
  }

  /** The version of {@code dataset} this command sees: its own, else the published one; null where there is none. */
  public RunManifest.Entry entry(String dataset) {
    return pending.containsKey(dataset) ? pending.get(dataset) : committed.entry(dataset);
  }

  /** The paths of the files of {@link #entry}, or null. */
  public List<String> files(String dataset) {
    RunManifest.Entry e = entry(dataset);
    return e == null ? null : files(paths, dataset, e);
  }

  /** Reads the version of {@code dataset} this command sees, or stops naming the path. */
  public Dataset<Row> read(String dataset) {
    return read(spark, dataset);
  }

  /** As {@link #read(String)}, in {@code session} (one with settings of a job's own). */
  public Dataset<Row> read(SparkSession session, String dataset) {
    List<String> files = files(dataset);
    if (files == null) {
      throw Runs.missing(spark, paths.of(dataset), paths.base(dataset));
    }
    return Runs.readFiles(session, files);
  }

  /**
   * Publishes everything this command wrote, at once: the run's next manifest names this attempt's
   * versions; then the files of the versions they replace are deleted. Nothing to publish: nothing
   * happens.
   */
  public void commit() {
    if (pending.isEmpty()) {
      return;
    }
    RunManifest next = committed.next(attempt, Instant.now().toString(), pending);
    try {
      next.write(fs, root);
    } catch (IOException e) {
      throw new UncheckedIOException("could not publish run " + paths.runId() + ": " + e.getMessage(), e);
    }
    committed = next;
    for (String dataset : pending.keySet()) {
      RunManifest.Entry now = next.entry(dataset);
      // Every file the new version does not name: the version it replaces, and what attempts
      // that died before their commit left there.
      Set<String> kept = now == null ? Set.of() : new HashSet<>(now.files());
      Path dir = new Path(paths.of(dataset));
      try {
        if (fs.exists(dir)) {
          deleteQuietly(dir, dataFiles(dir).stream().filter(f -> !kept.contains(f)).toList());
        }
      } catch (IOException ignored) {
        // Named by no manifest, a file left behind is never read, and the next writer removes it.
      }
      if (now == null) {
        deleteIfEmpty(new Path(paths.of(dataset)));
      }
    }
    pending.clear();
  }

  /** Removes the files this command wrote and had not published (a failed command's). */
  public void abort() {
    for (Map.Entry<String, RunManifest.Entry> e : pending.entrySet()) {
      if (e.getValue() != null) {
        deleteQuietly(new Path(paths.of(e.getKey())), e.getValue().files());
      }
    }
    pending.clear();
  }

  /**
   * Gives a run without a manifest its first one before anything is written: a run written before
   * manifests has its files adopted (attempt {@value #ADOPTED}, with the description the metrics
   * kept beside them); a new run gets a manifest of nothing, so that what a command killed in its
   * first write leaves behind is never taken for a run of old.
   */
  private void adoptUnmanaged() throws IOException {
    if (committed.sequence() > 0) {
      return;
    }
    RunManifest first = RunManifest.unmanaged(fs, root, paths.runId(), DATASETS, ADOPTED,
        spark.sparkContext().hadoopConfiguration());
    if (first.sequence() == 0) {
      first = first.next(attempt, null, Map.of());
    }
    try {
      first.write(fs, root);
      committed = first;
    } catch (IOException e) {
      // Another command gave the run its first manifest a moment ago: take that one.
      committed = RunManifest.latest(fs, root, paths.runId());
      if (committed.sequence() == 0) {
        throw e;
      }
    }
  }

  /**
   * What run {@code runId} under {@code root} has published, as readers see it: its newest
   * manifest, or, for a run written before manifests, the files in its directories.
   */
  public static RunManifest published(SparkSession spark, String root, String runId) {
    Path dir = new Path(root);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path qualified = fs.makeQualified(dir);
      RunManifest m = RunManifest.latest(fs, qualified, runId);
      return m.sequence() > 0 ? m : RunManifest.unmanaged(fs, qualified, runId, DATASETS, ADOPTED,
          spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run " + runId + " under " + root + ": " + e.getMessage(), e);
    }
  }

  /** The paths of the files of {@code entry} of {@code dataset} in {@code paths}' run. */
  public static List<String> files(DatasetPaths paths, String dataset, RunManifest.Entry entry) {
    return entry.files().stream().map(n -> new Path(paths.of(dataset), n).toString()).toList();
  }

  /** Working directories of this run's dead attempts (a summary's task files, say). */
  private void removeDeadWorkingFiles() throws IOException {
    Path dir = RunManifest.directory(root, paths.runId());
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus s : fs.listStatus(dir, p -> p.getName().startsWith("attempt-"))) {
      fs.delete(s.getPath(), true);
    }
  }

  /**
   * Deletes what a dead command left in this run's directory of {@code dataset} (files no manifest
   * names, and Spark's {@code _temporary}); returns the files that stay, the published ones.
   */
  private Set<String> removeUnpublished(String dataset, Path dir) throws IOException {
    RunManifest.Entry published = committed.entry(dataset);
    Set<String> keep = published == null ? new HashSet<>() : new HashSet<>(published.files());
    if (!fs.exists(dir)) {
      return keep;
    }
    fs.delete(new Path(dir, "_temporary"), true);
    List<String> dead = dataFiles(dir).stream().filter(f -> !keep.contains(f)).toList();
    deleteQuietly(dir, dead);
    return keep;
  }

  /** The files of {@code dir} that no manifest names (of this command's failed write, or a dead one's). */
  private List<String> newFiles(String dataset, Path dir) {
    try {
      RunManifest.Entry published = committed.entry(dataset);
      Set<String> keep = published == null ? Set.of() : new HashSet<>(published.files());
      return fs.exists(dir) ? dataFiles(dir).stream().filter(f -> !keep.contains(f)).toList() : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The names of the data files directly in {@code dir}: what Spark, pyarrow and DuckDB read there. */
  static List<String> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  private List<String> dataFiles(Path dir) throws IOException {
    return dataFiles(fs, dir);
  }

  private void deleteQuietly(Path dir, List<String> names) {
    for (String name : names) {
      try {
        fs.delete(new Path(dir, name), false);
      } catch (IOException ignored) {
        // Named by no manifest, a file left behind is never read, and the next writer removes it.
      }
    }
  }

  private void deleteIfEmpty(Path dir) {
    try {
      if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
        fs.delete(dir, false);
      }
    } catch (IOException ignored) {
      // An empty directory is harmless.
    }
  }

  /** parquet-mr's per-column switches that turn off the statistics of {@code columns}' leaf columns. */
  static Map<String, String> noStatistics(StructType schema, Collection<String> columns) {
    Map<String, String> options = new HashMap<>();
    for (String name : columns) {
      StructField field = schema.apply(name);
      // Spark's standard layout of a list: NAME.list.element.
      String leaf = field.dataType() instanceof ArrayType ? name + ".list.element" : name;
      options.put(ParquetOutputFormat.STATISTICS_ENABLED + "#" + leaf, "false");
    }
    return options;
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
}
