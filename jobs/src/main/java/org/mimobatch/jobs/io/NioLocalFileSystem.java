package org.mimobatch.jobs.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file:}), checksums and all, except that permissions are set
 * through {@code java.nio} instead of a {@code chmod} process. Without Hadoop's native library —
 * and Spark's distribution ships none — {@link RawLocalFileSystem} starts {@code chmod} for every
 * file and directory it creates with a permission, which is every file Spark writes, each on the
 * task's thread: a process start per file, which weighs most on steps that write many small
 * files. mimobatch's sessions use it for local paths (reference.conf sets {@code
 * spark.hadoop.fs.file.impl}). Modes beyond rwx bits (sticky, setuid) and file systems without
 * POSIX attributes still go through Hadoop's own way.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** The raw local file system under the checksums, with the permission change done in-process. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Set<PosixFilePermission> posix = NativeIO.isAvailable() ? null : posix(permission);
      if (posix == null) {
        super.setPermission(p, permission);
        return;
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), posix);
      } catch (UnsupportedOperationException e) {
        super.setPermission(p, permission);
      }
    }
  }

  private static final PosixFilePermission[] BITS = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  /** The rwx bits of {@code permission} as POSIX permissions; null when it has other bits too. */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    int mode = permission.toShort();
    if ((mode & ~0777) != 0) {
      return null;
    }
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(BITS[bit]);
      }
    }
    return set;
  }
}
