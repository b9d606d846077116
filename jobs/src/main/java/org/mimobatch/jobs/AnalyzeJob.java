package org.mimobatch.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import java.util.Arrays;
import org.mimobatch.jobs.analyze.AnalyzePartition;
import org.mimobatch.jobs.analyze.DrawnAnalysis;
import org.mimobatch.jobs.analyze.AnalyzePartition.Output;
import org.mimobatch.jobs.analyze.InputLayout;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.spark.Sessions;
import org.mimobatch.jobs.summary.SummaryTap;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.jobs.ingest.IngestPlan;
import org.mimobatch.jobs.io.RunInfo;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.ParquetFooters;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.MatrixKey;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * {@code analyze}: reads the channels dataset under the output root, runs the per-matrix analysis
 * partition by partition in chunks of {@code analysis.chunk-size}, and writes the metrics dataset
 * with one row per channel row.
 */
public final class AnalyzeJob {
  private AnalyzeJob() {}

  /**
   * What was written.
   *
   * @param statusCounts rows per status label, as the tasks that wrote them counted them
   * @param historyRows rows of the histories dataset, or -1 when none was asked for
   * @param info the run's description, as stored beside the metrics for its report
   * @param summary what the tasks that wrote the metrics gathered for the summary, or null
   * @param partitions the tasks that wrote the metrics
   */
  public record Result(String path, long rowsIn, long rowsOut, Map<String, Long> statusCounts, long historyRows,
      String historiesPath, RunInfo info, SummaryTap summary, int partitions) {
    public long failed() {
      return rowsOut - statusCounts.getOrDefault("ok", 0L);
    }
  }

