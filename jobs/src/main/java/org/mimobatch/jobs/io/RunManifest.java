package org.mimobatch.jobs.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a run has published: for each of its datasets, the attempt (one invocation of a command)
 * that wrote the version readers see, and that version's files. Each commit writes a new manifest,
 * {@code ROOT/_mimobatch_runs/<run id>/manifest-<sequence>.json}, under a name no other holds
 * (create-if-absent), so that a dataset switches from one version to the next in one step and a
 * crash at any instant leaves the previous manifest, and its files, in place. Readers take the
 * newest manifest that reads whole. The directory's name starts with '_', which Spark, pyarrow and
 * DuckDB skip.
 *
 * @param runId the run
 * @param sequence 1 for the first commit, then one more each time; 0: nothing committed yet
 * @param attempt the attempt that committed it
 * @param committed when, ISO-8601 UTC
 * @param datasets by name (metrics, summary, …)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunManifest(String runId, long sequence, String attempt, String committed,
    Map<String, Entry> datasets) {
  /** The hidden directory, under the output root, of every run's manifests and working files. */
  public static final String DIRECTORY = "_mimobatch_runs";
  private static final String PREFIX = "manifest-";
  private static final String SUFFIX = ".json";
  /** Manifests kept besides the newest: a reader that resolved one a moment ago still finds it. */
  private static final int KEEP = 2;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * One dataset's published version.
   *
   * @param attempt the attempt that wrote it
   * @param files its files, by name, in the run's directory of the dataset
   * @param rows its rows
   * @param sources the attempts of the datasets it was made from (the summary's metrics, say)
   * @param info the run's description, on the metrics (null elsewhere)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String attempt, List<String> files, long rows, Map<String, String> sources, RunInfo info) {}

  /** Nothing committed yet. */
  static RunManifest empty(String runId) {
    return new RunManifest(runId, 0, null, null, Map.of());
  }

  /** The directory of run {@code runId}'s manifests under {@code root}. */
  public static Path directory(Path root, String runId) {
    return new Path(new Path(root, DIRECTORY), runId);
  }

  /** The newest manifest of the run that reads whole, or {@link #empty} where there is none. */
  public static RunManifest latest(FileSystem fs, Path root, String runId) {
    Path dir = directory(root, runId);
    try {
      if (!fs.exists(dir)) {
        return empty(runId);
      }
      List<FileStatus> manifests = manifests(fs, dir);
      for (int i = manifests.size() - 1; i >= 0; i--) {
        try (InputStream in = fs.open(manifests.get(i).getPath())) {
          RunManifest m = JSON.readValue(in, RunManifest.class);
          if (runId.equals(m.runId()) && m.sequence() == sequence(manifests.get(i).getPath().getName())) {
            return m;
          }
        } catch (IOException e) {
          // Cut short by a crash while it was written: the one before it holds.
        }
      }
      return empty(runId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifests of run " + runId + " under " + dir, e);
    }
  }

  /** The manifests in {@code dir}, oldest first. */
  private static List<FileStatus> manifests(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir, p -> p.getName().startsWith(PREFIX) && p.getName().endsWith(SUFFIX))) {
      if (sequence(s.getPath().getName()) > 0) {
        out.add(s);
      }
    }
    out.sort((a, b) -> Long.compare(sequence(a.getPath().getName()), sequence(b.getPath().getName())));
    return out;
  }

  private static long sequence(String name) {
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /**
   * What a run written before manifests holds: the files in its directory of each of {@code
   * datasets}, as of attempt {@code attempt}, with the description the metrics kept beside them;
   * {@link #empty} where it has none.
   */
  static RunManifest unmanaged(FileSystem fs, Path root, String runId, List<String> datasets, String attempt,
      org.apache.hadoop.conf.Configuration conf) throws IOException {
    Map<String, Entry> found = new LinkedHashMap<>();
    for (String dataset : datasets) {
      Path dir = new Path(new Path(root, dataset), DatasetPaths.RUN_ID + "=" + runId);
      List<String> files = fs.exists(dir) ? RunStore.dataFiles(fs, dir) : List.of();
      if (!files.isEmpty()) {
        RunInfo info = dataset.equals(DatasetPaths.METRICS) ? RunInfo.read(dir.toString(), conf) : null;
        found.put(dataset, new Entry(attempt, files, -1, Map.of(), info));
      }
    }
    return found.isEmpty() ? empty(runId) : empty(runId).next(attempt, null, found);
  }

  /** The entry of {@code dataset}, or null where the run has none published. */
  public Entry entry(String dataset) {
    return datasets.get(dataset);
  }

  /** The manifest that follows this one: these entries replaced (a null entry removes the dataset). */
  RunManifest next(String attempt, String committed, Map<String, Entry> changes) {
    Map<String, Entry> all = new LinkedHashMap<>(datasets);
    changes.forEach((name, entry) -> {
      if (entry == null) {
        all.remove(name);
      } else {
        all.put(name, entry);
      }
    });
    return new RunManifest(runId, sequence + 1, attempt, committed, all);
  }

  /**
   * Writes this manifest under its sequence's name, which must not exist: another command that
   * committed the run since this one read its manifest has taken it, and this commit fails instead
   * of undoing the other's. Older manifests beyond the last {@value #KEEP} are then removed.
   */
  void write(FileSystem fs, Path root) throws IOException {
    Path dir = directory(root, runId);
    Path file = new Path(dir, String.format("%s%010d%s", PREFIX, sequence, SUFFIX));
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      out.hsync();
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another command published run " + runId + " while this one ran (" + file
          + " exists); run one command per run id at a time", e);
    }
    List<FileStatus> all = manifests(fs, dir);
    for (int i = 0; i < all.size() - 1 - KEEP; i++) {
      fs.delete(all.get(i).getPath(), false);
    }
  }
}
