package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mimobatch.jobs.config.Settings;

/** Permissions come out as Hadoop's chmod would leave them; everything else is Hadoop's local file system. */
class NioLocalFileSystemTest {
  @TempDir
  java.nio.file.Path dir;

  private static FileSystem fs() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.permissions.umask-mode", "022");
    return FileSystem.get(java.net.URI.create("file:///"), conf);
  }

  private String mode(String name) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)));
  }

  @Test
  void filesAndDirectoriesGetTheirModesUnderTheUmask() throws IOException {
    try (FileSystem fs = fs()) {
      assertInstanceOf(NioLocalFileSystem.class, fs);
      Path file = new Path(dir.toUri().toString(), "data");
      try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0664), true, 4096, (short) 1, 1 << 20,
          null)) {
        out.writeBytes("channels");
      }
      assertEquals("rw-r--r--", mode("data"), "0664 under umask 022");
      assertTrue(Files.exists(dir.resolve(".data.crc")), "checksums are written as by LocalFileSystem");
      assertEquals("channels", new String(fs.open(file).readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));

      assertTrue(fs.mkdirs(new Path(dir.toUri().toString(), "a/b"), new FsPermission((short) 0750)));
      assertEquals("rwxr-x---", mode("a/b"));
      fs.setPermission(file, new FsPermission((short) 0600));
      assertEquals("rw-------", mode("data"));
      assertEquals(new FsPermission((short) 0600), fs.getFileStatus(file).getPermission());

      // A sticky bit is left to Hadoop's own chmod, and still applied.
      fs.setPermission(new Path(dir.toUri().toString(), "a"), new FsPermission((short) 01777));
      assertTrue(fs.getFileStatus(new Path(dir.toUri().toString(), "a")).getPermission().getStickyBit());

      assertThrows(IOException.class, () -> fs.setPermission(new Path(dir.toUri().toString(), "missing"),
          new FsPermission((short) 0644)));
    }
  }

  @Test
  void everyModeBitMapsToItsPosixPermission() {
    for (int mode = 0; mode <= 0777; mode++) {
      String posix = PosixFilePermissions.toString(NioLocalFileSystem.posix(new FsPermission((short) mode)));
      assertEquals(new FsPermission((short) mode).toString(), posix, Integer.toOctalString(mode));
    }
    assertNull(NioLocalFileSystem.posix(new FsPermission((short) 01755)));
  }

  @Test
  void mimobatchSessionsUseIt() {
    assertEquals(NioLocalFileSystem.class.getName(),
        Settings.load(null, List.of(), null).sparkConf().get("spark.hadoop.fs.file.impl"));
  }
}
