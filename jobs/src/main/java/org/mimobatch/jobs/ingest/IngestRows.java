package org.mimobatch.jobs.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.mimobatch.jobs.io.HadoopConf;
import org.mimobatch.jobs.spark.Rows;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.FrequencyResponse;

/**
 * The channel rows of one partition's pieces, read slab by slab: a slab at a time in memory
 * ({@link Piece#SLAB_ELEMENTS} elements), every matrix of it turned into a row of the channels
 * layout (link, slot, subcarrier, rows, cols, re, im, source), path-level groups first turned into
 * their frequency responses.
 */
final class IngestRows implements Iterator<InternalRow>, Closeable {
  private final List<Catalog.Member> members;
  private final IngestSpec spec;
  private final Precision precision;
  private final Iterator<Piece> pieces;
  private final HadoopConf conf;
  private final LongAccumulator counter;

  private Piece piece;
  private Catalog.Member member;
  private SlabReader reader;
  private double[] delays;
  private long nextFrom;
  private Matrices matrices;

  IngestRows(List<Catalog.Member> members, IngestSpec spec, Precision precision, Iterator<Piece> pieces, HadoopConf conf,
      LongAccumulator counter) {
    this.members = members;
    this.spec = spec;
    this.precision = precision;
    this.pieces = pieces;
    this.conf = conf;
    this.counter = counter;
  }

