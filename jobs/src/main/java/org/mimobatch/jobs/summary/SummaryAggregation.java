package org.mimobatch.jobs.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.jobs.config.SettingsException;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.DatasetPaths;
import org.mimobatch.jobs.io.MetricsSchema;
import org.mimobatch.jobs.io.RunStore;
import org.mimobatch.jobs.io.SummarySchema;
import org.mimobatch.jobs.spark.InternalRows;
import org.mimobatch.jobs.spark.Rows;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.refine.RefineColumn;
import org.mimobatch.pipeline.refine.RefineMethod;

/**
 * The summary, distributions and sketches of metrics rows, as a Spark aggregation: each task folds
 * its rows into one {@link GroupStats} per group and emits each as a row (keys and state); a
 * {@code groupBy} over the group keys merges the states of each group through the shuffle
 * (partially on the executors, finally on the reducers), and every output row is made from a
 * group's merged statistics on an executor. Nothing per task or per group
 * reaches the driver, so the driver's memory does not grow with tasks × groups.
 *
 * <p>Stored sketches of earlier runs are parts too: {@link #ofSketches} merges them without
 * reading their metrics again.
 */
public final class SummaryAggregation {
  private static final String STATE = "state";
  private static final String TASK = "task";
  /** Most partial states of one group that one reducer merges. */
  private static final int FAN_IN = 64;
  private static final StructType PART = SummarySchema.sketchFields();

  private final Dataset<Row> groups;
  private final int k;
  private final List<StructField> keyFields;
  private final double[] quantiles;
  private final List<RefineMethod> refinements;

  private SummaryAggregation(Dataset<Row> groups, int k, List<StructField> keyFields, double[] quantiles,
      List<RefineMethod> refinements) {
    this.groups = groups;
    this.k = k;
    this.keyFields = keyFields;
    this.quantiles = quantiles;
    this.refinements = refinements;
  }

  /**
   * The aggregation of {@code metrics} (any dataset with the metric columns; others are ignored
   * unless they are {@code keys}) grouped by {@code keys} (rows, cols and the group-by columns,
   * validated against its schema), with {@code quantiles} of the capacity and sketches of parameter k.
   */
  public static SummaryAggregation ofMetrics(Dataset<Row> metrics, List<String> keys, double[] quantiles, int k) {
    List<String> read = new ArrayList<>(keys);
    read.add(MetricsSchema.STATUS);
    read.add(MetricsSchema.SNR_DB);
    for (Metric m : Metric.values()) {
      read.add(m.column());
    }
    List<RefineMethod> refinements = refinements(metrics.schema());
    for (RefineMethod m : refinements) {
      for (RefineColumn c : List.of(RefineColumn.STATUS, RefineColumn.ITERATIONS, RefineColumn.ERROR)) {
        read.add(c.column(m));
      }
    }
    // Only the columns the summary reads, in the order the metrics hold them: a Parquet scan then
    // decodes no others, and hands its column batches on without a projection that copies each row.
    Column[] columns = Arrays.stream(metrics.columns()).filter(read::contains).map(functions::col)
        .toArray(Column[]::new);
    Dataset<Row> pruned = metrics.select(columns);
    SummaryLayout layout = new SummaryLayout(pruned.schema(), keys);
    List<StructField> keyFields = SummaryLayout.keyFields(pruned.schema(), keys);
    Dataset<Row> states = InternalRows.mapPartitions(pruned, new PartialSummary(layout, k), stateSchema(keyFields));
    // Where Spark decides the task count only at run time (a shuffle before the summary), merge in
    // two levels, which is right for any count, rather than run the stages to learn it.
    int tasks = InternalRows.partitionsIfPlanned(pruned);
    return ofStates(states, tasks < 0 ? FAN_IN + 1 : tasks, keys, keyFields, quantiles, k, refinements);
  }

  /**
   * The aggregation of what {@code tap} gathered in a pass of {@code partitions} tasks over metrics
   * rows; null when a partition left no state (then read the metrics).
   */
  public static SummaryAggregation ofTap(SparkSession spark, SummaryTap tap, int partitions, double[] quantiles) {
    JavaRDD<InternalRow> rows = tap.states(spark, partitions);
    if (rows == null) {
      return null;
    }
    Dataset<Row> states = InternalRows.dataFrame(spark, rows.rdd(), stateSchema(tap.keyFields()));
    return ofStates(states, partitions, tap.keys(), tap.keyFields(), quantiles, tap.k(), tap.refinements());
  }

