package org.mimobatch.jobs.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code summary} section and the outage probabilities: how metrics are grouped, which runs are
 * summarised, and the quantiles reported.
 *
 * @param groupBy metrics columns grouped by besides rows, cols and snr_db (summary.group-by)
 * @param runs the runs summarised: empty for this run only, "*" for all (summary.runs)
 * @param sketchK the KLL parameter of the quantile sketches (summary.sketch-k)
 * @param outage the outage probabilities of analysis.outage
 */
public record SummarySettings(List<String> groupBy, List<String> runs, int sketchK, double[] outage)
    implements Serializable {

  static SummarySettings read(ConfigReader r) {
    List<String> runs = Collections.unmodifiableList(r.stringList("summary.runs", "[\"*\"]"));
    for (String run : runs) {
      if (!run.equals("*") && !OutputSettings.RUN_ID.matcher(run).matches()) {
        throw new SettingsException("summary.runs: '" + run + "' is neither a run id nor \"*\"");
      }
    }
    return new SummarySettings(Collections.unmodifiableList(r.stringList("summary.group-by", "[subcarrier]")), runs,
        r.intBetween("summary.sketch-k", 8, 65535), probabilities(r, "analysis.outage"));
  }

  /** Whether only the run's own metrics are summarised (summary.runs is empty). */
  public boolean ownRunOnly() {
    return runs.isEmpty();
  }

  /**
   * The capacity quantiles the summary reports, ascending: 1 %, 10 %, 50 % and every configured
   * outage probability.
   */
  public double[] capacityQuantiles() {
    TreeSet<Double> q = new TreeSet<>(List.of(0.01, 0.1, 0.5));
    for (double p : outage) {
      q.add(p);
    }
    return q.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** How the metrics are summarised, as the run's description lists it. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("summary.group-by", groupBy.toString());
    if (!runs.isEmpty()) {
      m.put("summary.runs", runs.toString());
    }
    return m;
  }

  private static double[] probabilities(ConfigReader r, String key) {
    List<Double> values = r.doubleList(key);
    double[] p = new double[values.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = values.get(i);
      if (!(p[i] > 0 && p[i] < 1)) {
        throw new SettingsException(key + ": outage probabilities must lie strictly between 0 and 1, got " + p[i]);
      }
    }
    return p;
  }
}
