package org.mimobatch.jobs.io;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system, failing the n-th operation that changes it (create, rename, delete,
 * mkdirs) made by the driver once armed, as a crash between two operations would leave things: the
 * operations before it done, none after. Tasks' own writes (on executor threads) are not counted:
 * what is tested is publication, which the driver does. A test session sets it as fs.file.impl,
 * uncached, so that every file system Hadoop opens for it is one of these.
 */
public class FaultyFileSystem extends NioLocalFileSystem {
  /** Operations counted since arming. */
  static final AtomicInteger COUNT = new AtomicInteger();
  /** The operation to fail (from 1), or 0 for none; counting happens only while ARMED. */
  static volatile int failAt;
  static volatile boolean armed;

  /** Counts operations from now on, failing the {@code n}-th (0: none). */
  static void arm(int n) {
    COUNT.set(0);
    failAt = n;
    armed = true;
  }

  static int disarm() {
    armed = false;
    return COUNT.get();
  }

  private void operation(String what, Path p) throws IOException {
    if (!armed || Thread.currentThread().getName().startsWith("Executor task launch worker")) {
      return;
    }
    int n = COUNT.incrementAndGet();
    if (n == failAt) {
      throw new IOException("injected failure of operation " + n + ": " + what + " " + p);
    }
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
      short replication, long blockSize, Progressable progress) throws IOException {
    operation("create", f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    operation("rename", src);
    return super.rename(src, dst);
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    operation("delete", f);
    return super.delete(f, recursive);
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    operation("mkdirs", f);
    return super.mkdirs(f, permission);
  }
}
