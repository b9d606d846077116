package org.mimobatch.jobs.config;

import java.io.Serializable;
import java.util.regex.Pattern;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.ParquetCodec;

/**
 * Where and how a command writes: the {@code output}, {@code run} and {@code progress} sections.
 *
 * @param dir the root of the datasets (output.dir, --out)
 * @param runId the run whose datasets are read and written (run.id, --run-id; today's date when empty)
 * @param channels whether run writes the channels dataset too (output.channels)
 * @param report whether run writes the HTML report last (output.report)
 * @param compression the codec of every dataset written (output.compression)
 * @param progressInterval seconds between progress lines; 0 for none (progress.interval-s)
 */
public record OutputSettings(String dir, String runId, boolean channels, boolean report, ParquetCodec compression,
    double progressInterval) implements Serializable {
  static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  static OutputSettings read(ConfigReader r) {
    String id = r.string("run.id").trim();
    String runId = id.isEmpty() ? java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString() : id;
    if (!RUN_ID.matcher(runId).matches()) {
      throw new SettingsException("run.id: '" + runId + "' is not allowed; use up to 100 letters, digits, '.', '_' and"
          + " '-', starting with a letter or digit");
    }
    return new OutputSettings(r.path("output.dir", false), runId, r.bool("output.channels"), r.bool("output.report"),
        r.choice("output.compression", ParquetCodec.class), r.doubleBetween("progress.interval-s", 0, 3600));
  }

  /** Where this run's datasets live. */
  public DatasetPaths paths() {
    return new DatasetPaths(dir, runId);
  }

  /** These settings with another output root. */
  public OutputSettings withDir(String root) {
    return new OutputSettings(root, runId, channels, report, compression, progressInterval);
  }

  /** These settings with run writing the channels dataset (or not). */
  public OutputSettings withChannels(boolean write) {
    return new OutputSettings(dir, runId, write, report, compression, progressInterval);
  }
}
