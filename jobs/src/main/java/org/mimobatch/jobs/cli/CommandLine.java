package org.mimobatch.jobs.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The parsed command line of {@code mimobatch}. */
public record CommandLine(
    Command command,
    File config,
    List<String> overrides,
    String out,
    String runId,
    String master,
    String path,
    int rows,
    boolean help) {

  /** The subcommands. */
  public enum Command {
    GENERATE("generate"),
    INGEST("ingest"),
    ANALYZE("analyze"),
    SUMMARIZE("summarize"),
    RUN("run"),
    REPORT("report"),
    SHOW("show"),
    BENCH("bench");

    private final String word;

    Command(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  public static final String USAGE = String.join("\n",
      "Usage: mimobatch <command> [options]",
      "",
      "Commands:",
      "  generate      draw the channels dataset (channel.*)",
      "  ingest        read channel files (input.*: NumPy, HDF5, MAT) into the channels dataset",
      "  analyze       per-matrix SVD, eigenvalues, capacity and zero-forcing metrics of the channels",
      "  summarize     aggregate the metrics per (rows, cols, summary.group-by, snr_db)",
      "  run           generate (or ingest, with input.path), analyze and summarize, then the report",
      "  report        write the run's HTML report (OUT/report/run_id=ID/index.html) from its summary",
      "  show PATH     print a Parquet dataset as a table",
      "  bench         kernel throughput on one thread, then the end-to-end analyze rate",
      "",
      "Options:",
      "  --config FILE     HOCON settings (keys as in reference.conf, e.g. conf/local.conf)",
      "  --set KEY=VALUE   override one setting; VALUE is HOCON, so lists read --set analysis.snr-db=[0,10,20],",
      "                    but paths and names (input.path, input.variable, ...) and spark.* values are taken",
      "                    as written: --set input.variable=H{:}",
      "  --out DIR         output root holding channels/, metrics/, summary/ (default ./out)",
      "  --run-id ID       the run to write (and read): DIR/<dataset>/run_id=ID (default today's date, UTC)",
      "  --master URL      Spark master (default local[*], or the one spark-submit passes)",
      "  --rows N          rows that show prints (default 20)",
      "  -h, --help        this text",
      "",
      "analyze and summarize read what the previous step wrote under the same --out.");

  /** Parses {@code args}; throws {@link UsageException} naming what is wrong. */
  public static CommandLine parse(String[] args) {
    Command command = null;
    File config = null;
    List<String> overrides = new ArrayList<>();
    String out = null;
    String runId = null;
    String master = null;
    String path = null;
    int rows = 20;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> help = true;
        case "--config" -> config = new File(value(args, ++i, a));
        case "--set" -> overrides.add(value(args, ++i, a));
        case "--out" -> out = value(args, ++i, a);
        case "--run-id" -> runId = value(args, ++i, a);
        case "--master" -> master = value(args, ++i, a);
        case "--rows" -> rows = positiveInt(value(args, ++i, a), a);
        default -> {
          if (a.startsWith("--")) {
            throw new UsageException("unknown option " + a);
          }
          if (command == null) {
            command = command(a);
          } else if (command == Command.SHOW && path == null) {
            path = a;
          } else {
            throw new UsageException("unexpected argument '" + a + "'");
          }
        }
      }
    }
    if (!help) {
      if (command == null) {
        throw new UsageException("no command given");
      }
      if (command == Command.SHOW && path == null) {
        throw new UsageException("show needs the path of a Parquet dataset, e.g. mimobatch show out/summary");
      }
    }
    return new CommandLine(command, config, List.copyOf(overrides), out, runId, master, path, rows, help);
  }

  private static Command command(String word) {
    for (Command c : Command.values()) {
      if (c.word.equals(word)) {
        return c;
      }
    }
    throw new UsageException("unknown command '" + word + "'");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int positiveInt(String s, String option) {
    try {
      int n = Integer.parseInt(s);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new UsageException(option + " needs a positive integer, got '" + s + "'");
  }
}
