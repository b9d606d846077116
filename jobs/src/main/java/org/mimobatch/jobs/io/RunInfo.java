package org.mimobatch.jobs.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mimobatch.pipeline.batch.Precision;

/**
 * What the report says of how a run went, beside its datasets: the settings, the rows per status,
 * the backend and the kernels of each operation, and how long each step took. It is published with
 * the metrics, in the run's manifest; runs written before manifests kept it beside their metrics,
 * as {@value #FILE} (a name readers of the dataset skip).
 *
 * @param settings the run's settings, by key (the settings' {@code describe()})
 * @param statuses metrics rows per status
 * @param backend the linear-algebra backend
 * @param precision the channels' precision (single or double)
 * @param kernels the routine of each operation for each shape, e.g. "svd 8x8" → "java bidiagonal lanes";
 *     empty until the report asks the backend
 * @param seconds each step's time
 */
public record RunInfo(Map<String, String> settings, Map<String, Long> statuses, String backend, String precision,
    Map<String, String> kernels, Map<String, Double> seconds) {
  public static final String FILE = "_mimobatch_run.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The description of a run of {@code settings} whose analysis wrote {@code statuses} rows in
   * {@code seconds}, of channels that {@code source} describes (their files and layout, or their
   * grid and model: as the step that wrote them recorded them).
   */
  public static RunInfo of(String runId, String backend, Map<String, String> analysis, Map<String, String> source,
      Map<String, Long> statuses, Precision precision, double seconds) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("run.id", runId);
    all.put("backend", backend);
    all.putAll(source);
    all.putAll(analysis);
    return new RunInfo(all, statuses, backend, precision.configName(), Map.of(), Map.of("analyze", seconds));
  }

  /** The description of channels alone: what {@code source} says of them (for the channels dataset). */
  public static RunInfo ofChannels(Map<String, String> source, Precision precision) {
    return new RunInfo(source, Map.of(), "", precision.configName(), Map.of(), Map.of());
  }

  /** This record with these step times, in order, instead of its own. */
  public RunInfo withSeconds(Map<String, Double> steps) {
    return new RunInfo(settings, statuses, backend, precision, kernels, new LinkedHashMap<>(steps));
  }

  /** This record with these settings instead of its own. */
  public RunInfo withSettings(Map<String, String> described) {
    return new RunInfo(new LinkedHashMap<>(described), statuses, backend, precision, kernels, seconds);
  }

  /** This record with these kernels. */
  public RunInfo withKernels(Map<String, String> k) {
    return new RunInfo(settings, statuses, backend, precision, k, seconds);
  }

  /** The record a run written before manifests kept in directory {@code dir}, or null where there is none. */
  public static RunInfo read(String dir, Configuration conf) {
    Path p = new Path(dir, FILE);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return null;
      }
      try (InputStream in = fs.open(p)) {
        return JSON.readValue(in, RunInfo.class);
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw new org.mimobatch.jobs.io.InputException(p + " is not a readable run description ("
            + e.getOriginalMessage() + "): remove it, or run analyze again for the run");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + p, e);
    }
  }
}