  /** The partial states' schema: the keys, the task that made the state, the state. */
  private static StructType stateSchema(List<StructField> keyFields) {
    return new StructType(keyFields.toArray(new StructField[0])).add(TASK, DataTypes.IntegerType, false)
        .add(STATE, DataTypes.BinaryType, false);
  }

  /**
   * The aggregation of partial states made by {@code tasks} tasks. Beyond {@value #FAN_IN} tasks the
   * states of a group merge in two levels, first in up to {@value #FAN_IN} sets (by task) on as many
   * reducers, so that no reducer merges a state per task of a group: an ungrouped summary of 15,000
   * tasks would otherwise send every task's sketches to one.
   */
  private static SummaryAggregation ofStates(Dataset<Row> states, int tasks, List<String> keys,
      List<StructField> keyFields, double[] quantiles, int k, List<RefineMethod> refinements) {
    Column merged = functions.udaf(new MergeStates(k), Encoders.BINARY()).apply(functions.col(STATE)).as(STATE);
    Dataset<Row> input = states;
    if (tasks > FAN_IN) {
      List<String> sets = new ArrayList<>(keys);
      sets.add(TASK);
      input = grouped(states.withColumn(TASK, functions.pmod(functions.col(TASK), functions.lit(FAN_IN))), sets)
          .agg(merged);
    }
    return new SummaryAggregation(grouped(input, keys).agg(merged), k, keyFields, quantiles.clone(),
        List.copyOf(refinements));
  }

  /**
   * The aggregation of stored sketches (of one run or many, with the columns of {@link
   * SummarySchema#sketches}) grouped by {@code keys}, each of which must be a column of them:
   * groups of finer keys merge into the coarser ones.
   */
  public static SummaryAggregation ofSketches(Dataset<Row> sketches, List<String> keys, double[] quantiles, int k,
      List<RefineMethod> refinements) {
    List<Column> columns = new ArrayList<>();
    for (String key : keys) {
      columns.add(functions.col(key));
    }
    for (StructField f : PART.fields()) {
      columns.add(functions.col(f.name()));
    }
    Dataset<Row> parts = sketches.select(columns.toArray(new Column[0]));
    List<StructField> keyFields = SummaryLayout.keyFields(parts.schema(), keys);
    Column[] partColumns = Arrays.stream(PART.fieldNames()).map(functions::col).toArray(Column[]::new);
    Column merged = functions.udaf(new MergeParts(k), Encoders.row(PART)).apply(partColumns).as(STATE);
    return new SummaryAggregation(grouped(parts, keys).agg(merged), k, keyFields, quantiles.clone(),
        List.copyOf(refinements));
  }

  /**
   * {@code rows} grouped by {@code keys} after a shuffle into as many partitions as the cluster has
   * cores, which the aggregation keeps: its own would have spark.sql.shuffle.partitions, which Spark
   * cannot coalesce once the groups are cached for the three outputs. The rows come a few per group
   * and task, so a combine before the shuffle would save little.
   */
  private static RelationalGroupedDataset grouped(Dataset<Row> rows, List<String> keys) {
    Column[] columns = keys.stream().map(functions::col).toArray(Column[]::new);
    int partitions = Math.max(1, rows.sparkSession().sparkContext().defaultParallelism());
    return rows.repartition(partitions, columns).groupBy(columns);
  }

  /**
   * The rank error of a quantile of the summary or the distributions, as a fraction of its group's
   * count, with sketches of parameter k (99 % confidence; exact up to k values).
   */
  public static double rankError(int k) {
    return Quantiles.rankError(k);
  }

  /** The refinements whose columns a metrics schema has, in declared order. */
  public static List<RefineMethod> refinements(StructType metrics) {
    List<String> names = Arrays.asList(metrics.fieldNames());
    return Arrays.stream(RefineMethod.values()).filter(m -> names.contains(RefineColumn.STATUS.column(m))).toList();
  }

  /**
   * The refinements that stored sketches hold parts of, in declared order: a small Spark job over
   * their metric names (a few dozen distinct values).
   */
  public static List<RefineMethod> refinementsIn(Dataset<Row> sketches) {
    List<String> names = sketches.select(SummarySchema.METRIC).distinct().as(Encoders.STRING()).collectAsList();
    return Arrays.stream(RefineMethod.values())
        .filter(m -> names.contains(m.columnPrefix() + SummarySchema.REFINE_MATRICES)).toList();
  }