  public static Result run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /** As {@link #run(SparkSession, Settings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, Settings settings, PrintStream progress) {
    RunStore store = RunJob.store(spark, settings);
    Result r = analyze(spark, settings, store, progress);
    store.commit();
    return r;
  }

  /** Analyses the channels into {@code store}'s version of the metrics, pending its commit. */
  static Result analyze(SparkSession spark, Settings settings, RunStore store, PrintStream progress) {
    DatasetPaths paths = settings.paths();
    // In local mode the tasks run in this JVM: fail here, with the backend's own reason, rather
    // than in every task. On a cluster only the executors need the backend (a GPU driver often has
    // no GPU); a task that cannot open it stops the job naming the executor.
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(settings.backend());
    }
    String input = settings.analysisInput();
    SparkSession reading = Sessions.splittingReads(spark, GenerateJob.PARTITIONS_PER_CORE);
    boolean own = input.equals(paths.channels());
    Dataset<Row> channels = own ? store.read(reading, DatasetPaths.CHANNELS) : Runs.readRun(reading, input, null);
    RunManifest.Entry read = own ? store.entry(DatasetPaths.CHANNELS) : null;
    Map<String, String> sources = own ? Map.of(DatasetPaths.CHANNELS, read.attempt()) : Map.of();
    // The channels as the step that wrote them described them (an ingest's files and layout, say).
    Map<String, String> described = !own ? Map.of("analysis.input", input)
        : read.info() != null ? read.info().settings()
        : Map.of("channels", input + " (written without a description of their source)");
    Precision precision = ChannelsSchema.validate(channels.schema(), input);
    // Counted from the footers of the files Spark reads, on the driver: Spark's count would run two
    // jobs to read the same footers. Spark counts where it skips files it cannot read, and where
    // its tasks read many footers sooner than the driver would.
    String[] files = channels.inputFiles();
    long rowsIn = ParquetFooters.answerForSpark(spark) && files.length <= ParquetFooters.DRIVER_FILES
        ? ParquetFooters.rowCount(spark, files) : channels.count();
    if (settings.analysisPartitions() > 0) {
      channels = channels.repartition(settings.analysisPartitions());
    }
    AnalysisSpec spec = settings.analysis();
    InputLayout layout = new InputLayout(channels.schema(), spec.refine());
    String description = "analyze " + input + " on " + settings.backend() + " -> " + paths.metrics();
    Dataset<Row> source = channels;
    RunInfo info = publish(spark, store, settings, described, precision, description, rowsIn, progress, sources,
        (counter, byStatus) ->
        InternalRows.mapPartitions(source, new AnalyzePartition(settings.backend(), spec, precision,
            settings.chunkSize(), layout, Output.METRICS).counting(counter).countingStatuses(byStatus),
            layout.outputSchema()));
    long historyRows = histories(spark, store, settings, channels, precision, layout, paths);
    return new Result(paths.metrics(), rowsIn, rowsIn, info.statuses(), historyRows, paths.histories(), info, null, -1);
  }

  /** Builds the metrics rows of a step, given the accumulators its tasks count into. */
  interface Metrics {
    Dataset<Row> of(LongAccumulator counter, LongAccumulator[] byStatus);
  }

  /**
   * Writes the metrics {@code metrics} builds as {@code store}'s version of the metrics, once rows
   * in == rows out has been checked on its files: the row counts in their footers, and the
   * per-status counts of the tasks that wrote them (no Spark job reads them back). The run's
   * description ({@link RunInfo}) goes with them into the manifest, so it is published with the
   * rows it describes; it is returned.
   */
  static RunInfo publish(SparkSession spark, RunStore store, Settings settings, Map<String, String> source,
      Precision precision, String description, long rowsIn, PrintStream progress, Map<String, String> sources,
      Metrics metrics) {
    long start = System.nanoTime();
    MatrixStatus[] statuses = MatrixStatus.values();
    LongAccumulator[] byStatus = new LongAccumulator[statuses.length];
    for (MatrixStatus status : statuses) {
      byStatus[status.code()] = spark.sparkContext().longAccumulator("analyze: " + status.label() + " rows");
    }
    Map<String, Long> counts = new TreeMap<>();
    RunInfo[] info = new RunInfo[1];
    try (Progress p = Progress.start(spark.sparkContext(), "analyze", description, rowsIn, progress,
        settings.progressInterval())) {
      store.write(DatasetPaths.METRICS, metrics.of(p.counter(), byStatus), files -> {
        long written = ParquetFooters.rowCount(spark, files);
        long reported = 0;
        for (MatrixStatus status : statuses) {
          long rows = byStatus[status.code()].value();
          reported += rows;
          if (rows > 0) {
            counts.put(status.label(), rows);
          }
        }
        if (written != rowsIn || reported != written) {
          throw new IllegalStateException("analyze read " + rowsIn + " channel rows but wrote " + written
              + " metrics rows" + (reported != written ? " (its tasks reported " + reported + ")" : ""));
        }
        info[0] = RunInfo.of(settings.runId(), settings.backend(), settings.describeAnalysis(), source, counts,
            precision, (System.nanoTime() - start) / 1e9);
      }, MetricsSchema.valueColumns(), sources);
    }
    store.describe(info[0]);
    return info[0];
  }

  /**
   * Draws the channels of {@code channel.*} and analyses them in one pass, writing only the metrics
   * ({@link DrawnAnalysis}): what {@code generate} then {@code analyze} write, without the channels;
   * the tasks gather the summary of the metrics as they write them, where asked.
   */
  static Result drawAndAnalyze(SparkSession spark, Settings settings, RunStore store, PrintStream progress,
      boolean summarize) {
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(settings.backend());
    }
    ChannelSpec c = settings.channel();
    DatasetPaths paths = settings.paths();
    AnalysisSpec spec = settings.analysis();
    StructType schema = MetricsSchema.of(Arrays.asList(ChannelsSchema.of(c.precision()).fields()).subList(0, 5),
        spec.refine());
    int partitions = GenerateJob.partitions(spark, settings);
    long units = (long) c.links() * c.slots();
    String description = "draw and analyze " + c.matrices() + " " + c.rx() + "x" + c.tx() + " "
        + c.model().configName() + " channels on " + settings.backend() + " -> " + paths.metrics();
    SummaryTap tap = summarize ? summaryTap(spark, settings, store, schema, "the drawn channels' metrics") : null;
    RunInfo info = publish(spark, store, settings, settings.describeSource(), c.precision(), description, c.matrices(),
        progress, Map.of(),
        (counter, byStatus) -> InternalRows.dataFrame(spark, spark.range(0, units, 1, partitions).javaRDD()
            .mapPartitions(new DrawnAnalysis(settings.backend(), c, spec, settings.chunkSize(), schema.size(), counter,
                byStatus, tap)).rdd(), schema));
    long historyRows = histories(spark, store, settings, GenerateJob.channels(spark, settings, null), c.precision(),
        new InputLayout(ChannelsSchema.of(c.precision()), spec.refine()), paths);
    return new Result(paths.metrics(), c.matrices(), c.matrices(), info.statuses(), historyRows, paths.histories(),
        info, tap, partitions);
  }

  /**
   * Reads the channel files of {@code input.*} and analyses them in one pass, writing only the
   * metrics: what {@code ingest} then {@code analyze} write, without the channels; the tasks gather
   * the summary of the metrics as they write them, where asked.
   */
  static Result ingestAndAnalyze(SparkSession spark, Settings settings, RunStore store, IngestPlan plan,
      PrintStream progress, boolean summarize) {
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(settings.backend());
    }
    DatasetPaths paths = settings.paths();
    AnalysisSpec spec = settings.analysis();
    InputLayout layout = new InputLayout(plan.schema(), spec.refine());
    long per = perPartition(spark, settings, plan.matrices());
    String description = "ingest and analyze " + plan.matrices() + " matrices from " + settings.input().path() + " on "
        + settings.backend() + " -> " + paths.metrics();
    SummaryTap tap = summarize ? summaryTap(spark, settings, store, layout.outputSchema(), settings.input().path())
        : null;
    int[] partitions = new int[1];
    RunInfo info = publish(spark, store, settings, IngestJob.source(settings, plan), plan.precision(), description,
        plan.matrices(), progress, Map.of(),
        (counter, byStatus) -> {
          var rows = plan.rows(spark, per, null);
          partitions[0] = rows.getNumPartitions();
          return InternalRows.dataFrame(spark, rows.toJavaRDD()
              .mapPartitions(new AnalyzePartition(settings.backend(), spec, plan.precision(), settings.chunkSize(),
                  layout, Output.METRICS).counting(counter).countingStatuses(byStatus).summarising(tap)).rdd(),
              layout.outputSchema());
        });
    Dataset<Row> channels = InternalRows.dataFrame(spark, plan.rows(spark, per, null), plan.schema());
    long historyRows = histories(spark, store, settings, channels, plan.precision(), layout, paths);
    return new Result(paths.metrics(), plan.matrices(), plan.matrices(), info.statuses(), historyRows,
        paths.histories(), info, tap, partitions[0]);
  }

  /**
   * A tap that gathers the summary of metrics rows of {@code schema}, grouped as summary.group-by
   * says (checked against it), in a working directory of this attempt.
   */
  private static SummaryTap summaryTap(SparkSession spark, Settings settings, RunStore store, StructType schema,
      String source) {
    return SummaryTap.start(spark, store.workingDirectory("summary").toString(), schema,
        SummarizeJob.groupKeys(schema, settings.groupBy(), source), settings.sketchK());
  }

  /** Matrices per partition for a source of {@code matrices}. */
  static long perPartition(SparkSession spark, Settings settings, long matrices) {
    int partitions = GenerateJob.partitions(spark, settings, matrices);
    return (matrices + partitions - 1) / Math.max(1, partitions);
  }

  /**
   * The loss histories of refine.history-sample matrices: those with the smallest hash of (seed,
   * keys), so the choice depends neither on partitioning nor on the order of the rows. They are
   * analysed again (deterministically, so with the same results as in the metrics) with every
   * iteration recorded. Without refinements or samples, a histories dataset left by an earlier run is
   * removed so that it cannot be mistaken for this run's.
   */
  private static long histories(SparkSession spark, RunStore store, Settings settings, Dataset<Row> channels, Precision precision,
      InputLayout layout, DatasetPaths paths) {
    AnalysisSpec spec = settings.analysis();
    int sample = spec.refine().historySample();
    if (sample == 0 || spec.refine().isEmpty()) {
      store.remove(DatasetPaths.HISTORIES);
      return -1;
    }
    long seed = spec.seed();
    StructType hashed = new StructType().add("hash", DataTypes.LongType).add("link", DataTypes.LongType)
        .add("slot", DataTypes.LongType).add("subcarrier", DataTypes.LongType);
    Set<List<Long>> chosen = new HashSet<>();
    List<Row> picked = channels.select(ChannelsSchema.LINK, ChannelsSchema.SLOT, ChannelsSchema.SUBCARRIER)
        .map((MapFunction<Row, Row>) r -> {
          long link = r.isNullAt(0) ? Long.MIN_VALUE : ((Number) r.get(0)).longValue();
          long slot = r.isNullAt(1) ? Long.MIN_VALUE : ((Number) r.get(1)).longValue();
          long subcarrier = r.isNullAt(2) ? Long.MIN_VALUE : ((Number) r.get(2)).longValue();
          long hash = MatrixKey.sampleHash(seed, MatrixKey.of(link, slot, subcarrier));
          return RowFactory.create(hash, link, slot, subcarrier);
        }, Encoders.row(hashed))
        .orderBy("hash").limit(sample).collectAsList();
    for (Row r : picked) {
      chosen.add(List.of(r.getLong(1), r.getLong(2), r.getLong(3)));
    }
    int[] keyColumns = {channels.schema().fieldIndex(ChannelsSchema.LINK), channels.schema().fieldIndex(ChannelsSchema.SLOT),
        channels.schema().fieldIndex(ChannelsSchema.SUBCARRIER)};
    Dataset<Row> sampled = channels.filter((FilterFunction<Row>) r -> chosen.contains(List.of(
        longOrMin(r, keyColumns[0]), longOrMin(r, keyColumns[1]), longOrMin(r, keyColumns[2]))));
    spark.sparkContext().setJobDescription("analyze: loss histories of " + chosen.size() + " matrices -> "
        + paths.histories());
    Dataset<Row> histories = InternalRows.mapPartitions(sampled,
        new AnalyzePartition(settings.backend(), spec, precision, settings.chunkSize(), layout, Output.HISTORIES),
        layout.historySchema());
    long[] written = new long[1];
    // Counted from the new files' footers, as the metrics are: no Spark job reads them back.
    store.write(DatasetPaths.HISTORIES, histories, files -> written[0] = ParquetFooters.rowCount(spark, files),
        List.of(), Map.of(DatasetPaths.METRICS, store.attempt()));
    spark.sparkContext().setJobDescription(null);
    return written[0];
  }

  private static long longOrMin(Row r, int index) {
    return r.isNullAt(index) ? Long.MIN_VALUE : ((Number) r.get(index)).longValue();
  }
}
