package org.mimobatch.jobs.ingest;

import org.mimobatch.jobs.io.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.mimobatch.jobs.io.ChannelsSchema;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.jobs.io.HadoopConf;
import org.mimobatch.pipeline.batch.Precision;

/**
 * What ingest will read, as the driver found it (only metadata read), and the rows of it. Rows
 * follow the channels layout of {@code generate} plus a {@code source} column naming the file of
 * each matrix; their precision is complex128 if any array is, else complex64.
 */
public final class IngestPlan {
  /** The column naming the file each matrix came from. */
  public static final String SOURCE = "source";

  private final IngestSpec spec;
  private final List<Catalog.Member> members;
  private final long matrices;
  private final Precision precision;

  private IngestPlan(IngestSpec spec, List<Catalog.Member> members) {
    this.spec = spec;
    this.members = members;
    long n = 0;
    Precision p = Precision.SINGLE;
    for (Catalog.Member m : members) {
      long more = m.matrices(spec);
      n = more > Limits.MAX_MATRICES - n ? Long.MAX_VALUE : n + more;
      if (n > Limits.MAX_MATRICES) {
        throw new InputException(m.channels().name() + ": its shape " + java.util.Arrays.toString(m.channels().shape()
            .dims()) + " makes " + (more == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : more) + " matrices"
            + (members.size() > 1 ? " (" + n + " with the files before it)" : "") + ", more than the "
            + Limits.MAX_MATRICES + " one run plans; is the file what it claims (a dataset declared that large"
            + " but never written reads as zeros), or split it across runs");
      }
      if (m.channels().precision() == Precision.DOUBLE) {
        p = Precision.DOUBLE;
      }
    }
    this.matrices = n;
    this.precision = p;
  }

  /** Finds the files of {@code spec} and describes their arrays; fails naming the file and variable. */
  public static IngestPlan of(IngestSpec spec, Configuration conf) {
    return new IngestPlan(spec, Catalog.of(spec, conf));
  }

  /** Matrices the input holds (path-level ones counted after their frequency response). */
  public long matrices() {
    return matrices;
  }

  public Precision precision() {
    return precision;
  }

  /** Distinct files. */
  public long files() {
    return fileNames().size();
  }

  /** The distinct variables read (of a preset's names, those the files have), in order; empty for .npy files. */
  public List<String> variables() {
    return members.stream().map(Catalog.Member::variable).filter(v -> !v.isEmpty()).distinct().toList();
  }

  /** The distinct files read, in order. */
  public List<String> fileNames() {
    return members.stream().map(m -> m.channels().file()).distinct().toList();
  }

  /** The schema of {@link #rows}. */
  public StructType schema() {
    return ChannelsSchema.of(precision).add(SOURCE, DataTypes.StringType, false);
  }

  /**
   * The channel rows, in pieces of about {@code matricesPerPartition} matrices each, one piece per
   * partition; {@code counter} (may be null) counts the matrices read.
   */
  public RDD<InternalRow> rows(SparkSession spark, long matricesPerPartition, LongAccumulator counter) {
    List<Piece> pieces = Piece.plan(members, spec, Math.max(1, matricesPerPartition));
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<Catalog.Member> m = members;
    IngestSpec s = spec;
    Precision p = precision;
    return new JavaSparkContext(spark.sparkContext()).parallelize(pieces, Math.max(1, pieces.size()))
        .mapPartitions(it -> {
          IngestRows rows = new IngestRows(m, s, p, it, conf, counter);
          TaskContext task = TaskContext.get();
          if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> {
              try {
                rows.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
          }
          return rows;
        }).rdd();
  }
}
