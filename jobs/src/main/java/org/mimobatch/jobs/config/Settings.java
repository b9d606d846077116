package org.mimobatch.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * Every setting of a run, read once from HOCON and validated: the defaults in {@code reference.conf}
 * (under {@code mimobatch}), then an optional file, then {@code --set key=value} overrides, later
 * ones winning. Unknown keys and out-of-range values stop the run with a {@link SettingsException}
 * that names the key and what it allows.
 *
 * <p>The settings come in sections, one per concern ({@link #output}, {@link #channels},
 * {@link #input}, {@link #analysis}, {@link #summary}); each command takes only the sections it
 * reads. A command with keys of its own (bench) brings them as a {@link CommandSection}.
 */
public final class Settings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The section of reference.conf that holds the defaults. */
  private static final String ROOT = "mimobatch";
  /** SparkConf keys that carry a mimobatch setting: spark.mimobatch.channel.rx, say. */
  public static final String SPARK_PREFIX = "spark.mimobatch.";

  private final OutputSettings output;
  private final ChannelSettings channels;
  private final IngestSpec input;
  private final AnalysisSettings analysis;
  private final SummarySettings summary;
  private final Map<String, String> sparkConf;
  private final Map<String, String> sparkUser;
  /** Everything merged, for a command's own section ({@link #commandSection}); null without one. */
  private final Config command;

  private Settings(Config c, Config user, boolean withCommandSection) {
    ConfigReader r = new ConfigReader(c);
    output = OutputSettings.read(r);
    channels = ChannelSettings.read(r);
    analysis = AnalysisSettings.read(r);
    summary = SummarySettings.read(r);
    sparkConf = Collections.unmodifiableMap(sparkConf(c));
    sparkUser = Collections.unmodifiableMap(user.hasPath("spark") ? sparkConf(user) : Map.of());
    input = InputSettings.read(r);
    command = withCommandSection ? c : null;
  }

  private Settings(Settings s, OutputSettings output, ChannelSettings channels) {
    this.output = output;
    this.channels = channels;
    this.input = s.input;
    this.analysis = s.analysis;
    this.summary = s.summary;
    this.sparkConf = s.sparkConf;
    this.sparkUser = s.sparkUser;
    this.command = s.command;
  }

  /** These settings with another output root. */
  public Settings withOutputDir(String dir) {
    return new Settings(this, output.withDir(dir), channels);
  }

  /** These settings with run writing the channels dataset (or not). */
  public Settings withOutputChannels(boolean write) {
    return new Settings(this, output.withChannels(write), channels);
  }

  /** These settings with another channel scenario. */
  public Settings withChannel(ChannelSpec spec) {
    return new Settings(this, output, channels.withSpec(spec));
  }

  /**
   * Reads the defaults, then {@code file} (may be null), then the {@code key=value} overrides, then
   * {@code outputDir} (may be null; the --out option).
   */
  public static Settings load(File file, List<String> overrides, String outputDir) {
    return load(file, overrides, outputDir, null);
  }

  /** As {@link #load(File, List, String)}, with {@code runId} (may be null; the --run-id option) applied last. */
  public static Settings load(File file, List<String> overrides, String outputDir, String runId) {
    return load(Map.of(), file, overrides, outputDir, runId);
  }

  /**
   * As {@link #load(File, List, String, String)}, with the {@code spark.mimobatch.<key>} entries of
   * {@code sparkConf} (a SparkConf's settings: spark-defaults.conf, spark-submit --conf) between the
   * defaults and {@code file}. Their values are read as --set reads them.
   */
  public static Settings load(Map<String, String> sparkConf, File file, List<String> overrides, String outputDir,
      String runId) {
    return load(sparkConf, file, overrides, outputDir, runId, null);
  }

  /**
   * As {@link #load(Map, File, List, String, String)}, for a command with a section of its own
   * (may be null): its keys and defaults join reference.conf's, so that they may be set like any
   * other, and {@link #commandSection} reads them. Without it, those keys are unknown.
   */
  public static Settings load(Map<String, String> sparkConf, File file, List<String> overrides, String outputDir,
      String runId, CommandSection section) {
    Config defaults = ConfigFactory.defaultReference().getConfig(ROOT);
    java.util.Set<String> literal = new java.util.HashSet<>(LITERAL_KEYS);
    if (section != null) {
      defaults = defaults.withFallback(section.defaults());
      literal.addAll(section.literalKeys());
    }
    Config user = ConfigFactory.empty();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(sparkConf).entrySet()) {
      if (e.getKey().startsWith(SPARK_PREFIX)) {
        String key = e.getKey().substring(SPARK_PREFIX.length());
        Config one = parseOverride(key + "=" + e.getValue(), "SparkConf " + e.getKey(), literal);
        rejectUnknownKeys(one, defaults, "SparkConf " + e.getKey());
        user = one.withFallback(user);
      }
    }
    if (file != null) {
      if (!file.isFile()) {
        throw new SettingsException("configuration file " + file + " does not exist or is not a file");
      }
      Config fileConfig;
      try {
        fileConfig = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new SettingsException("configuration file " + file + " is not valid HOCON: " + e.getMessage());
      }
      rejectUnknownKeys(fileConfig, defaults, "configuration file " + file);
      user = fileConfig.withFallback(user);
    }
    for (String override : overrides) {
      Config one = parseOverride(override, "--set " + override, literal);
      rejectUnknownKeys(one, defaults, "--set " + override);
      user = one.withFallback(user);
    }
    if (outputDir != null) {
      user = ConfigFactory.parseMap(Map.of("output.dir", outputDir), "--out").withFallback(user);
    }
    if (runId != null) {
      user = ConfigFactory.parseMap(Map.of("run.id", runId), "--run-id").withFallback(user);
    }
    Config merged;
    try {
      merged = user.withFallback(defaults).resolve();
      merged.checkValid(defaults);
    } catch (ConfigException.ValidationFailed e) {
      StringBuilder m = new StringBuilder();
      for (ConfigException.ValidationProblem p : e.problems()) {
        m.append(m.length() == 0 ? "" : "; ").append(p.path()).append(": ").append(p.problem())
            .append(" (").append(p.origin().description()).append(')');
      }
      throw new SettingsException(m.toString());
    } catch (ConfigException e) {
      throw new SettingsException(e.getMessage());
    }
    return new Settings(merged, user, section != null);
  }

  /** The defaults alone. */
  public static Settings defaults() {
    return load(null, List.of(), null);
  }

  /**
   * Keys whose values are paths or names, which the command line gives as they are: a glob
   * (deepmimo/*.npy), a MAT path (H{:}), a URI (hdfs://host/x, which HOCON would cut at its //).
   */
  private static final java.util.Set<String> LITERAL_KEYS = java.util.Set.of("output.dir", "run.id", "input.path",
      "input.variable", "input.delays", "analysis.input");

  /**
   * The keys {@code override} (key=value, read as --set reads it) sets: one, or several where its
   * HOCON value sets several ("a=1, b=2").
   *
   * @throws SettingsException where it is no key=value or its value is not valid HOCON
   */
  public static List<String> keysOf(String override) {
    return parseOverride(override, "--set " + override, LITERAL_KEYS).entrySet().stream().map(Map.Entry::getKey).toList();
  }

  /**
   * One key=value. The value of a path or name ({@code literal}) or of a Spark setting is
   * taken as it is written, unless it is in double quotes, which HOCON reads (with its escapes);
   * every other value is HOCON: numbers, lists, booleans, words.
   */
  private static Config parseOverride(String override, String origin, java.util.Set<String> literal) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new SettingsException(origin + ": expected key=value, got '" + override + "'");
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
    if (!quoted && (literal.contains(key) || key.startsWith("spark.") && !key.matches(".*[\\s{}\\[\\]:+].*"))) {
      try {
        return ConfigValueFactory.fromAnyRef(value, origin).atPath(key);
      } catch (ConfigException e) {
        throw new SettingsException(origin + ": '" + key + "' is not a key: " + e.getMessage());
      }
    }
    try {
      return ConfigFactory.parseString(override, ConfigParseOptions.defaults().setOriginDescription(origin));
    } catch (ConfigException e) {
      throw new SettingsException(origin + ": the value is not valid HOCON: " + e.getMessage());
    }
  }

  private static void rejectUnknownKeys(Config user, Config defaults, String where) {
    TreeSet<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(e.getKey());
    }
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("spark.") || defaults.hasPathOrNull(key)) {
        continue;
      }
      String hint = closest(key, known);
      throw new SettingsException("unknown key '" + key + "' in " + where
          + (hint == null ? "" : "; did you mean '" + hint + "'?") + " Known keys: " + String.join(", ", known));
    }
  }

  private static String closest(String key, Iterable<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }





  private static Map<String, String> sparkConf(Config c) {
    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").entrySet()) {
      // A quoted key ("speculation.multiplier") arrives quoted; Spark wants the plain dotted name.
      conf.put("spark." + String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped()));
    }
    return conf;
  }

  // ---- sections ----

  /** Where and how commands write (output.*, run.id, progress.interval-s). */
  public OutputSettings output() {
    return output;
  }

  /** The channels drawn (channel.*). */
  public ChannelSettings channels() {
    return channels;
  }

  /** The channel files to ingest (input.*); disabled when input.path is empty. */
  public IngestSpec input() {
    return input;
  }

  /** What is computed on every matrix, and where (analysis.*, refine.*, backend). */
  public AnalysisSettings analysis() {
    return analysis;
  }

  /** How metrics are summarised (summary.*, analysis.outage). */
  public SummarySettings summary() {
    return summary;
  }

  /**
   * The settings of the command whose defaults {@link #load(Map, File, List, String, String, Config)}
   * was given, for it to read its own keys with the messages every key gets.
   *
   * @throws IllegalStateException when they were loaded without a command section
   */
  public ConfigReader commandSection() {
    if (command == null) {
      throw new IllegalStateException("these settings were loaded without a command's section");
    }
    return new ConfigReader(command);
  }

  /**
   * Spark settings from the {@code spark} section, keys in Spark's own form: reference.conf's
   * defaults with what the user gave on top ({@link #sparkUser()}).
   */
  public Map<String, String> sparkConf() {
    return sparkConf;
  }

  /**
   * The Spark settings the user gave (configuration file, --set): they win over a SparkConf's
   * (spark-defaults.conf, spark-submit --conf), which in turn wins over the rest of
   * {@link #sparkConf()}, reference.conf's defaults.
   */
  public Map<String, String> sparkUser() {
    return sparkUser;
  }

  /**
   * What a session started with {@code present} (a SparkConf: spark-defaults.conf, spark-submit
   * --conf) should set on top: the user's Spark settings, and the defaults it leaves unset.
   */
  public Map<String, String> sparkSettingsOver(Map<String, String> present) {
    Map<String, String> out = new LinkedHashMap<>();
    sparkConf.forEach((k, v) -> {
      if (sparkUser.containsKey(k) || !present.containsKey(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
