package org.mimobatch.jobs.ingest;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.dataset.DatasetBase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mimobatch.jobs.io.InputException;
import us.hebi.matlab.mat.types.Matrix;

/** Opens a {@link SlabReader} for each {@link StoredArray.Kind}. */
final class Readers {
  /** Bytes fetched per positioned read of a long run. */
  private static final int READ_BYTES = 1 << 22;

  private Readers() {}

  static SlabReader open(StoredArray array, FileSystem fs) throws IOException {
    if (array.imaginary() != null) {
      return new Parts(array, open(array.imaginary(), fs), fs);
    }
    HadoopChannel channel = new HadoopChannel(fs, new Path(array.file()));
    try {
      return switch (array.kind()) {
        case RAW -> new Raw(array, channel);
        case HDF5 -> new Hdf5(array, channel);
        case DEFLATED -> new Deflated(array, channel);
        case MAT -> new Mat(array, MatFiles.read(channel, array));
      };
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Positioned reads of contiguous bytes, decoded a buffer at a time. */
  private static final class Raw extends SlabReader {
    private final HadoopChannel channel;
    private final ByteBuffer buffer;

    Raw(StoredArray array, HadoopChannel channel) {
      super(array);
      this.channel = channel;
      int size = array.codec().size();
      this.buffer = ByteBuffer.allocate(Math.max(size, READ_BYTES / size * size));
    }

    @Override
    void readRun(long start, long count, double[] dst, long at) throws IOException {
      int size = array.codec().size();
      long done = 0;
      while (done < count) {
        int n = (int) Math.min(count - done, buffer.capacity() / size);
        buffer.clear().limit(n * size);
        channel.readFully(array.offset() + (start + done) * size, buffer);
        buffer.flip();
        array.codec().decode(buffer, n, dst, (int) (at + done));
        done += n;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** HDF5 hyperslabs through jhdf, which assembles chunks and undoes their filters. */
  private static final class Hdf5 extends SlabReader {
    private final HdfFile file;
    private final DatasetBase dataset;

    Hdf5(StoredArray array, HadoopChannel channel) {
      super(array);
      this.file = new HdfFile(channel, URI.create("file:///" + array.file().replace(' ', '_')));
      Dataset d = file.getDatasetByPath(array.entry());
      if (!(d instanceof DatasetBase base)) {
        throw new InputException(array.name() + ": jhdf returned a dataset it cannot slice (" + d.getClass() + ")");
      }
      this.dataset = base;
    }

    @Override
    void read(int axis, long from, long count, double[] dst) {
      ArrayShape s = array.shape();
      int n = s.rank();
      // HDF5's dimensions are the storage order: the logical ones, reversed for column-major files.
      long[] offset = new long[n];
      int[] extent = new int[n];
      for (int k = 0; k < n; k++) {
        int i = s.storageAxis(k);
        offset[k] = i == axis ? from : 0;
        extent[k] = (int) (i == axis ? count : s.dim(i));
      }
      int elements = 1;
      for (int e : extent) {
        elements *= e;
      }
      ByteBuffer bytes = dataset.getSliceDataBuffer(offset, extent);
      array.codec().decode(bytes, elements, dst, 0);
    }

    @Override
    void readRun(long start, long count, double[] dst, long at) {
      throw new UnsupportedOperationException("HDF5 slabs are read whole");
    }

    @Override
    public void close() {
      file.close();
    }
  }

  /** A deflated .npz entry, inflated as it is read; slabs must come in storage order. */
  private static final class Deflated extends SlabReader {
    private final HadoopChannel channel;
    private final ZipFile zip;
    private final InputStream in;
    private final byte[] bytes;
    private long position;

    Deflated(StoredArray array, HadoopChannel channel) throws IOException {
      super(array);
      this.channel = channel;
      this.zip = ZipFile.builder().setSeekableByteChannel(channel).get();
      ZipArchiveEntry entry = zip.getEntry(array.entry());
      InputStream stream = zip.getInputStream(entry);
      // The .npy header inside the entry comes first; offset() is the data's offset in the entry.
      stream.skipNBytes(array.offset());
      this.in = stream;
      int size = array.codec().size();
      this.bytes = new byte[Math.max(size, READ_BYTES / size * size)];
    }

    @Override
    void readRun(long start, long count, double[] dst, long at) throws IOException {
      int size = array.codec().size();
      if (start < position) {
        throw new IllegalStateException(array.name() + ": a deflated entry is read in order, asked for " + start
            + " after " + position);
      }
      in.skipNBytes((start - position) * size);
      long done = 0;
      while (done < count) {
        int n = (int) Math.min(count - done, bytes.length / size);
        int got = in.readNBytes(bytes, 0, n * size);
        if (got < n * size) {
          throw new InputException(array.name() + " is truncated or corrupt: its data ends after "
              + ((start + done) * size + got) + " bytes");
        }
        array.codec().decode(ByteBuffer.wrap(bytes, 0, n * size), n, dst, (int) (at + done));
        done += n;
      }
      position = start + count;
    }

    @Override
    public void close() throws IOException {
      in.close();
      zip.close();
      channel.close();
    }
  }

  /** Real and imaginary parts from two arrays of one shape: the second's real values become the imaginary parts. */
  private static final class Parts extends SlabReader {
    private final SlabReader re;
    private final SlabReader im;
    private double[] scratch = new double[0];

    Parts(StoredArray array, SlabReader im, FileSystem fs) throws IOException {
      super(array);
      this.im = im;
      try {
        this.re = open(array.withImaginary(null), fs);
      } catch (IOException | RuntimeException e) {
        im.close();
        throw e;
      }
    }

    @Override
    void read(int axis, long from, long count, double[] dst) throws IOException {
      re.read(axis, from, count, dst);
      int n = dst.length;
      if (scratch.length < n) {
        scratch = new double[n];
      }
      im.read(axis, from, count, scratch);
      for (int x = 0; x < n; x += 2) {
        dst[x + 1] = scratch[x];
      }
    }

    @Override
    void readRun(long start, long count, double[] dst, long at) {
      throw new UnsupportedOperationException("split parts are read a slab at a time");
    }

    @Override
    public void close() throws IOException {
      try {
        re.close();
      } finally {
        im.close();
      }
    }
  }

  /** An array the MAT library decoded, read by MATLAB's linear (column-major, storage) index. */
  private static final class Mat extends SlabReader {
    private final Matrix matrix;

    Mat(StoredArray array, Matrix matrix) {
      super(array);
      this.matrix = matrix;
    }

    @Override
    void readRun(long start, long count, double[] dst, long at) {
      boolean complex = matrix.isComplex();
      for (long e = 0; e < count; e++) {
        int i = (int) (start + e);
        int d = (int) (2 * (at + e));
        dst[d] = matrix.getDouble(i);
        dst[d + 1] = complex ? matrix.getImaginaryDouble(i) : 0;
      }
    }
  }
}
