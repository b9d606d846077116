package org.mimobatch.api;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.analyze.AnalyzePartition;
import org.mimobatch.jobs.analyze.AnalyzePartition.Output;
import org.mimobatch.jobs.analyze.InputLayout;
import org.mimobatch.jobs.config.AnalysisSettings;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.batch.Precision;

/**
 * The per-matrix analysis of {@code bin/mimobatch analyze} as a Dataset transformation: channels in
 * (the channel contract of {@link org.mimobatch.api package}), metrics out, one row per channel row,
 * with the channel's columns but re and im first, then {@code status}, {@code snr_db} and one column
 * per metric (README's metrics table). Lazy: Spark computes the metrics when an action asks for
 * them, partition by partition, at the rate of {@code analyze}.
 *
 * <pre>{@code
 * ChannelAnalysis analysis = ChannelAnalysis.builder().snrDb(0, 10, 20, 30).refinements("newton-schulz").build();
 * Dataset<Row> metrics = analysis.metrics(channels);
 * }</pre>
 *
 * Instances are immutable and serializable; the same instance applied to the same channels gives
 * the same metrics, bit for bit (the zero-forcing draws are seeded from the seed and the keys).
 */
public final class ChannelAnalysis implements Serializable {
  private static final long serialVersionUID = 1L;

  private final AnalysisSpec spec;
  private final String backend;
  private final int chunkSize;

  private ChannelAnalysis(AnalysisSettings settings) {
    this.spec = settings.spec();
    this.backend = settings.backend();
    this.chunkSize = settings.chunkSize();
  }

  /**
   * The analysis a configuration's analysis section describes ({@code Settings.load(...).analysis()}:
   * a configuration file's or a command line's analysis.*, refine.* and backend); its
   * analysis.input and analysis.partitions, which say where and how a command reads, play no part.
   */
  public static ChannelAnalysis of(AnalysisSettings settings) {
    return new ChannelAnalysis(settings);
  }

  /** An analysis with every option at its default (reference.conf's: SNRs 0, 10, 20 dB, cpu, no refinements). */
  public static ChannelAnalysis defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The metrics of {@code channels}: lazy, nothing written.
   *
   * @throws IllegalArgumentException when {@code channels} breaks the channel contract, naming the column
   */
  public Dataset<Row> metrics(Dataset<Row> channels) {
    return analysed(channels, Output.METRICS);
  }

  /**
   * The loss history of every refinement on every matrix of {@code channels}: the channel's columns
   * but re and im, then method, iteration and loss. Meant for a sample (filter the channels first):
   * a row per iteration.
   */
  public Dataset<Row> histories(Dataset<Row> channels) {
    return analysed(channels, Output.HISTORIES);
  }

  private Dataset<Row> analysed(Dataset<Row> channels, Output output) {
    Precision precision = Channels.check(channels);
    InputLayout layout = new InputLayout(channels.schema(), spec.refine());
    StructType schema = output == Output.METRICS ? layout.outputSchema() : layout.historySchema();
    return InternalRows.mapPartitions(channels,
        new AnalyzePartition(backend, spec, precision, chunkSize, layout, output), Channels.distinct(schema));
  }

  /**
   * The schema {@link #metrics} gives for channels of {@code channelSchema}.
   *
   * @throws IllegalArgumentException when {@code channelSchema} breaks the channel contract, naming the column
   */
  public StructType metricsSchema(StructType channelSchema) {
    Channels.check(channelSchema);
    return Channels.distinct(new InputLayout(channelSchema, spec.refine()).outputSchema());
  }

  /** The SNRs in dB the per-SNR metrics are computed at, in order. */
  public double[] snrDb() {
    return spec.snrDb();
  }

  /** QPSK vectors per SNR of the zero-forcing detections. */
  public int zfVectors() {
    return spec.zfVectors();
  }

  /** The seed of the zero-forcing draws and the refinements' starts. */
  public long seed() {
    return spec.seed();
  }

  public String backend() {
    return backend;
  }

  /** Matrices per backend call, at most. */
  public int chunkSize() {
    return chunkSize;
  }

  @Override
  public String toString() {
    return "ChannelAnalysis(" + spec + ", backend " + backend + ", chunks of " + chunkSize + ")";
  }

  /**
   * Options of the analysis, each validated as the same key of the configuration is (README's
   * table), with the same messages; {@link #set} reaches every {@code analysis.*} and
   * {@code refine.*} key that has no method here.
   */
  public static final class Builder {
    private static final List<String> ANALYSIS_KEYS = List.of("backend", "analysis.snr-db", "analysis.zf-vectors",
        "analysis.seed", "analysis.chunk-size");
    private final List<String> settings = new ArrayList<>();

    private Builder() {}

    /** analysis.snr-db: the SNRs in dB, at least one. */
    public Builder snrDb(double... snrDb) {
      return set("analysis.snr-db", Arrays.stream(snrDb).mapToObj(d -> String.format(Locale.ROOT, "%s", d))
          .collect(Collectors.joining(",", "[", "]")));
    }

    /** analysis.zf-vectors: QPSK vectors per SNR of the zero-forcing detections (0: none). */
    public Builder zfVectors(int vectors) {
      return set("analysis.zf-vectors", Integer.toString(vectors));
    }

    /** analysis.seed: the seed of the zero-forcing draws and the refinements' starts. */
    public Builder seed(long seed) {
      return set("analysis.seed", Long.toString(seed));
    }

    /** backend: cpu, cuda or auto. */
    public Builder backend(String backend) {
      return set("backend", backend);
    }

    /** analysis.chunk-size: matrices per backend call, at most. */
    public Builder chunkSize(int matrices) {
      return set("analysis.chunk-size", Integer.toString(matrices));
    }

    /** refine.methods: the refinements to run on every matrix, by their names (gd-inverse, newton-schulz, …). */
    public Builder refinements(String... methods) {
      return set("refine.methods", Arrays.stream(methods).map(m -> "\"" + m + "\"")
          .collect(Collectors.joining(",", "[", "]")));
    }

    /**
     * Any key of the analysis, its value as {@code --set} reads it (HOCON): backend,
     * analysis.snr-db, analysis.zf-vectors, analysis.seed, analysis.chunk-size and the refine.*
     * keys of the refinements (README's configuration table).
     */
    public Builder set(String key, String value) {
      for (String k : Channels.keys(key + "=" + value)) {
        if (!ANALYSIS_KEYS.contains(k) && !(k.startsWith("refine.") && !k.equals("refine.history-sample"))) {
          throw new IllegalArgumentException("'" + k + "' is not a setting of the analysis; give " + ANALYSIS_KEYS
              + " or refine.* keys");
        }
      }
      settings.add(key + "=" + value);
      return this;
    }

    /**
     * The analysis these options describe.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    public ChannelAnalysis build() {
      return new ChannelAnalysis(Channels.load(settings).analysis());
    }
  }
}
