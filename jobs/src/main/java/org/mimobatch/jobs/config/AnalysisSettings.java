package org.mimobatch.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.Limits;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.backend.Backends;

/**
 * The {@code analysis} and {@code refine} sections and the backend: what is computed on every
 * matrix, where, and in what chunks.
 *
 * @param input the channels to analyse (analysis.input); empty for the run's own channels dataset
 * @param backend cpu, cuda or auto
 * @param spec the SNR grid, zero-forcing draws, seed and refinements
 * @param chunkSize matrices per backend call, at most
 * @param partitions partitions to analyse in; 0 keeps those of the input
 */
public record AnalysisSettings(String input, String backend, AnalysisSpec spec, int chunkSize, int partitions)
    implements Serializable {

  static AnalysisSettings read(ConfigReader r) {
    String backend = r.string("backend");
    if (!Backends.names().contains(backend)) {
      throw new SettingsException("backend: unknown backend '" + backend + "'; allowed: " + String.join(", ", Backends.names()));
    }
    AnalysisSpec spec = new AnalysisSpec(snrGrid(r), r.intBetween("analysis.zf-vectors", 0, 1000),
        r.number("analysis.seed").longValue(), RefineSettings.read(r));
    return new AnalysisSettings(r.path("analysis.input", true), backend, spec,
        r.intBetween("analysis.chunk-size", 1, 1 << 20), r.intBetween("analysis.partitions", 0, Limits.MAX_PARTITIONS));
  }

  /** The channels analyze reads: analysis.input, or the channels dataset of the run at {@code paths}. */
  public String input(DatasetPaths paths) {
    return input.isEmpty() ? paths.channels() : input;
  }

  /** How the channels are analysed, as the run's description lists it. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("analysis.snr-db", java.util.Arrays.toString(spec.snrDb()));
    m.put("analysis.zf-vectors", Integer.toString(spec.zfVectors()));
    m.put("analysis.chunk-size", Integer.toString(chunkSize));
    if (!spec.refine().isEmpty()) {
      m.put("refine.methods", spec.refine().methods().stream().map(r -> r.configName()).toList().toString());
      m.put("refine.history-sample", Integer.toString(spec.refine().historySample()));
    }
    return m;
  }

  private static double[] snrGrid(ConfigReader r) {
    List<Double> values = r.doubleList("analysis.snr-db");
    if (values.isEmpty()) {
      throw new SettingsException("analysis.snr-db: needs at least one SNR value in dB, e.g. [0, 10, 20]");
    }
    double[] snr = new double[values.size()];
    for (int i = 0; i < snr.length; i++) {
      snr[i] = values.get(i);
      if (!(snr[i] >= -100 && snr[i] <= 100)) {
        throw new SettingsException("analysis.snr-db: " + snr[i] + " dB is outside the allowed -100..100 dB");
      }
      if (i > 0 && snr[i] <= snr[i - 1]) {
        throw new SettingsException("analysis.snr-db: values must increase, got " + values);
      }
    }
    return snr;
  }
}
