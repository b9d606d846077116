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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mimobatch.jobs.io.Limits;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.ParquetCodec;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelModel;
import org.mimobatch.pipeline.channel.ChannelSpec;
import org.mimobatch.pipeline.channel.DelayProfile;

/**
 * Every setting of a run, read once from HOCON and validated: the defaults in {@code reference.conf}
 * (under {@code mimobatch}), then an optional file, then {@code --set key=value} overrides, later
 * ones winning. Unknown keys and out-of-range values stop the run with a {@link SettingsException}
 * that names the key and what it allows.
 */
public final class Settings implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Largest table of subcarrier × tap phases, and largest (link, slot) unit of matrix entries. */
  private static final long MAX_PHASES = 1L << 24;
  private static final long MAX_UNIT_ENTRIES = 1L << 24;

  /** The section of reference.conf that holds the defaults. */
  private static final String ROOT = "mimobatch";
  /** SparkConf keys that carry a mimobatch setting: spark.mimobatch.channel.rx, say. */
  public static final String SPARK_PREFIX = "spark.mimobatch.";

  private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final String outputDir;
  private final boolean outputChannels;
  private final boolean outputReport;
  private final ParquetCodec outputCompression;
  private final String runId;
  private final double progressInterval;
  private final String analysisInput;
  private final List<String> summaryRuns;
  private final String backend;
  private final ChannelSpec channel;
  private final int channelPartitions;
  private final AnalysisSpec analysis;
  private final double[] outage;
  private final int chunkSize;
  private final int analysisPartitions;
  private final List<String> groupBy;
  private final int sketchK;
  private final int benchShrink;
  private final int benchRepeats;
  private final boolean benchEndToEnd;
  private final boolean benchBaselines;
  private final List<Long> benchScale;
  private final List<Long> benchWholeRun;
  private final List<String> benchCommands;
  private final Map<String, String> sparkConf;
  private final Map<String, String> sparkUser;
  private final org.mimobatch.jobs.ingest.IngestSpec input;

  private Settings(Config c, Config user) {
    ConfigReader r = new ConfigReader(c);
    outputDir = r.path("output.dir", false);
    outputChannels = r.bool("output.channels");
    outputReport = r.bool("output.report");
    outputCompression = r.choice("output.compression", ParquetCodec.class);
    String id = r.string("run.id").trim();
    runId = id.isEmpty() ? java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString() : id;
    if (!RUN_ID.matcher(runId).matches()) {
      throw new SettingsException("run.id: '" + runId + "' is not allowed; use up to 100 letters, digits, '.', '_' and"
          + " '-', starting with a letter or digit");
    }
    progressInterval = r.doubleBetween("progress.interval-s", 0, 3600);
    analysisInput = r.path("analysis.input", true);
    summaryRuns = Collections.unmodifiableList(r.stringList("summary.runs", "[\"*\"]"));
    for (String run : summaryRuns) {
      if (!run.equals("*") && !RUN_ID.matcher(run).matches()) {
        throw new SettingsException("summary.runs: '" + run + "' is neither a run id nor \"*\"");
      }
    }
    backend = r.string("backend");
    if (!Backends.names().contains(backend)) {
      throw new SettingsException("backend: unknown backend '" + backend + "'; allowed: " + String.join(", ", Backends.names()));
    }
    channel = channel(r);
    channelPartitions = r.intBetween("channel.partitions", 0, Limits.MAX_PARTITIONS);
    analysis = new AnalysisSpec(snrGrid(r), r.intBetween("analysis.zf-vectors", 0, 1000), r.number("analysis.seed").longValue(),
        RefineSettings.read(r));
    outage = probabilities(r, "analysis.outage");
    chunkSize = r.intBetween("analysis.chunk-size", 1, 1 << 20);
    analysisPartitions = r.intBetween("analysis.partitions", 0, Limits.MAX_PARTITIONS);
    groupBy = Collections.unmodifiableList(r.stringList("summary.group-by", "[subcarrier]"));
    sketchK = r.intBetween("summary.sketch-k", 8, 65535);
    benchShrink = r.intBetween("bench.shrink", 1, 1000);
    benchRepeats = r.intBetween("bench.repeats", 1, 100);
    benchEndToEnd = r.bool("bench.end-to-end");
    benchBaselines = r.bool("bench.baselines");
    benchScale = Collections.unmodifiableList(matrixCounts(r, "bench.scale"));
    benchWholeRun = Collections.unmodifiableList(matrixCounts(r, "bench.whole-run"));
    benchCommands = List.of(r.string("bench.numpy-pipeline"), r.string("bench.python"), r.string("bench.mimobatch"));
    sparkConf = Collections.unmodifiableMap(sparkConf(c));
    sparkUser = Collections.unmodifiableMap(user.hasPath("spark") ? sparkConf(user) : Map.of());
    input = InputSettings.read(r);
  }

  private Settings(Settings s, String outputDir, ChannelSpec channel, boolean outputChannels) {
    this.outputDir = outputDir;
    this.outputChannels = outputChannels;
    this.outputReport = s.outputReport;
    this.outputCompression = s.outputCompression;
    this.runId = s.runId;
    this.progressInterval = s.progressInterval;
    this.analysisInput = s.analysisInput;
    this.summaryRuns = s.summaryRuns;
    this.backend = s.backend;
    this.channel = channel;
    this.channelPartitions = s.channelPartitions;
    this.analysis = s.analysis;
    this.outage = s.outage;
    this.chunkSize = s.chunkSize;
    this.analysisPartitions = s.analysisPartitions;
    this.groupBy = s.groupBy;
    this.sketchK = s.sketchK;
    this.benchShrink = s.benchShrink;
    this.benchRepeats = s.benchRepeats;
    this.benchEndToEnd = s.benchEndToEnd;
    this.benchBaselines = s.benchBaselines;
    this.benchScale = s.benchScale;
    this.benchWholeRun = s.benchWholeRun;
    this.benchCommands = s.benchCommands;
    this.sparkConf = s.sparkConf;
    this.sparkUser = s.sparkUser;
    this.input = s.input;
  }

  /** These settings with another output root. */
  public Settings withOutputDir(String dir) {
    return new Settings(this, dir, channel, outputChannels);
  }

  /** These settings with run writing the channels dataset (or not). */
  public Settings withOutputChannels(boolean write) {
    return new Settings(this, outputDir, channel, write);
  }

  /** These settings with another channel scenario. */
  public Settings withChannel(ChannelSpec spec) {
    return new Settings(this, outputDir, spec, outputChannels);
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
    Config defaults = ConfigFactory.defaultReference().getConfig(ROOT);
    Config user = ConfigFactory.empty();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(sparkConf).entrySet()) {
      if (e.getKey().startsWith(SPARK_PREFIX)) {
        String key = e.getKey().substring(SPARK_PREFIX.length());
        Config one = parseOverride(key + "=" + e.getValue(), "SparkConf " + e.getKey(), defaults);
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
      Config one = parseOverride(override, "--set " + override, defaults);
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
    return new Settings(merged, user);
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
      "input.variable", "input.delays", "analysis.input", "bench.numpy-pipeline", "bench.python", "bench.mimobatch");

  /**
   * The keys {@code override} (key=value, read as --set reads it) sets: one, or several where its
   * HOCON value sets several ("a=1, b=2").
   *
   * @throws SettingsException where it is no key=value or its value is not valid HOCON
   */
  public static List<String> keysOf(String override) {
    return parseOverride(override, "--set " + override, null).entrySet().stream().map(Map.Entry::getKey).toList();
  }

  /**
   * One key=value. The value of a path or name ({@link #LITERAL_KEYS}) or of a Spark setting is
   * taken as it is written, unless it is in double quotes, which HOCON reads (with its escapes);
   * every other value is HOCON: numbers, lists, booleans, words.
   */
  private static Config parseOverride(String override, String origin, Config defaults) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new SettingsException(origin + ": expected key=value, got '" + override + "'");
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
    if (!quoted && (LITERAL_KEYS.contains(key) || key.startsWith("spark.") && !key.matches(".*[\\s{}\\[\\]:+].*"))) {
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

  private static ChannelSpec channel(ConfigReader r) {
    ChannelModel model = r.choice("channel.model", ChannelModel.class);
    int rx = r.intBetween("channel.rx", 1, Limits.MAX_ANTENNAS);
    int tx = r.intBetween("channel.tx", 1, Limits.MAX_ANTENNAS);
    int links = r.intAtLeast("channel.links", 1);
    int slots = r.intAtLeast("channel.slots", 1);
    int subcarriers = r.intBetween("channel.subcarriers", 1, 1 << 20);
    Precision precision = r.choice("channel.precision", Precision.class);
    long seed = r.number("channel.seed").longValue();
    double rhoRx = r.doubleBetween("channel.correlation.rx", 0, 1);
    double rhoTx = r.doubleBetween("channel.correlation.tx", 0, 1);
    if (model == ChannelModel.RAYLEIGH && (rhoRx != 0 || rhoTx != 0)) {
      String key = rhoRx != 0 ? "channel.correlation.rx" : "channel.correlation.tx";
      throw new SettingsException(key + ": the rayleigh model is uncorrelated; use channel.model = kronecker or tdl"
          + " for spatial correlation, or set it to 0");
    }
    DelayProfile.Kind profile = r.choice("channel.tdl.profile", DelayProfile.Kind.class);
    double delaySpread = r.positive("channel.tdl.delay-spread-ns");
    double spacing = r.positive("channel.tdl.subcarrier-spacing-khz");
    int taps = r.intBetween("channel.tdl.taps", 1, 4096);
    // One (link, slot) is generated at once: all its subcarriers, and the phase of every tap on each.
    if ((long) rx * tx * subcarriers > MAX_UNIT_ENTRIES) {
      throw new SettingsException("channel.subcarriers: " + subcarriers + " subcarriers of " + rx + "x" + tx
          + " matrices make one (link, slot) of " + (long) rx * tx * subcarriers + " entries; allowed up to "
          + MAX_UNIT_ENTRIES + ", so at most " + MAX_UNIT_ENTRIES / ((long) rx * tx) + " subcarriers at this size");
    }
    long phases = (long) subcarriers * (profile == DelayProfile.Kind.TDL_A ? 23 : taps);
    if (model == ChannelModel.TDL && phases > MAX_PHASES) {
      throw new SettingsException("channel.tdl.taps: " + subcarriers + " subcarriers × " + phases / subcarriers
          + " taps make " + phases + " phases; allowed up to " + MAX_PHASES + " (reduce channel.tdl.taps or"
          + " channel.subcarriers)");
    }
    // Overflow-free: each factor is below 2^31.
    double matrices = (double) links * slots * subcarriers;
    if (matrices > Limits.MAX_MATRICES) {
      throw new SettingsException("channel.links, channel.slots, channel.subcarriers: " + links + " × " + slots + " × "
          + subcarriers + " = " + String.format(java.util.Locale.ROOT, "%.3g", matrices) + " matrices, more than the "
          + Limits.MAX_MATRICES + " (10^11) one run plans; split the grid across runs (run ids), e.g. by links");
    }
    return new ChannelSpec(model, rx, tx, links, slots, subcarriers, precision, seed, rhoRx, rhoTx,
        new ChannelSpec.Tdl(profile, delaySpread, spacing, taps));
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

  private static List<Long> matrixCounts(ConfigReader r, String key) {
    List<Long> counts = new ArrayList<>();
    for (Double d : r.doubleList(key)) {
      if (d != Math.rint(d) || d < 1 || d > 1e12) {
        throw new SettingsException(key + ": " + d + " is not allowed; expected matrix counts from 1 to 10^12");
      }
      counts.add(d.longValue());
    }
    return counts;
  }

  private static Map<String, String> sparkConf(Config c) {
    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.getConfig("spark").entrySet()) {
      // A quoted key ("speculation.multiplier") arrives quoted; Spark wants the plain dotted name.
      conf.put("spark." + String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped()));
    }
    return conf;
  }

  // ---- accessors ----

  /** The root of the datasets. */
  public String outputDir() {
    return outputDir;
  }

  /** The codec of every dataset written (output.compression). */
  public ParquetCodec outputCompression() {
    return outputCompression;
  }

  /** Does run write the HTML report last (output.report)? */
  public boolean outputReport() {
    return outputReport;
  }

  /** Does run write the channels dataset too (output.channels)? */
  public boolean outputChannels() {
    return outputChannels;
  }

  /** The run whose datasets this invocation reads and writes. */
  public String runId() {
    return runId;
  }

  /** Where this run's datasets live. */
  public DatasetPaths paths() {
    return new DatasetPaths(outputDir, runId);
  }

  /** Seconds between progress lines; 0 for none. */
  public double progressInterval() {
    return progressInterval;
  }

  /** The channels analyze reads: analysis.input, or this run's channels dataset. */
  public String analysisInput() {
    return analysisInput.isEmpty() ? paths().channels() : analysisInput;
  }

  /** The runs summarize reads: empty for this run only, "*" for all. */
  public List<String> summaryRuns() {
    return summaryRuns;
  }

  public String backend() {
    return backend;
  }

  public ChannelSpec channel() {
    return channel;
  }

  /** Partitions of the channels dataset, 0 for automatic. */
  public int channelPartitions() {
    return channelPartitions;
  }

  public AnalysisSpec analysis() {
    return analysis;
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

  public int chunkSize() {
    return chunkSize;
  }

  /** Partitions to analyse in, 0 to keep those of the input. */
  public int analysisPartitions() {
    return analysisPartitions;
  }

  /** Metrics columns the summary groups by besides rows, cols and snr_db. */
  public List<String> groupBy() {
    return groupBy;
  }

  /** The KLL parameter of the summary's quantile sketches. */
  public int sketchK() {
    return sketchK;
  }

  /** The bench command divides the baseline's batch sizes by this. */
  public int benchShrink() {
    return benchShrink;
  }

  public int benchRepeats() {
    return benchRepeats;
  }

  /** Matrix counts of the scale benchmark; empty: the bench command runs the kernel benchmark instead. */
  public List<Long> benchScale() {
    return benchScale;
  }

  /** Slot counts of the whole-run comparison with the NumPy script; empty: none. */
  public List<Long> benchWholeRun() {
    return benchWholeRun;
  }

  /** The NumPy script, the Python interpreter and the mimobatch command of the whole-run comparison. */
  public List<String> benchCommands() {
    return benchCommands;
  }

  /** Does the bench command also time the pipeline end to end? */
  public boolean benchEndToEnd() {
    return benchEndToEnd;
  }

  /** Whether bench runs the NumPy and torch kernel baselines before its own kernels. */
  public boolean benchBaselines() {
    return benchBaselines;
  }

  /** The channel files to ingest (input.*); disabled when input.path is empty. */
  public org.mimobatch.jobs.ingest.IngestSpec input() {
    return input;
  }

  /** What the channels are: the files and layout read (input.*), or the grid and model drawn (channel.*). */
  public Map<String, String> describeSource() {
    Map<String, String> m = new LinkedHashMap<>();
    if (input.enabled()) {
      m.put("input.path", input.path());
      m.put("input.format", input.format().configName());
      if (input.preset() != null) {
        m.put("input.preset", input.preset().configName());
      }
      m.put("input.variable", input.variable());
      m.put("input.axes", input.axes().stream().map(a -> a.configName()).toList().toString());
      if (!input.shape().isEmpty()) {
        m.put("input.shape", input.shape().toString());
      }
      if (!input.elements().isEmpty()) {
        m.put("input.elements", input.elements().stream().map(a -> a.configName()).toList().toString());
      }
      if (input.pathLevel()) {
        m.put("input.delays", input.delays());
        m.put("input.subcarriers", Integer.toString(input.subcarriers()));
        m.put("input.subcarrier-spacing-khz", Double.toString(input.spacingHz() / 1e3));
      }
    } else {
      ChannelSpec c = channel;
      m.put("channel.model", c.model().configName());
      m.put("channel.rx x tx", c.rx() + " x " + c.tx());
      m.put("channel.links x slots x subcarriers", c.links() + " x " + c.slots() + " x " + c.subcarriers());
      m.put("channel.precision", c.precision().configName());
      m.put("channel.seed", Long.toString(c.seed()));
      m.put("channel.correlation", "rx " + c.correlationRx() + ", tx " + c.correlationTx());
      if (c.model() == ChannelModel.TDL) {
        m.put("channel.tdl", c.tdl().profile().configName() + ", "
            + c.tdl().delaySpreadNs() + " ns, " + c.tdl().subcarrierSpacingKhz() + " kHz");
      }
    }
    return m;
  }

  /** How the channels are analysed and summarised. */
  public Map<String, String> describeAnalysis() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("analysis.snr-db", java.util.Arrays.toString(analysis.snrDb()));
    m.put("analysis.zf-vectors", Integer.toString(analysis.zfVectors()));
    m.put("analysis.chunk-size", Integer.toString(chunkSize));
    if (!analysis.refine().isEmpty()) {
      m.put("refine.methods", analysis.refine().methods().stream().map(r -> r.configName()).toList().toString());
      m.put("refine.history-sample", Integer.toString(analysis.refine().historySample()));
    }
    m.put("summary.group-by", groupBy.toString());
    if (!summaryRuns.isEmpty()) {
      m.put("summary.runs", summaryRuns.toString());
    }
    return m;
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
