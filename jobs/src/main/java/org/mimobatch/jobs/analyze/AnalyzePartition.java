package org.mimobatch.jobs.analyze;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.mimobatch.jobs.config.Settings;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.ChunkAnalyzer;
import org.mimobatch.pipeline.analysis.ChunkMetrics;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * The analysis of one partition: rows are gathered into chunks of up to {@code chunkSize} matrices
 * of one shape, each chunk goes through the backend in one {@link ChunkAnalyzer#analyze(int)} call,
 * and one metrics row comes out per input row, whatever its status. Rows are streamed chunk by chunk;
 * a partition is never held in memory.
 */
public final class AnalyzePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final long KEY_DOMAIN = 0x6B6579L;
  /** Work arrays of one chunk stay under this; chunks of large matrices hold fewer than chunk-size. */
  static final long CHUNK_BYTES = 64L << 20;

  private final String backendName;
  private final AnalysisSpec spec;
  private final Precision precision;
  private final int chunkSize;
  private final InputLayout layout;

  public AnalyzePartition(String backendName, AnalysisSpec spec, Precision precision, int chunkSize, InputLayout layout) {
    this.backendName = backendName;
    this.spec = spec;
    this.precision = precision;
    this.chunkSize = chunkSize;
    this.layout = layout;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Rows(input);
  }

  /** The lazily analysed output of one partition. */
  private final class Rows implements Iterator<Row> {
    private final Iterator<Row> input;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private final Map<Long, Chunk> chunks = new HashMap<>();
    private final double[] snrDb = spec.snrDb();
    private LinalgBackend backend;
    private boolean drained;

    Rows(Iterator<Row> input) {
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !drained) {
        if (input.hasNext()) {
          accept(input.next());
        } else {
          for (Chunk c : chunks.values()) {
            c.flush();
          }
          drained = true;
          close();
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void accept(Row row) {
      int rows = layout.rows(row);
      int cols = layout.cols(row);
      // The declared shape must be one we analyse and match the stored lists before anything is allocated for it.
      boolean fits = rows >= 1 && cols >= 1 && rows <= Settings.MAX_ANTENNAS && cols <= Settings.MAX_ANTENNAS;
      int entries = rows * cols;
      if (!fits || ArrayValues.length(layout.re(row)) != entries || ArrayValues.length(layout.im(row)) != entries) {
        ready.add(failed(layout.outputValues(row), MatrixStatus.SHAPE_ERROR));
        return;
      }
      long shape = ((long) rows << 32) | cols;
      Chunk chunk = chunks.get(shape);
      if (chunk == null) {
        chunk = new Chunk(rows, cols);
        chunks.put(shape, chunk);
      }
      chunk.add(row);
    }

    private Row failed(Object[] values, MatrixStatus status) {
      int m = layout.firstMetricIndex();
      values[m] = status.label();
      values[m + 1] = snrDb;
      return RowFactory.create(values);
    }

    private LinalgBackend backend() {
      if (backend == null) {
        backend = Backends.open(backendName);
        TaskContext task = TaskContext.get();
        if (task != null) {
          // Frees native buffers even when the task fails or stops reading early.
          task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> close());
        }
      }
      return backend;
    }

    private void close() {
      if (backend != null) {
        backend.close();
        backend = null;
      }
    }

    /** Pending rows of one shape and the analyzer that takes them. */
    private final class Chunk {
      private final ChunkAnalyzer analyzer;
      /** The output values (keys filled in) of the pending rows; the matrices are in the analyzer. */
      private final Object[][] pending;
      private final double[] re;
      private final double[] im;
      private int count;

      Chunk(int rows, int cols) {
        int capacity = ChunkAnalyzer.capacityWithin(CHUNK_BYTES, chunkSize, spec, rows, cols);
        this.analyzer = new ChunkAnalyzer(backend(), spec, precision, rows, cols, capacity);
        this.pending = new Object[capacity][];
        this.re = new double[rows * cols];
        this.im = new double[rows * cols];
      }

      void add(Row row) {
        int k = count;
        boolean readable = ArrayValues.read(layout.re(row), re) >= 0 && ArrayValues.read(layout.im(row), im) >= 0;
        if (readable) {
          analyzer.channels().setRowMajor(k, re, im);
          analyzer.inputStatus()[k] = MatrixStatus.OK.code();
        } else {
          analyzer.channels().clear(k);
          analyzer.inputStatus()[k] = MatrixStatus.SHAPE_ERROR.code();
        }
        analyzer.keys()[k] = SplitMix.streamSeed(0, KEY_DOMAIN, layout.link(row), layout.slot(row), layout.subcarrier(row));
        pending[k] = layout.outputValues(row);
        count++;
        if (count == pending.length) {
          flush();
        }
      }

      void flush() {
        if (count == 0) {
          return;
        }
        ChunkMetrics m = analyzer.analyze(count);
        for (int i = 0; i < count; i++) {
          ready.add(metricsRow(pending[i], m, i));
          pending[i] = null;
        }
        count = 0;
      }
    }

    private Row metricsRow(Object[] values, ChunkMetrics m, int i) {
      if (!m.ok(i)) {
        return failed(values, m.status(i));
      }
      int x = layout.firstMetricIndex();
      values[x++] = MatrixStatus.OK.label();
      values[x++] = snrDb;
      double[] sv = new double[m.rank()];
      for (int j = 0; j < sv.length; j++) {
        sv[j] = m.singularValue(i, j);
      }
      values[x++] = sv;
      values[x++] = m.reconError(i);
      values[x++] = m.orthError(i);
      values[x++] = m.condDb(i);
      values[x++] = m.effectiveRank(i);
      values[x++] = m.eigGap(i);
      int snr = m.snrCount();
      double[] capacity = new double[snr];
      double[] capacityWf = new double[snr];
      double[] zf = m.hasZeroForcing() ? new double[snr] : null;
      for (int s = 0; s < snr; s++) {
        capacity[s] = m.capacity(i, s);
        capacityWf[s] = m.capacityWf(i, s);
        if (zf != null) {
          zf[s] = m.zfMse(i, s);
        }
      }
      values[x++] = capacity;
      values[x++] = capacityWf;
      values[x] = zf;
      return RowFactory.create(values);
    }
  }
}