  @Override
  public boolean hasNext() {
    try {
      while (matrices == null || !matrices.hasNext()) {
        if (!nextSlab()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(member.channels().name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InternalRow next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return matrices.next();
  }

  /** Reads the next slab of this piece, or of the next one; false when every piece is done. */
  private boolean nextSlab() throws IOException {
    while (piece == null || nextFrom >= piece.from() + piece.count()) {
      closeReader();
      if (!pieces.hasNext()) {
        return false;
      }
      piece = pieces.next();
      member = members.get(piece.member());
      FileSystem fs = new Path(member.channels().file()).getFileSystem(conf.get());
      delays = member.delays() == null ? null : readWhole(member.delays(), fs);
      reader = Readers.open(member.channels(), fs);
      nextFrom = piece.from();
    }
    StoredArray a = member.channels();
    long count = piece.axis() < 0 ? 1 : Math.min(piece.step(a), piece.from() + piece.count() - nextFrom);
    Slab slab = new Slab(a.shape(), piece.axis(), nextFrom, count);
    double[] buffer = new double[(int) (2 * slab.elements(a.shape()))];
    reader.read(piece.axis(), nextFrom, count, buffer);
    nextFrom += count;
    matrices = new Matrices(member, slab, buffer, delays, spec, precision);
    if (counter != null) {
      counter.add(matrices.total());
    }
    return true;
  }

  /** The whole of {@code a} (the delays beside path gains); an error names it rather than the channels. */
  private static double[] readWhole(StoredArray a, FileSystem fs) {
    double[] values = new double[(int) (2 * a.shape().elements())];
    try (SlabReader r = Readers.open(a, fs)) {
      r.read(-1, 0, 1, values);
    } catch (IOException e) {
      throw new UncheckedIOException(a.name() + ": " + e.getMessage(), e);
    }
    return values;
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  /** Closes the file in hand: the task calls it when it ends, also when it failed or stopped reading early. */
  @Override
  public void close() throws IOException {
    closeReader();
  }

  /**
   * The matrices of one slab, in the order of their keys' odometer: the split axis within the slab,
   * every other key axis whole.
   */
  static final class Matrices implements Iterator<InternalRow> {
    private final Catalog.Member member;
    private final ArrayShape shape;
    private final Slab slab;
    private final double[] buffer;
    private final double[] delays;
    private final IngestSpec spec;
    private final Precision precision;
    private final int rows;
    private final int cols;
    private final int rx;
    private final int tx;
    private final int path;
    /** Buffer distance (in doubles) from an entry's real part to its imaginary part. */
    private final long imaginary;
    private final int[] keyAxes;
    private final long[] index;
    private final UTF8String source;
    /** Path-level: the responses of the current group, one matrix per subcarrier, and the next to emit. */
    private final double[] response;
    private final double[] taps;
    private final double[] phases;
    private final double[] pathDelays;
    /** The delay of each path and antenna pair of the current group, path-major. */
    private final double[] entryDelays;
    private int nextSubcarrier;
    private int groupLink;
    private int groupSlot;
    private boolean more;

    Matrices(Catalog.Member member, Slab slab, double[] buffer, double[] delays, IngestSpec spec, Precision precision) {
      this.member = member;
      this.shape = member.channels().shape();
      this.slab = slab;
      this.buffer = buffer;
      this.delays = delays;
      this.spec = spec;
      this.precision = precision;
      this.rx = shape.indexOf(Axis.RX);
      this.tx = shape.indexOf(Axis.TX);
      this.path = shape.indexOf(Axis.PATH);
      this.rows = (int) shape.size(Axis.RX);
      this.cols = (int) shape.size(Axis.TX);
      int reim = shape.indexOf(Axis.REIM);
      // Of a real array with a reim axis, the imaginary part is the (real) element at reim = 1.
      this.imaginary = reim < 0 ? 1 : 2 * slab.stride(reim);
      int n = 0;
      int[] keys = new int[shape.rank()];
      for (int i = 0; i < shape.rank(); i++) {
        if (!shape.axis(i).inMatrix()) {
          keys[n++] = i;
        }
      }
      this.keyAxes = Arrays.copyOf(keys, n);
      this.index = new long[shape.rank()];
      if (slab.axis >= 0) {
        index[slab.axis] = slab.from;
      }
      this.source = UTF8String.fromString(member.channels().file());
      int entries = 2 * rows * cols;
      if (path >= 0) {
        int paths = (int) shape.dim(path);
        this.response = new double[spec.subcarriers() * entries];
        this.taps = new double[paths * entries];
        this.phases = new double[2 * spec.subcarriers() * paths];
        this.pathDelays = new double[paths];
        this.entryDelays = new double[paths * rows * cols];
        this.nextSubcarrier = spec.subcarriers();
      } else {
        this.response = null;
        this.taps = null;
        this.phases = null;
        this.pathDelays = null;
        this.entryDelays = null;
      }
      this.more = true;
    }

    /** Matrices this slab yields. */
    long total() {
      long groups = 1;
      for (int i : keyAxes) {
        groups *= i == slab.axis ? slab.count : shape.dim(i);
      }
      return path >= 0 ? groups * spec.subcarriers() : groups;
    }

    @Override
    public boolean hasNext() {
      return more || path >= 0 && nextSubcarrier < spec.subcarriers();
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (path >= 0) {
        if (nextSubcarrier == spec.subcarriers()) {
          respond();
          groupLink = link();
          groupSlot = slot();
          nextSubcarrier = 0;
          advance();
        }
        int k = nextSubcarrier++;
        return row(groupLink, groupSlot, k, response, (long) k * 2 * rows * cols, 2L * cols, 2L, 1);
      }
      long base = slab.position(index);
      InternalRow r = row(link(), slot(), key(Axis.SUBCARRIER), buffer, base * 2, step(rx), step(tx), imaginary);
      advance();
      return r;
    }

    /** Moves the odometer over the key axes, the last one fastest; clears {@link #more} past the end. */
    private void advance() {
      for (int k = keyAxes.length - 1; k >= 0; k--) {
        int i = keyAxes[k];
        long end = i == slab.axis ? slab.from + slab.count : shape.dim(i);
        if (++index[i] < end) {
          return;
        }
        index[i] = i == slab.axis ? slab.from : 0;
      }
      more = false;
    }

    private int link() {
      long link = 0;
      for (int i = 0; i < shape.rank(); i++) {
        if (shape.axis(i) == Axis.LINK) {
          link = link * shape.dim(i) + index[i];
        }
      }
      return Math.toIntExact(member.linkOffset() + link);
    }

    private int key(Axis a) {
      int i = shape.indexOf(a);
      return i < 0 ? 0 : (int) index[i];
    }

    /** The slot key: the slot axis's index, after the slots of the elements before this one's. */
    private int slot() {
      return Math.toIntExact(member.slotOffset() + key(Axis.SLOT));
    }

    /** The buffer step (in doubles) of logical axis i; 0 for an absent antenna axis (one antenna). */
    private long step(int i) {
      return i < 0 ? 0 : 2 * slab.stride(i);
    }

    /**
     * A channel row from the rows × cols matrix whose entry (r, c) has its real part at
     * {@code values[at + r·rowStep + c·colStep]} and its imaginary part {@code im} after it.
     */
    private InternalRow row(int link, int slot, int subcarrier, double[] values, long at, long rowStep, long colStep,
        long imStep) {
      int n = rows * cols;
      Object re;
      Object im;
      if (precision == Precision.DOUBLE) {
        double[] r = new double[n];
        double[] i = new double[n];
        for (int a = 0; a < rows; a++) {
          for (int b = 0; b < cols; b++) {
            int e = (int) (at + a * rowStep + b * colStep);
            r[a * cols + b] = values[e];
            i[a * cols + b] = values[(int) (e + imStep)];
          }
        }
        re = Rows.doubles(r);
        im = Rows.doubles(i);
      } else {
        float[] r = new float[n];
        float[] i = new float[n];
        for (int a = 0; a < rows; a++) {
          for (int b = 0; b < cols; b++) {
            int e = (int) (at + a * rowStep + b * colStep);
            r[a * cols + b] = (float) values[e];
            i[a * cols + b] = (float) values[(int) (e + imStep)];
          }
        }
        re = Rows.floats(r);
        im = Rows.floats(i);
      }
      return Rows.of(new Object[] {link, slot, subcarrier, rows, cols, re, im, source});
    }

    /**
     * The frequency response of the current group into {@link #response}: matrix k at
     * {@code 2·rows·cols·k}, row-major entries (re, im).
     */
    private void respond() {
      int paths = (int) shape.dim(path);
      int pairs = rows * cols;
      int entries = 2 * pairs;
      boolean perEntry = false;
      long[] at = index.clone();
      for (int p = 0; p < paths; p++) {
        at[path] = p;
        for (int r = 0; r < rows; r++) {
          if (rx >= 0) {
            at[rx] = r;
          }
          for (int c = 0; c < cols; c++) {
            if (tx >= 0) {
              at[tx] = c;
            }
            int e = (int) slab.position(at);
            int pair = p * pairs + r * cols + c;
            taps[2 * pair] = buffer[2 * e];
            taps[2 * pair + 1] = buffer[(int) (2 * e + imaginary)];
            entryDelays[pair] = delay(at);
            perEntry |= entryDelays[pair] != entryDelays[p * pairs];
          }
        }
      }
      int n = spec.subcarriers();
      int first = spec.frequencies().first(n);
      if (!perEntry) {
        for (int p = 0; p < paths; p++) {
          pathDelays[p] = entryDelays[p * pairs];
        }
        FrequencyResponse.phases(n, first, spec.spacingHz(), pathDelays, paths, phases);
        for (int k = 0; k < n; k++) {
          FrequencyResponse.combine(taps, paths, entries, phases, k, scratch(entries));
          System.arraycopy(scratch, 0, response, k * entries, entries);
        }
        return;
      }
      // Delays that differ between antenna pairs (QuaDRiGa's per-element delays): phases per entry.
      Arrays.fill(response, 0);
      for (int pair = 0; pair < paths * pairs; pair++) {
        int x0 = 2 * (pair % pairs);
        double tr = taps[2 * pair];
        double ti = taps[2 * pair + 1];
        for (int k = 0; k < n; k++) {
          double angle = -2 * Math.PI * (k + first) * spec.spacingHz() * entryDelays[pair];
          double pr = StrictMath.cos(angle);
          double pi = StrictMath.sin(angle);
          int x = k * entries + x0;
          response[x] += tr * pr - ti * pi;
          response[x + 1] += tr * pi + ti * pr;
        }
      }
    }

    private double[] scratch;

    private double[] scratch(int entries) {
      if (scratch == null) {
        scratch = new double[entries];
      }
      return scratch;
    }

    /** The delay of the path, antenna pair and key of logical index {@code at}, in seconds. */
    private double delay(long[] at) {
      ArrayShape d = member.delays().shape();
      long e = 0;
      List<Integer> axes = spec.delayAxes();
      for (int j = 0; j < axes.size(); j++) {
        if (d.dim(j) > 1) {
          e += at[axes.get(j)] * d.stride(j);
        }
      }
      return delays[(int) (2 * e)];
    }
  }
}
