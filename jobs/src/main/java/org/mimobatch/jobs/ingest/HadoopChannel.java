package org.mimobatch.jobs.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mimobatch.jobs.io.InputException;

/**
 * A read-only {@link SeekableByteChannel} over a file of any Hadoop file system (local, HDFS, S3A,
 * …), for the libraries that take one (jhdf, commons-compress), with positioned reads for our own
 * readers. Not thread-safe, as channels of one task need not be.
 */
final class HadoopChannel implements SeekableByteChannel {
  private final FSDataInputStream in;
  private final long size;
  private final String file;
  private long position;
  private boolean open = true;

  HadoopChannel(FileSystem fs, Path path) throws IOException {
    this.in = fs.open(path);
    this.size = fs.getFileStatus(path).getLen();
    this.file = path.toString();
  }

  /** The file, for messages. */
  String file() {
    return file;
  }

  /**
   * Fills {@code dst} (from its position to its limit) from file offset {@code at}; fails naming the
   * file and offset when the file ends first.
   */
  void readFully(long at, ByteBuffer dst) throws IOException {
    int want = dst.remaining();
    if (at + want > size) {
      throw new InputException(file + " is truncated or corrupt: " + want + " bytes expected at offset " + at
          + ", but the file has " + size + " bytes");
    }
    if (dst.hasArray()) {
      in.readFully(at, dst.array(), dst.arrayOffset() + dst.position(), want);
      dst.position(dst.position() + want);
    } else {
      byte[] b = new byte[want];
      in.readFully(at, b, 0, want);
      dst.put(b);
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - position);
    ByteBuffer slice = dst.slice();
    slice.limit(n);
    readFully(position, slice);
    dst.position(dst.position() + n);
    position += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      in.close();
    }
  }
}