  /** The refinements the summary has columns for, in order. */
  public List<RefineMethod> refinements() {
    return refinements;
  }

  /** The summary: one row per group and SNR ({@link SummarySchema#of}), ordered by the keys, then SNR, in one file. */
  public Dataset<Row> summary() {
    StructType schema = SummarySchema.of(keyFields, quantiles, refinements);
    double[] q = quantiles;
    List<RefineMethod> r = refinements;
    int keys = keyFields.size();
    return ordered(groups.flatMap((FlatMapFunction<Row, Row>) row ->
        SummaryTables.summaryRows(key(row, keys), state(row, keys), q, r).iterator(), Encoders.row(schema)),
        MetricsSchema.SNR_DB);
  }

  /**
   * The quantile points of every distribution metric per group, ordered by the keys, then metric,
   * snr_db and index, in one file.
   */
  public Dataset<Row> distributions() {
    StructType schema = SummaryTables.distributionSchema(keyFields);
    List<RefineMethod> r = refinements;
    int keys = keyFields.size();
    return ordered(groups.flatMap((FlatMapFunction<Row, Row>) row ->
        SummaryTables.distributionRows(key(row, keys), state(row, keys), r).iterator(), Encoders.row(schema)),
        SummarySchema.METRIC, MetricsSchema.SNR_DB, SummarySchema.INDEX);
  }

  /** The mergeable statistics behind both ({@link SummarySchema#sketches}). */
  public Dataset<Row> sketches() {
    int keys = keyFields.size();
    return groups.flatMap((FlatMapFunction<Row, Row>) row ->
        SummaryTables.sketchRows(key(row, keys), state(row, keys)).iterator(),
        Encoders.row(SummarySchema.sketches(keyFields)));
  }

  /** {@code rows} sorted by the keys, then {@code more}, in one partition: small, and read in order. */
  private Dataset<Row> ordered(Dataset<Row> rows, String... more) {
    List<Column> order = new ArrayList<>();
    keyFields.forEach(f -> order.add(functions.col(f.name())));
    Arrays.stream(more).forEach(c -> order.add(functions.col(c)));
    return rows.repartition(1).sortWithinPartitions(order.toArray(new Column[0]));
  }

  private static List<Object> key(Row row, int keys) {
    List<Object> key = new ArrayList<>(keys);
    for (int i = 0; i < keys; i++) {
      key.add(row.get(i));
    }
    return key;
  }

  private static GroupStats state(Row row, int keys) {
    return GroupStats.fromBytes((byte[]) row.get(keys));
  }

  /** What {@link #write} wrote, with the rows of each dataset. */
  public record Result(String path, long rows, String distributionsPath, long distributions, String sketchesPath,
      long sketches) {}

  /**
   * Writes the sketches, the summary and the distributions as {@code store}'s versions (made from
   * {@code sources}, by dataset: the metrics' attempt, say), pending its commit, aggregating
   * once: the merged groups are kept by Spark until all three are written, on disk (they can be as
   * large as the sketches, and a summary should not take the tasks' memory).
   */
  public Result write(RunStore store, Map<String, String> sources) {
    groups.persist(StorageLevel.DISK_ONLY());
    try {
      store.write(DatasetPaths.SKETCHES, sketches(), files -> { }, List.of(), sources);
      store.write(DatasetPaths.SUMMARY, summary(), files -> { }, List.of(), sources);
      store.write(DatasetPaths.DISTRIBUTIONS, distributions(), files -> { }, List.of(), sources);
    } finally {
      groups.unpersist();
    }
    DatasetPaths paths = store.paths();
    return new Result(paths.summary(), store.entry(DatasetPaths.SUMMARY).rows(), paths.distributions(),
        store.entry(DatasetPaths.DISTRIBUTIONS).rows(), paths.sketches(), store.entry(DatasetPaths.SKETCHES).rows());
  }

  /**
   * A task's partial aggregate: its metrics rows folded into one {@link GroupStats} per group, which
   * leave as parts (key values first) once the partition is read.
   */
  private static final class PartialSummary implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final SummaryLayout layout;
    private final int k;

