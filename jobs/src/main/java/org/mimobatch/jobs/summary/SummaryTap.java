package org.mimobatch.jobs.summary;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.mimobatch.jobs.io.HadoopConf;

/**
 * The summary gathered in the pass that writes the metrics, so that {@code run} need not read them
 * back: each task folds the metrics rows it produces into one {@link GroupStats} per group, and
 * when it has produced them all, leaves those in a file of its own under a hidden directory (named
 * by its partition and attempt, written under a temporary name and renamed). {@link #states} then
 * reads one file per partition — any attempt's: a partition's rows are the same in every attempt —
 * for {@link SummaryAggregation} to merge through the shuffle. Nothing goes to the driver but the
 * files' names.
 */
public final class SummaryTap implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String PART = "part-";

  private final String directory;
  private final SummaryLayout layout;
  private final List<StructField> keyFields;
  private final int k;
  private final HadoopConf hadoop;

  private SummaryTap(String directory, SummaryLayout layout, List<StructField> keyFields, int k, HadoopConf hadoop) {
    this.directory = directory;
    this.layout = layout;
    this.keyFields = keyFields;
    this.k = k;
    this.hadoop = hadoop;
  }

  /**
   * A tap for metrics rows of {@code schema} grouped by {@code keys} (validated against it), whose
   * tasks leave their files in directory {@code dir} (a hidden working directory of the command).
   */
  public static SummaryTap start(SparkSession spark, String dir, StructType schema, List<String> keys, int k) {
    return new SummaryTap(dir, new SummaryLayout(schema, keys), SummaryLayout.keyFields(schema, keys), k,
        new HadoopConf(spark.sparkContext().hadoopConfiguration()));
  }

  List<StructField> keyFields() {
    return keyFields;
  }

  List<String> keys() {
    return layout.keys;
  }

  int k() {
    return k;
  }

  List<org.mimobatch.pipeline.refine.RefineMethod> refinements() {
    return layout.refinements;
  }

  /** Folds every row of {@code rows} as it passes; once they are all out, writes the task's file. */
  public Iterator<InternalRow> tap(Iterator<InternalRow> rows) {
    GroupFolder folder = new GroupFolder(layout, k);
    return new Iterator<>() {
      private boolean written;

      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more && !written) {
          written = true;
          write(folder.groups());
        }
        return more;
      }

      @Override
      public InternalRow next() {
        InternalRow row = rows.next();
        folder.add(row);
        return row;
      }
    };
  }

  private void write(Map<List<Object>, GroupStats> groups) {
    TaskContext task = TaskContext.get();
    String name = String.format("%s%05d-%d", PART, task.partitionId(), task.taskAttemptId());
    Path dir = new Path(directory);
    try {
      FileSystem fs = dir.getFileSystem(hadoop.get());
      Path temporary = new Path(dir, "_" + name);
      try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(fs.create(temporary, true)))) {
        out.writeInt(groups.size());
        for (Map.Entry<List<Object>, GroupStats> e : groups.entrySet()) {
          out.writeObject(new ArrayList<>(e.getKey()));
          out.writeObject(e.getValue().toBytes());
        }
      }
      if (!fs.rename(temporary, new Path(dir, name))) {
        throw new IOException("could not rename " + temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the summary of partition " + task.partitionId() + " under "
          + directory, e);
    }
  }

  /**
   * The tasks' states, one row per group and partition (the key values, then the state), from one
   * file per partition 0 … {@code partitions} − 1; null when a partition left none.
   */
  JavaRDD<InternalRow> states(SparkSession spark, int partitions) {
    Map<Integer, String> chosen = new TreeMap<>();
    Path dir = new Path(directory);
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir)) {
        for (FileStatus f : fs.listStatus(dir, p -> p.getName().startsWith(PART))) {
          chosen.putIfAbsent(partitionOf(f.getPath().getName()), f.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    if (chosen.size() != partitions) {
      return null;
    }
    if (partitions == 0) {
      return JavaSparkContext.fromSparkContext(spark.sparkContext()).emptyRDD();
    }
    return spark.sparkContext().binaryFiles(String.join(",", chosen.values()), spark.sparkContext().defaultParallelism())
        .toJavaRDD().flatMap(file -> {
          int task = partitionOf(new Path(file._1()).getName());
          List<InternalRow> rows = new ArrayList<>();
          try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(file._2().open()))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
              @SuppressWarnings("unchecked")
              List<Object> key = (List<Object>) in.readObject();
              rows.add(SummaryAggregation.stateRow(key, task, (byte[]) in.readObject()));
            }
          }
          return rows.iterator();
        });
  }

  /** The partition of a task's file, part-PARTITION-ATTEMPT. */
  private static int partitionOf(String name) {
    return Integer.parseInt(name.substring(PART.length(), name.indexOf('-', PART.length())));
  }

  /** Removes the tasks' files (every attempt's). */
  public void delete(SparkSession spark) {
    Path dir = new Path(directory);
    try {
      dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + directory, e);
    }
  }
}
