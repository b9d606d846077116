package org.mimobatch.jobs.bench;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mimobatch.jobs.config.CommandSection;
import org.mimobatch.jobs.config.ConfigReader;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;

/**
 * The {@code bench} section, kept out of reference.conf (it configures no run of the pipeline): its
 * keys and defaults are in {@code bench.conf} beside this class, and only the bench command loads
 * them ({@link #SECTION}).
 *
 * @param shrink divides the kernel baselines' batch sizes
 * @param repeats timed passes per measurement after one warm-up
 * @param endToEnd whether the pipeline is also timed end to end
 * @param baselines whether the NumPy and torch kernel baselines run first
 * @param scale matrix counts of the scale benchmark; empty: the kernel benchmark instead
 * @param wholeRun slot counts of the whole-run comparison with the NumPy script; empty: none
 * @param numpyPipeline the NumPy script of the whole-run comparison
 * @param python the Python interpreter of the baselines
 * @param mimobatch the command that starts mimobatch in the whole-run comparison
 */
public record BenchSettings(int shrink, int repeats, boolean endToEnd, boolean baselines, List<Long> scale,
    List<Long> wholeRun, String numpyPipeline, String python, String mimobatch) {

  /** The bench command's keys, for {@link Settings#load}. */
  public static final CommandSection SECTION = new CommandSection(
      ConfigFactory.parseResources(BenchSettings.class, "bench.conf"),
      Set.of("bench.numpy-pipeline", "bench.python", "bench.mimobatch"));

  /** The bench section of {@code settings}, loaded with {@link #SECTION}. */
  public static BenchSettings of(Settings settings) {
    ConfigReader r = settings.commandSection();
    return new BenchSettings(r.intBetween("bench.shrink", 1, 1000), r.intBetween("bench.repeats", 1, 100),
        r.bool("bench.end-to-end"), r.bool("bench.baselines"), matrixCounts(r, "bench.scale"),
        matrixCounts(r, "bench.whole-run"), r.string("bench.numpy-pipeline"), r.string("bench.python"),
        r.string("bench.mimobatch"));
  }

  private static List<Long> matrixCounts(ConfigReader r, String key) {
    List<Long> counts = new ArrayList<>();
    for (Double d : r.doubleList(key)) {
      if (d != Math.rint(d) || d < 1 || d > 1e12) {
        throw new SettingsException(key + ": " + d + " is not allowed; expected matrix counts from 1 to 10^12");
      }
      counts.add(d.longValue());
    }
    return List.copyOf(counts);
  }
}
