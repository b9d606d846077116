package org.mimobatch.jobs;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import org.mimobatch.api.ChannelAnalysis;
import org.mimobatch.api.Channels;
import org.mimobatch.jobs.analyze.MetricsTally;
import org.mimobatch.jobs.channels.DrawnChannels;
import org.mimobatch.jobs.analyze.DrawnAnalysis;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.spark.Sessions;
import org.mimobatch.jobs.summary.SummaryAggregation;
import org.mimobatch.jobs.summary.SummaryTap;
import org.mimobatch.jobs.config.AnalysisSettings;
import org.mimobatch.jobs.config.ChannelSettings;
import org.mimobatch.jobs.config.OutputSettings;
import org.mimobatch.jobs.config.SummarySettings;
import org.mimobatch.jobs.ingest.IngestSpec;
import org.mimobatch.jobs.ingest.IngestPlan;
import org.mimobatch.jobs.io.RunInfo;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.ParquetFooters;
import org.mimobatch.jobs.io.RunManifest;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.Runs;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.MatrixKey;
import org.mimobatch.pipeline.refine.RefineSpec;
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

  /** Analyses the channels {@code analysis} names into the run of {@code output}. */
  public static Result run(SparkSession spark, OutputSettings output, AnalysisSettings analysis) {
    return run(spark, output, analysis, null);
  }

  /** As {@link #run(SparkSession, OutputSettings, AnalysisSettings)}, printing progress to {@code progress} (may be null). */
  public static Result run(SparkSession spark, OutputSettings output, AnalysisSettings analysis, PrintStream progress) {
    RunStore store = RunJob.store(spark, output);
    Result r = analyze(spark, output, analysis, store, progress);
    store.commit();
    return r;
  }

  /** Analyses the channels into {@code store}'s version of the metrics, pending its commit. */
  static Result analyze(SparkSession spark, OutputSettings output, AnalysisSettings analysis, RunStore store,
      PrintStream progress) {
    DatasetPaths paths = output.paths();
    // In local mode the tasks run in this JVM: fail here, with the backend's own reason, rather
    // than in every task. On a cluster only the executors need the backend (a GPU driver often has
    // no GPU); a task that cannot open it stops the job naming the executor.
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(analysis.backend());
    }
    String input = analysis.input(paths);
    SparkSession reading = Sessions.splittingReads(spark, DrawnChannels.PARTITIONS_PER_CORE);
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
    if (analysis.partitions() > 0) {
      channels = channels.repartition(analysis.partitions());
    }
    ChannelAnalysis api = ChannelAnalysis.of(analysis);
    String description = "analyze " + input + " on " + analysis.backend() + " -> " + paths.metrics();
    Dataset<Row> source = channels;
    RunInfo info = publish(spark, store, output, analysis, described, precision, description, rowsIn, progress,
        sources, (counter, byStatus) -> tallied(api.metrics(source), counter, byStatus, null));
    long historyRows = histories(spark, store, analysis, channels, paths);
    return new Result(paths.metrics(), rowsIn, rowsIn, info.statuses(), historyRows, paths.histories(), info, null, -1);
  }

  /**
   * {@code metrics} with what the command adds as its rows pass to the writer: the progress count,
   * the rows per status, and the summary its tasks gather ({@code tap}, may be null).
   */
  private static Dataset<Row> tallied(Dataset<Row> metrics, LongAccumulator counter, LongAccumulator[] byStatus,
      SummaryTap tap) {
    StructType schema = metrics.schema();
    return InternalRows.mapPartitions(metrics, new MetricsTally(counter, byStatus,
        schema.fieldIndex(MetricsSchema.STATUS), tap), schema);
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
  static RunInfo publish(SparkSession spark, RunStore store, OutputSettings output, AnalysisSettings analysis,
      Map<String, String> source, Precision precision, String description, long rowsIn, PrintStream progress,
      Map<String, String> sources, Metrics metrics) {
    long start = System.nanoTime();
    MatrixStatus[] statuses = MatrixStatus.values();
    LongAccumulator[] byStatus = new LongAccumulator[statuses.length];
    for (MatrixStatus status : statuses) {
      byStatus[status.code()] = spark.sparkContext().longAccumulator("analyze: " + status.label() + " rows");
    }
    Map<String, Long> counts = new TreeMap<>();
    RunInfo[] info = new RunInfo[1];
    try (Progress p = Progress.start(spark.sparkContext(), "analyze", description, rowsIn, progress,
        output.progressInterval())) {
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
        info[0] = RunInfo.of(output.runId(), analysis.backend(), analysis.describe(), source, counts,
            precision, (System.nanoTime() - start) / 1e9);
      }, MetricsSchema.valueColumns(), sources);
    }
    store.describe(info[0]);
    return info[0];
  }

  /**
   * Draws the channels of {@code channel.*} and analyses them in one pass, writing only the metrics
   * ({@link DrawnAnalysis}): what {@code generate} then {@code analyze} write, without the channels;
   * the tasks gather the summary of the metrics as they write them, grouped as {@code summary} says
   * (null: no summary gathered).
   */
  static Result drawAndAnalyze(SparkSession spark, OutputSettings output, ChannelSettings channels,
      AnalysisSettings analysis, SummarySettings summary, RunStore store, PrintStream progress) {
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(analysis.backend());
    }
    ChannelSpec c = channels.spec();
    DatasetPaths paths = output.paths();
    AnalysisSpec spec = analysis.spec();
    StructType schema = MetricsSchema.of(Arrays.asList(ChannelsSchema.of(c.precision()).fields()).subList(0, 5),
        spec.refine());
    int partitions = DrawnChannels.partitions(spark, channels);
    long units = (long) c.links() * c.slots();
    String description = "draw and analyze " + c.matrices() + " " + c.rx() + "x" + c.tx() + " "
        + c.model().configName() + " channels on " + analysis.backend() + " -> " + paths.metrics();
    SummaryTap tap = summary != null ? summaryTap(spark, summary, store, schema, "the drawn channels' metrics") : null;
    RunInfo info = publish(spark, store, output, analysis, channels.describe(), c.precision(), description,
        c.matrices(), progress, Map.of(),
        (counter, byStatus) -> tallied(InternalRows.dataFrame(spark, spark.range(0, units, 1, partitions).javaRDD()
            .mapPartitions(new DrawnAnalysis(analysis.backend(), c, spec, analysis.chunkSize(), schema.size())).rdd(),
            schema), counter, byStatus, tap));
    long historyRows = histories(spark, store, analysis, Channels.draw(spark, channels), paths);
    return new Result(paths.metrics(), c.matrices(), c.matrices(), info.statuses(), historyRows, paths.histories(),
        info, tap, partitions);
  }

  /**
   * Reads the channel files of {@code input.*} and analyses them in one pass, writing only the
   * metrics: what {@code ingest} then {@code analyze} write, without the channels; the tasks gather
   * the summary of the metrics as they write them, grouped as {@code summary} says (null: no summary
   * gathered). The files are read in {@code channelPartitions} partitions (0 chooses).
   */
  static Result ingestAndAnalyze(SparkSession spark, OutputSettings output, IngestSpec input, int channelPartitions,
      AnalysisSettings analysis, SummarySettings summary, RunStore store, IngestPlan plan, PrintStream progress) {
    if (spark.sparkContext().isLocal()) {
      Backends.requireAvailable(analysis.backend());
    }
    DatasetPaths paths = output.paths();
    ChannelAnalysis api = ChannelAnalysis.of(analysis);
    StructType schema = api.metricsSchema(plan.schema());
    long per = perPartition(spark, channelPartitions, plan.matrices());
    String description = "ingest and analyze " + plan.matrices() + " matrices from " + input.path() + " on "
        + analysis.backend() + " -> " + paths.metrics();
    SummaryTap tap = summary != null ? summaryTap(spark, summary, store, schema, input.path()) : null;
    int[] partitions = new int[1];
    RunInfo info = publish(spark, store, output, analysis, IngestJob.source(input, plan), plan.precision(),
        description, plan.matrices(), progress, Map.of(),
        (counter, byStatus) -> {
          var rows = plan.rows(spark, per, null);
          partitions[0] = rows.getNumPartitions();
          return tallied(api.metrics(InternalRows.dataFrame(spark, rows, plan.schema())), counter, byStatus, tap);
        });
    Dataset<Row> channels = InternalRows.dataFrame(spark, plan.rows(spark, per, null), plan.schema());
    long historyRows = histories(spark, store, analysis, channels, paths);
    return new Result(paths.metrics(), plan.matrices(), plan.matrices(), info.statuses(), historyRows,
        paths.histories(), info, tap, partitions[0]);
  }

  /**
   * A tap that gathers the summary of metrics rows of {@code schema}, grouped as summary.group-by
   * says (checked against it), in a working directory of this attempt.
   */
  private static SummaryTap summaryTap(SparkSession spark, SummarySettings summary, RunStore store, StructType schema,
      String source) {
    return SummaryTap.start(spark, store.workingDirectory("summary").toString(), schema,
        SummaryAggregation.groupKeys(schema, summary.groupBy(), source), summary.sketchK());
  }

  /** Matrices per partition for a source of {@code matrices}. */
  static long perPartition(SparkSession spark, int given, long matrices) {
    int partitions = DrawnChannels.partitions(spark, given, matrices);
    return (matrices + partitions - 1) / Math.max(1, partitions);
  }

  /**
   * The loss histories of refine.history-sample matrices: those with the smallest hash of (seed,
   * keys), so the choice depends neither on partitioning nor on the order of the rows. They are
   * analysed again (deterministically, so with the same results as in the metrics) with every
   * iteration recorded. Without refinements or samples, a histories dataset left by an earlier run is
   * removed so that it cannot be mistaken for this run's.
   */
  private static long histories(SparkSession spark, RunStore store, AnalysisSettings analysis, Dataset<Row> channels,
      DatasetPaths paths) {
    RefineSpec refine = analysis.spec().refine();
    int sample = refine.historySample();
    if (sample == 0 || refine.isEmpty()) {
      store.remove(DatasetPaths.HISTORIES);
      return -1;
    }
    long seed = analysis.spec().seed();
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
    Dataset<Row> histories = ChannelAnalysis.of(analysis).histories(sampled);
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