    PartialSummary(SummaryLayout layout, int k) {
      this.layout = layout;
      this.k = k;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      GroupFolder folder = new GroupFolder(layout, k);
      while (rows.hasNext()) {
        folder.add(rows.next());
      }
      List<InternalRow> out = new ArrayList<>();
      int task = TaskContext.getPartitionId();
      folder.groups().forEach((key, stats) -> out.add(stateRow(key, task, stats.toBytes())));
      return out.iterator();
    }
  }

  /** A row of the partial states: the key values as Spark holds them, the task that made it, the state. */
  static InternalRow stateRow(List<Object> key, int task, byte[] state) {
    Object[] v = new Object[key.size() + 2];
    int i = 0;
    for (Object value : key) {
      v[i++] = value instanceof String s ? UTF8String.fromString(s) : value;
    }
    v[i++] = task;
    v[i] = state;
    return Rows.of(v);
  }

  /** Merges the partial states of a group (one per task that saw it) into its {@link GroupStats}. */
  private static final class MergeStates extends Aggregator<byte[], GroupStats, byte[]> {
    private static final long serialVersionUID = 1L;
    private final int k;

    MergeStates(int k) {
      this.k = k;
    }

    @Override
    public GroupStats zero() {
      return new GroupStats(k);
    }

    @Override
    public GroupStats reduce(GroupStats b, byte[] state) {
      b.merge(GroupStats.fromBytes(state));
      return b;
    }

    @Override
    public GroupStats merge(GroupStats a, GroupStats b) {
      a.merge(b);
      return a;
    }

    @Override
    public byte[] finish(GroupStats b) {
      return b.toBytes();
    }

    @Override
    public Encoder<GroupStats> bufferEncoder() {
      return Encoders.javaSerialization(GroupStats.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
      return Encoders.BINARY();
    }
  }

  /** Merges a group's stored parts into its {@link GroupStats}; the buffer travels Java-serialized (as parts). */
  private static final class MergeParts extends Aggregator<Row, GroupStats, byte[]> {
    private static final long serialVersionUID = 1L;
    private final int k;

    MergeParts(int k) {
      this.k = k;
    }

    @Override
    public GroupStats zero() {
      return new GroupStats(k);
    }

    @Override
    public GroupStats reduce(GroupStats b, Row p) {
      b.add(new GroupStats.Part(p.isNullAt(0) ? null : p.getDouble(0), p.getString(1),
          p.isNullAt(2) ? null : p.getInt(2), p.getLong(3), p.isNullAt(4) ? null : p.getDouble(4),
          p.isNullAt(5) ? null : p.getDouble(5), p.isNullAt(6) ? null : p.getDouble(6),
          p.isNullAt(7) ? null : Quantiles.fromBytes((byte[]) p.get(7), k)));
      return b;
    }

    @Override
    public GroupStats merge(GroupStats a, GroupStats b) {
      a.merge(b);
      return a;
    }

    @Override
    public byte[] finish(GroupStats b) {
      return b.toBytes();
    }

    @Override
    public Encoder<GroupStats> bufferEncoder() {
      return Encoders.javaSerialization(GroupStats.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
      return Encoders.BINARY();
    }
  }

  /** rows, cols, then the configured keys; each must be a scalar key column of the metrics. */
  public static List<String> groupKeys(StructType metrics, List<String> groupBy, String path) {
    List<String> keys = new ArrayList<>(List.of(ChannelsSchema.ROWS, ChannelsSchema.COLS));
    List<String> metricColumns = MetricsSchema.metricFields().stream().map(f -> f.name()).toList();
    List<String> columns = Arrays.asList(metrics.fieldNames());
    // run_id is the one key every metrics row has besides the channel keys.
    for (String g : groupBy) {
      if (!columns.contains(g)) {
        throw new SettingsException("summary.group-by: " + path + " has no column '" + g + "'; its key columns are "
            + columns.stream().filter(c -> !metricColumns.contains(c)).toList());
      }
      if (g.equals(MetricsSchema.SNR_DB)) {
        throw new SettingsException("summary.group-by: snr_db is always grouped; list only key columns such as "
            + ChannelsSchema.SUBCARRIER);
      }
      if (metricColumns.contains(g)) {
        throw new SettingsException("summary.group-by: '" + g + "' is a metric, not a key; group by key columns such as "
            + ChannelsSchema.SUBCARRIER);
      }
      if (!keys.contains(g)) {
        keys.add(g);
      }
    }
    return keys;
  }
}
