package org.mimobatch.jobs.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.mimobatch.jobs.AnalyzeJob;
import org.mimobatch.jobs.GenerateJob;
import org.mimobatch.jobs.IngestJob;
import org.mimobatch.jobs.RunJob;
import org.mimobatch.jobs.SummarizeJob;
import org.mimobatch.jobs.ShowCommand;
import org.mimobatch.jobs.bench.BenchCommand;
import org.mimobatch.jobs.bench.BenchSettings;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.report.Report;
import org.mimobatch.jobs.summary.SummaryAggregation;
import org.mimobatch.pipeline.backend.BackendUnavailableException;

/**
 * The {@code mimobatch} command. Runs the same under {@code bin/mimobatch} (local mode unless
 * --master says otherwise) and under spark-submit (which supplies the master). Exit status: 0 done,
 * 1 the job failed, 2 bad command line, configuration or input.
 */
public final class MimoBatch {
  /** Stack traces of failures, for the log file (and the console in debug mode), never the user's screen. */
  private static final org.apache.logging.log4j.Logger TRACE =
      org.apache.logging.log4j.LogManager.getLogger("org.mimobatch.trace");
  private final PrintStream out;
  private final PrintStream err;

  public MimoBatch(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int status = new MimoBatch(System.out, System.err).execute(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  public int execute(String[] args) {
    CommandLine cli;
    Settings settings;
    try {
      cli = CommandLine.parse(args);
      if (cli.help()) {
        out.println(CommandLine.USAGE);
        return 0;
      }
      boolean bench = cli.command() == CommandLine.Command.BENCH;
      settings = Settings.load(sparkConf(), cli.config(), cli.overrides(), cli.out(), cli.runId(),
          bench ? BenchSettings.SECTION : null);
      if (bench) {
        BenchSettings.of(settings); // its keys checked now, before Spark starts, as every other key is
      }
    } catch (UsageException e) {
      err.println("mimobatch: " + e.getMessage());
      err.println();
      err.println(CommandLine.USAGE);
      return 2;
    } catch (SettingsException e) {
      err.println("mimobatch: configuration: " + e.getMessage());
      return 2;
    }
    SparkSession spark;
    try {
      spark = session(cli, settings);
    } catch (Exception e) { // Spark's own checks of its settings throw the checked SparkException too
      err.println("mimobatch: " + sparkRefused(cli, settings, e));
      TRACE.error("Spark did not start", e);
      return 2;
    }
    try {
      dispatch(cli, settings, spark);
      return 0;
    } catch (Exception e) { // Spark's actions throw the checked SparkException without declaring it
      Throwable known = knownCause(e);
      if (known instanceof SettingsException) {
        err.println("mimobatch: configuration: " + known.getMessage());
        return 2;
      }
      if (known != null) {
        err.println("mimobatch: " + known.getMessage());
        return 2;
      }
      String remote = remoteBackendError(e);
      if (remote != null) {
        err.println("mimobatch: " + remote);
        return 2;
      }
      err.println("mimobatch: " + cli.command().word() + " failed: " + rootMessage(e));
      TRACE.error(cli.command().word() + " failed", e);
      return 1;
    } finally {
      spark.stop();
    }
  }

  /**
   * Why Spark would not start, naming what the user set that it refused: --master, or the spark.*
   * setting whose value its message names.
   */
  static String sparkRefused(CommandLine cli, Settings settings, Throwable e) {
    String message = rootMessage(e);
    if (cli.master() != null && message.contains(cli.master())) {
      return "--master " + cli.master() + ": Spark cannot use it: " + message;
    }
    Map<String, String> given = new java.util.TreeMap<>(sparkConf());
    given.putAll(settings.sparkConf());
    for (Map.Entry<String, String> s : given.entrySet()) {
      if (s.getValue().length() > 2 && message.contains(s.getValue())) {
        return s.getKey() + ": Spark cannot start with " + s.getValue() + ": " + message;
      }
    }
    return "Spark cannot start with these settings (spark.* keys, --master): " + message;
  }

  /**
   * The first exception in the cause chain that carries a message for the user rather than a stack:
   * bad settings, bad input, or a backend that cannot run (also when a task on an executor threw it).
   */
  public static Throwable knownCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SettingsException || t instanceof InputException || t instanceof BackendUnavailableException) {
        return t;
      }
    }
    return null;
  }

  /** A backend failure on an executor that reached the driver only as text in Spark's job failure. */
  static String remoteBackendError(Throwable e) {
    String name = BackendUnavailableException.class.getName() + ": ";
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      int at = m == null ? -1 : m.indexOf(name);
      if (at >= 0) {
        String rest = m.substring(at + name.length());
        int end = rest.indexOf('\n');
        return end < 0 ? rest : rest.substring(0, end);
      }
    }
    return null;
  }

  private void dispatch(CommandLine cli, Settings settings, SparkSession spark) {
    switch (cli.command()) {
      case GENERATE -> report(GenerateJob.run(spark, settings.output(), settings.channels(), out));
      case INGEST -> report(IngestJob.run(spark, settings.output(), settings.input(), settings.channels().partitions(),
          out));
      case ANALYZE -> report(AnalyzeJob.run(spark, settings.output(), settings.analysis(), out));
      case SUMMARIZE -> report(SummarizeJob.run(spark, settings.output(), settings.summary()));
      case RUN -> {
        RunJob.Result r = RunJob.run(spark, settings, out);
        if (r.generate() != null) {
          report(r.generate());
        } else if (r.ingest() != null) {
          report(r.ingest());
        }
        report(r.analyze());
        report(r.summarize());
        String source = settings.input().enabled() ? "ingest" : "generate";
        String steps = r.fused()
            ? String.format(Locale.ROOT, "%s and analyze %.1f s (%.0f matrices/s)", source, r.analyzeSeconds(),
                r.analyzeRate())
            : String.format(Locale.ROOT, "%s %.1f s, analyze %.1f s (%.0f matrices/s)", source, r.generateSeconds(),
                r.analyzeSeconds(), r.analyzeRate());
        out.printf("run: %d matrices, %d failed; %s, summarize %.1f s%n", r.analyze().rowsOut(), r.analyze().failed(),
            steps, r.summarizeSeconds());
        if (r.report() != null) {
          report(r.report());
        }
      }
      case REPORT -> report(Report.write(spark, settings.output().paths(), null));
      case SHOW -> ShowCommand.show(spark, cli.path(), cli.rows(), out);
      case BENCH -> BenchCommand.run(spark, settings, out);
    }
  }

  private void report(GenerateJob.Result r) {
    out.printf("generate: %d matrices in %d partitions -> %s%n", r.matrices(), r.partitions(), r.path());
  }

  private void report(IngestJob.Result r) {
    out.printf("ingest: %d matrices from %d file(s) in %d partitions -> %s%n", r.matrices(), r.files(), r.partitions(),
        r.path());
  }

  private void report(AnalyzeJob.Result r) {
    StringBuilder statuses = new StringBuilder();
    for (Map.Entry<String, Long> e : r.statusCounts().entrySet()) {
      statuses.append(statuses.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
    }
    out.printf("analyze: %d rows in, %d rows out (%s) -> %s%n", r.rowsIn(), r.rowsOut(),
        statuses.length() == 0 ? "empty" : statuses, r.path());
    if (r.historyRows() >= 0) {
      out.printf("analyze: %d loss-history rows -> %s%n", r.historyRows(), r.historiesPath());
    }
  }

  private void report(Report.Result r) {
    out.printf("report: %d charts -> %s%n", r.charts(), r.path());
  }

  private void report(SummaryAggregation.Result r) {
    out.printf("summarize: %d rows -> %s, %d distributions -> %s, %d sketches -> %s%n", r.rows(), r.path(),
        r.distributions(), r.distributionsPath(), r.sketches(), r.sketchesPath());
  }

  /**
   * A session for this command: the master from --master, else the one spark-submit configured, else
   * local mode on every core; the Spark settings of {@link Settings#sparkSettingsOver} the SparkConf.
   */
  static SparkSession session(CommandLine cli, Settings settings) {
    SparkSession.Builder builder = SparkSession.builder().appName("mimobatch " + cli.command().word());
    Map<String, String> present = sparkConf();
    if (cli.master() != null) {
      builder.master(cli.master());
    } else if (!present.containsKey("spark.master")) {
      builder.master("local[*]");
    }
    settings.sparkSettingsOver(present).forEach(builder::config);
    return builder.getOrCreate();
  }

  /** What a new SparkConf holds: spark-defaults.conf and spark-submit's --conf, through system properties. */
  private static Map<String, String> sparkConf() {
    Map<String, String> conf = new java.util.TreeMap<>();
    for (scala.Tuple2<String, String> e : new SparkConf().getAll()) {
      conf.put(e._1(), e._2());
    }
    return conf;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return t == e ? first : first + " (cause: " + String.valueOf(t).lines().findFirst().orElse("") + ")";
  }
}
