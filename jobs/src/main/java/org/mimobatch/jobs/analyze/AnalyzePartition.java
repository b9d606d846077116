package org.mimobatch.jobs.analyze;

import org.mimobatch.jobs.io.Limits;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.mimobatch.jobs.spark.Rows;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.ChunkAnalyzer;
import org.mimobatch.pipeline.analysis.ChunkMetrics;
import org.mimobatch.pipeline.analysis.MatrixKey;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.refine.RefineMethod;

/**
 * The analysis of one partition: rows are gathered into chunks of up to {@code chunkSize} matrices
 * of one shape, each chunk goes through the backend in one {@link ChunkAnalyzer#analyze(int)} call,
 * and the chunk's output rows come out: one metrics row per input row, whatever its status, or (in
 * {@link Output#HISTORIES}) one row per refinement iteration of every input matrix. Rows are
 * streamed chunk by chunk; a partition is never held in memory.
 *
 * <p>Rows in and out are Spark's internal rows: matrix entries go straight from the Parquet
 * reader's arrays into the chunk's batch, and metric arrays straight into Spark's array format,
 * with no boxed element anywhere (through {@code Row} each of a row's 128 entries was boxed twice).
 */
public final class AnalyzePartition implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
  private static final long serialVersionUID = 1L;
  /** Work arrays of one chunk stay under this; chunks of large matrices hold fewer than chunk-size. */
  static final long CHUNK_BYTES = 64L << 20;

  /** What a partition produces. */
  public enum Output {
    /** One metrics row per channel row. */
    METRICS,
    /** The loss of every refinement iteration of every channel row (used on the sampled rows). */
    HISTORIES
  }

  private static final UTF8String[] METHOD_NAMES = java.util.Arrays.stream(RefineMethod.values())
      .map(v -> UTF8String.fromString(v.configName())).toArray(UTF8String[]::new);

  private final String backendName;
  private final AnalysisSpec spec;
  private final Precision precision;
  private final int chunkSize;
  private final InputLayout layout;
  private final Output output;

  public AnalyzePartition(String backendName, AnalysisSpec spec, Precision precision, int chunkSize, InputLayout layout,
      Output output) {
    this.backendName = backendName;
    this.spec = spec;
    this.precision = precision;
    this.chunkSize = chunkSize;
    this.layout = layout;
    this.output = output;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> input) {
    return new ChunkRows(input);
  }

  /** The lazily analysed output of one partition. */
  private final class ChunkRows implements Iterator<InternalRow> {
    private final Iterator<InternalRow> input;
    private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
    private final Map<Long, Chunk> chunks = new HashMap<>();
    /** The chunk of the previous row's shape, and that shape. */
    private Chunk last;
    private long lastShape;
    private final MetricRows metricRows = new MetricRows(layout.keyCount(), spec.snrDb());
    private final int outputSize = output == Output.METRICS ? layout.outputSchema().size()
        : layout.historySchema().size();
    private final HistoryBuffer histories = output == Output.HISTORIES ? new HistoryBuffer() : null;
    private LinalgBackend backend;
    private boolean drained;

    ChunkRows(Iterator<InternalRow> input) {
      this.input = input;
    }

    @Override
    public boolean hasNext() {
      return !ready.isEmpty() || refill();
    }

    @Override
    public InternalRow next() {
      InternalRow row = ready.poll();
      if (row == null) {
        if (!refill()) {
          throw new NoSuchElementException();
        }
        row = ready.poll();
      }
      return row;
    }

    /**
     * Takes input rows until a chunk's output rows are ready or the input ends; whether rows are
     * ready. {@link #next} takes a ready row without going through {@link #hasNext}: when it did,
     * the JIT compiled the whole per-row path into it once more (34 KB of code in the first
     * analyze of a JVM, against 0.7 KB now), on cores the tasks need.
     */
    private boolean refill() {
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

    private void accept(InternalRow row) {
      int rows = layout.rows(row);
      int cols = layout.cols(row);
      // The declared shape must be one we analyse and match the stored lists before anything is allocated for it.
      boolean fits = rows >= 1 && cols >= 1 && rows <= Limits.MAX_ANTENNAS && cols <= Limits.MAX_ANTENNAS;
      int entries = rows * cols;
      if (!fits || layout.reLength(row) != entries || layout.imLength(row) != entries) {
        if (output == Output.METRICS) {
          ready.add(failed(layout.keyValues(row, outputSize), MatrixStatus.SHAPE_ERROR));
        }
        return;
      }
      long shape = ((long) rows << 32) | cols;
      // Rows of one shape follow each other: the map (and its boxed key) only when the shape changes.
      if (last == null || shape != lastShape) {
        last = chunks.get(shape);
        if (last == null) {
          last = new Chunk(rows, cols);
          chunks.put(shape, last);
        }
        lastShape = shape;
      }
      last.add(row);
    }

    private InternalRow failed(Object[] values, MatrixStatus status) {
      return metricRows.failed(values, status);
    }

    private LinalgBackend backend() {
      if (backend == null) {
        backend = TaskBackend.open(backendName, this::close);
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
        if (histories != null) {
          analyzer.setHistory(histories);
        }
        this.pending = new Object[capacity][];
        this.re = new double[rows * cols];
        this.im = new double[rows * cols];
      }

      void add(InternalRow row) {
        int k = count;
        if (layout.readEntries(row, re, im)) {
          analyzer.channels().setRowMajor(k, re, im);
          analyzer.inputStatus()[k] = MatrixStatus.OK.code();
        } else {
          analyzer.channels().clear(k);
          analyzer.inputStatus()[k] = MatrixStatus.SHAPE_ERROR.code();
        }
        analyzer.keys()[k] = MatrixKey.of(layout.link(row), layout.slot(row), layout.subcarrier(row));
        pending[k] = layout.keyValues(row, output == Output.METRICS ? outputSize : layout.keyCount());
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
        if (output == Output.METRICS) {
          for (int i = 0; i < count; i++) {
            ready.add(metricsRow(pending[i], m, i));
          }
        } else {
          for (int h = 0; h < histories.size(); h++) {
            ready.add(historyRow(pending[histories.matrix(h)], histories.method(h), histories.iteration(h),
                histories.loss(h)));
          }
          histories.clear();
        }
        java.util.Arrays.fill(pending, 0, count, null);
        count = 0;
      }
    }

    private InternalRow historyRow(Object[] keys, RefineMethod method, int iteration, double loss) {
      Object[] values = java.util.Arrays.copyOf(keys, outputSize);
      values[keys.length] = METHOD_NAMES[method.ordinal()];
      values[keys.length + 1] = iteration;
      values[keys.length + 2] = Double.isFinite(loss) ? loss : null;
      return Rows.of(values);
    }

    private InternalRow metricsRow(Object[] values, ChunkMetrics m, int i) {
      return metricRows.row(values, m, i);
    }
  }
}
