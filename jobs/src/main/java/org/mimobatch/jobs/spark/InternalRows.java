package org.mimobatch.jobs.spark;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.ProjectingInternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Maps the partitions of a DataFrame as Spark's internal rows, the form the Parquet reader
 * produces and the writer consumes, instead of external {@link Row}s: an external row holds every
 * array element boxed, and converting a channel's 128 entries in and the metric arrays out cost
 * a large share of the analysis job (docs/benchmarks.md). Spark's own file formats and
 * spark-rapids work on internal rows for the same reason.
 *
 * <p>Where the input is a columnar scan that Spark would turn into rows (a plain read of Parquet
 * files: {@code ColumnarToRow} over the scan), the rows are views of the scan's column batches
 * instead: {@link ColumnarBatch#rowIterator()} reads each value from its column vector where it
 * lies, and an array is a view of its column's values. Spark's conversion copies every row, its
 * arrays included, into a fresh {@code UnsafeRow} first, which the function then copies again.
 * Such a view is valid until the next row or batch, which is all {@code f} may assume of any
 * input row anyway. Where the input is itself a DataFrame of internal rows made here (a metrics
 * Dataset that a command then counts on its way to the writer, say), {@code f} takes its rows as
 * they are made.
 *
 * <p>Needs the classic (non-Connect) session, which is what mimobatch's jobs run in.
 */
public final class InternalRows {
  private InternalRows() {}

  /**
   * The DataFrame of {@code schema} whose partitions are {@code f} applied to those of {@code input}.
   * Lazy: {@code input} is planned, and with adaptive execution its shuffle stages run, only when
   * an action first asks for the partitions.
   */
  public static Dataset<Row> mapPartitions(Dataset<Row> input, FlatMapFunction<Iterator<InternalRow>, InternalRow> f,
      StructType schema) {
    org.apache.spark.sql.classic.SparkSession session = classic(input.sparkSession());
    return session.internalCreateDataFrame(new Deferred(session.sparkContext(), () -> mapped(input, f)), schema, false);
  }

  private static RDD<InternalRow> mapped(Dataset<Row> input, FlatMapFunction<Iterator<InternalRow>, InternalRow> f) {
    // A DataFrame made of internal rows (dataFrame, or an earlier mapPartitions) and not cached:
    // f takes them as they are made; Spark's plan would copy each into an UnsafeRow first.
    if (input.queryExecution().withCachedData() instanceof org.apache.spark.sql.execution.LogicalRDD made) {
      return made.rdd().toJavaRDD().mapPartitions(f).rdd();
    }
    SparkPlan plan = input.queryExecution().executedPlan();
    SparkPlan scan = columnarScan(plan);
    return scan == null
        ? input.queryExecution().toRdd().toJavaRDD().mapPartitions(f).rdd()
        : scan.executeColumnar().toJavaRDD().mapPartitions(new OverBatches(f, ordinals(plan, scan), plan.schema())).rdd();
  }

  /**
   * An RDD that builds the RDD it stands for when Spark first asks for its partitions or
   * dependencies, on the thread that submits the job (Spark computes both there before it
   * schedules), and then is that RDD partition for partition. Planning a Dataset's RDD runs its
   * adaptive shuffle stages; deferring it keeps a transformation of a joined or repartitioned
   * Dataset lazy.
   */
  private static final class Deferred extends RDD<InternalRow> {
    private static final long serialVersionUID = 1L;
    private transient java.util.function.Supplier<RDD<InternalRow>> build;
    private RDD<InternalRow> built;

    Deferred(org.apache.spark.SparkContext sc, java.util.function.Supplier<RDD<InternalRow>> build) {
      super(sc, CollectionConverters.asScala(List.<org.apache.spark.Dependency<?>>of()).toSeq(),
          scala.reflect.ClassTag$.MODULE$.apply(InternalRow.class));
      this.build = build;
    }

    private synchronized RDD<InternalRow> built() {
      if (built == null) {
        built = build.get();
        build = null;
      }
      return built;
    }

    @Override
    public org.apache.spark.Partition[] getPartitions() {
      return built().partitions();
    }

    @Override
    public scala.collection.immutable.Seq<org.apache.spark.Dependency<?>> getDependencies() {
      return CollectionConverters.asScala(List.<org.apache.spark.Dependency<?>>of(
          new org.apache.spark.OneToOneDependency<>(built()))).toSeq();
    }

    @Override
    public scala.collection.Iterator<InternalRow> compute(org.apache.spark.Partition split,
        org.apache.spark.TaskContext context) {
      return built.iterator(split, context);
    }

    @Override
    public scala.collection.immutable.Seq<String> getPreferredLocations(org.apache.spark.Partition split) {
      return built().preferredLocations(split);
    }
  }

  /**
   * The partitions {@code data} will be computed in, where that is known without running anything;
   * -1 where adaptive execution decides it at run time (its shuffle stages would run to tell).
   */
  public static int partitionsIfPlanned(Dataset<Row> data) {
    if (data.queryExecution().executedPlan() instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec) {
      return -1;
    }
    return data.queryExecution().toRdd().getNumPartitions();
  }

  /** The internal rows of {@code data}, as its plan produces them (copies: each row is Spark's own). */
  public static RDD<InternalRow> rows(Dataset<Row> data) {
    return data.queryExecution().toRdd();
  }

  /** The DataFrame of {@code schema} whose rows are those of {@code rows}. */
  public static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return classic(spark).internalCreateDataFrame(rows, schema, false);
  }

  private static org.apache.spark.sql.classic.SparkSession classic(SparkSession spark) {
    if (!(spark instanceof org.apache.spark.sql.classic.SparkSession session)) {
      throw new IllegalStateException("mimobatch needs a classic Spark session, not Spark Connect ("
          + spark.getClass().getName() + ")");
    }
    return session;
  }

  /**
   * The columnar plan whose batches, turned into rows, are all of {@code plan}; null when {@code
   * plan} does more than that conversion (a filter, an exchange, an adaptive plan), which then
   * runs as Spark planned it, and for nested schemas (structs, maps, lists of them), whose column
   * views Spark's row copy does not cover.
   */
  static SparkPlan columnarScan(SparkPlan plan) {
    SparkPlan p = plan instanceof WholeStageCodegenExec stage ? stage.child() : plan;
    // A projection that only picks columns (dropping a partition column the scan adds, say) is
    // applied to the views by ordinal, without copying.
    if (p instanceof ProjectExec project
        && CollectionConverters.asJava(project.projectList()).stream().allMatch(e -> e instanceof Attribute)) {
      p = project.child();
    }
    if (p instanceof ColumnarToRowExec toRows && toRows.child().supportsColumnar() && isFlat(plan.schema())
        && CollectionConverters.asJava(toRows.child().output()).containsAll(CollectionConverters.asJava(plan.output()))) {
      return toRows.child();
    }
    return null;
  }

  /** Where each column of {@code plan}'s rows lies in the rows of {@code scan}; null when they are the same. */
  private static int[] ordinals(SparkPlan plan, SparkPlan scan) {
    if (plan.output().equals(scan.output())) {
      return null;
    }
    List<Attribute> in = CollectionConverters.asJava(scan.output());
    return CollectionConverters.asJava(plan.output()).stream().mapToInt(in::indexOf).toArray();
  }

  private static boolean isFlat(StructType schema) {
    for (StructField field : schema.fields()) {
      DataType type = field.dataType() instanceof ArrayType list ? list.elementType() : field.dataType();
      if (type instanceof StructType || type instanceof MapType || type instanceof ArrayType) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code f} over the rows of a partition's column batches, one batch after the other, each row
   * seen through {@code ordinals} (its columns, picked from the batch's) unless that is null.
   */
  private record OverBatches(FlatMapFunction<Iterator<InternalRow>, InternalRow> f, int[] ordinals, StructType schema)
      implements FlatMapFunction<Iterator<ColumnarBatch>, InternalRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<InternalRow> call(Iterator<ColumnarBatch> batches) throws Exception {
      Iterator<InternalRow> rows = new Iterator<>() {
        private Iterator<InternalRow> rows = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          // The scan reuses its batch: the next one is asked for only once this one is used up.
          while (!rows.hasNext() && batches.hasNext()) {
            rows = batches.next().rowIterator();
          }
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return rows.next();
        }
      };
      if (ordinals == null) {
        return f.call(rows);
      }
      ProjectingInternalRow view = ProjectingInternalRow.apply(schema,
          CollectionConverters.asScala(Arrays.stream(ordinals).boxed().map(o -> (Object) o).toList()).toSeq());
      return f.call(new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public InternalRow next() {
          view.project(rows.next());
          return view;
        }
      });
    }
  }
}
