package org.mimobatch.api;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.pipeline.backend.Backends;

/**
 * {@link ChannelAnalysis} as a Spark MLlib {@code Transformer}: a Dataset of channels (the channel
 * contract of {@link org.mimobatch.api package}) in, its rows with the metric columns out — every
 * column of the input but re and im, then status, snr_db and the metrics. Its params are the
 * builder's options with the configuration's defaults; it saves and loads with a
 * {@code Pipeline} ({@code DefaultParamsWritable}, and {@link #load}).
 *
 * <pre>{@code
 * Pipeline p = new Pipeline().setStages(new PipelineStage[] {
 *     new ChannelMetrics().setSnrDb(new double[] {10}),
 *     new SQLTransformer().setStatement("SELECT *, capacity[0] AS capacity_10db FROM __THIS__"),
 *     new VectorAssembler().setInputCols(new String[] {"capacity_10db", "rank"}).setOutputCol("features"),
 *     new KMeans().setK(2)});
 * }</pre>
 */
public final class ChannelMetrics extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final ChannelAnalysis DEFAULTS = ChannelAnalysis.defaults();

  private final String uid;
  private final DoubleArrayParam snrDb;
  private final IntParam zfVectors;
  private final LongParam seed;
  private final Param<String> backend;
  private final IntParam chunkSize;
  private final StringArrayParam refinements;

  public ChannelMetrics() {
    this(Identifiable$.MODULE$.randomUID("channelMetrics"));
  }

  public ChannelMetrics(String uid) {
    this.uid = uid;
    snrDb = new DoubleArrayParam(this, "snrDb", "the SNRs in dB of the per-SNR metrics, at least one"
        + " (analysis.snr-db)", nonEmpty());
    zfVectors = new IntParam(this, "zfVectors", "QPSK vectors per SNR of the zero-forcing detections, 0 to 1000"
        + " (analysis.zf-vectors)", ParamValidators.inRange(0, 1000));
    seed = new LongParam(this, "seed", "seed of the zero-forcing draws and refinement starts (analysis.seed)");
    backend = new Param<>(this, "backend", "linear-algebra backend: " + Backends.names() + " (backend)",
        ParamValidators.inArray(Backends.names()));
    chunkSize = new IntParam(this, "chunkSize", "matrices per backend call, at most, 1 to 2^20"
        + " (analysis.chunk-size)", ParamValidators.inRange(1, 1 << 20));
    refinements = new StringArrayParam(this, "refinements", "refinements run on every matrix (refine.methods)");
    setDefault(snrDb, DEFAULTS.snrDb());
    setDefault(zfVectors, DEFAULTS.zfVectors());
    setDefault(seed, DEFAULTS.seed());
    setDefault(backend, DEFAULTS.backend());
    setDefault(chunkSize, DEFAULTS.chunkSize());
    setDefault(refinements, new String[0]);
  }

  /** MLlib's validator of a non-empty array, typed for a double[] param (Scala erases it to Object). */
  @SuppressWarnings("unchecked")
  private static scala.Function1<double[], Object> nonEmpty() {
    return (scala.Function1<double[], Object>) (scala.Function1<?, ?>) ParamValidators.arrayLengthGt(0);
  }

  /** Reads a ChannelMetrics saved by {@link #save} (or inside a saved Pipeline, which finds this itself). */
  public static MLReader<ChannelMetrics> read() {
    return new DefaultParamsReader<>();
  }

  public static ChannelMetrics load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  public DoubleArrayParam snrDb() {
    return snrDb;
  }

  public IntParam zfVectors() {
    return zfVectors;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> backend() {
    return backend;
  }

  public IntParam chunkSize() {
    return chunkSize;
  }

  public StringArrayParam refinements() {
    return refinements;
  }

  public ChannelMetrics setSnrDb(double[] value) {
    set(snrDb, value);
    return this;
  }

  public ChannelMetrics setZfVectors(int value) {
    set(zfVectors, value);
    return this;
  }

  public ChannelMetrics setSeed(long value) {
    set(seed, value);
    return this;
  }

  public ChannelMetrics setBackend(String value) {
    set(backend, value);
    return this;
  }

  public ChannelMetrics setChunkSize(int value) {
    set(chunkSize, value);
    return this;
  }

  public ChannelMetrics setRefinements(String[] value) {
    set(refinements, value);
    return this;
  }

  /** The analysis these params describe, validated as the configuration is. */
  public ChannelAnalysis analysis() {
    return ChannelAnalysis.builder()
        .snrDb((double[]) $(snrDb))
        .zfVectors((Integer) $(zfVectors))
        .seed((Long) $(seed))
        .backend((String) $(backend))
        .chunkSize((Integer) $(chunkSize))
        .refinements((String[]) $(refinements))
        .build();
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return analysis().metrics(dataset.toDF()); // validates the schema as transformSchema does
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return analysis().metricsSchema(schema);
  }

  @Override
  public ChannelMetrics copy(ParamMap extra) {
    return (ChannelMetrics) defaultCopy(extra);
  }
}
