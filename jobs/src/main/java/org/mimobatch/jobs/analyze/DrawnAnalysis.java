package org.mimobatch.jobs.analyze;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.ChunkAnalyzer;
import org.mimobatch.pipeline.analysis.ChunkMetrics;
import org.mimobatch.pipeline.analysis.MatrixKey;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.channel.ChannelGenerator;
import org.mimobatch.pipeline.channel.ChannelSpec;

/**
 * Draws and analyses in one pass: the (link, slot) units of a partition are generated straight into
 * a batch and copied chunk by chunk into the analyzer, so no channel is written and read back. The
 * matrices are those {@code generate} writes (the same values, in the same precision), so the
 * metrics rows equal, bit for bit, those of {@code analyze} over a generated channels dataset.
 */
public final class DrawnAnalysis implements FlatMapFunction<Iterator<Long>, InternalRow> {
  private static final long serialVersionUID = 1L;
  /** link, slot, subcarrier, rows, cols: the keys of the channels layout. */
  private static final int KEYS = 5;

  private final String backendName;
  private final ChannelSpec channels;
  private final AnalysisSpec spec;
  private final int chunkSize;
  private final int outputSize;

  /** @param outputSize columns of a metrics row */
  public DrawnAnalysis(String backendName, ChannelSpec channels, AnalysisSpec spec, int chunkSize, int outputSize) {
    this.backendName = backendName;
    this.channels = channels;
    this.spec = spec;
    this.chunkSize = chunkSize;
    this.outputSize = outputSize;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<Long> units) {
    return new Rows(units);
  }

  private final class Rows implements Iterator<InternalRow> {
    private final Iterator<Long> units;
    private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
    private final MetricRows metricRows = new MetricRows(KEYS, spec.snrDb());
    private final ChannelGenerator generator = new ChannelGenerator(channels);
    private final ComplexBatch drawn;
    private LinalgBackend backend;
    private ChunkAnalyzer analyzer;
    private int link;
    private int slot;
    /** The next subcarrier of the current unit to analyse; all done when it equals their number. */
    private int next;
    private boolean done;

    Rows(Iterator<Long> units) {
      this.units = units;
      this.drawn = ComplexBatch.allocate(channels.precision(), channels.rx(), channels.tx(), channels.subcarriers());
      this.next = channels.subcarriers();
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !done) {
        refill();
      }
      return !ready.isEmpty();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    /** Analyses the next chunk of the current unit, drawing the next unit first when it is used up. */
    private void refill() {
      if (next == channels.subcarriers()) {
        if (!units.hasNext()) {
          done = true;
          close();
          return;
        }
        long unit = units.next();
        link = (int) (unit / channels.slots());
        slot = (int) (unit % channels.slots());
        generator.generate(link, slot, drawn);
        next = 0;
      }
      ChunkAnalyzer a = analyzer();
      int count = Math.min(a.capacity(), channels.subcarriers() - next);
      for (int i = 0; i < count; i++) {
        int k = next + i;
        drawn.copyMatrix(k, a.channels(), i);
        a.inputStatus()[i] = MatrixStatus.OK.code();
        a.keys()[i] = MatrixKey.of(link, slot, k);
      }
      ChunkMetrics m = a.analyze(count);
      for (int i = 0; i < count; i++) {
        Object[] values = new Object[outputSize];
        values[0] = link;
        values[1] = slot;
        values[2] = next + i;
        values[3] = channels.rx();
        values[4] = channels.tx();
        ready.add(metricRows.row(values, m, i));
      }
      next += count;
    }

    private ChunkAnalyzer analyzer() {
      if (analyzer == null) {
        backend = TaskBackend.open(backendName, this::close);
        int capacity = ChunkAnalyzer.capacityWithin(AnalyzePartition.CHUNK_BYTES, chunkSize, spec, channels.rx(),
            channels.tx());
        analyzer = new ChunkAnalyzer(backend, spec, channels.precision(), channels.rx(), channels.tx(), capacity);
      }
      return analyzer;
    }

    private void close() {
      if (backend != null) {
        backend.close();
        backend = null;
      }
    }
  }
}
