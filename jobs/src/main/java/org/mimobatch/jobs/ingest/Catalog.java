package org.mimobatch.jobs.ingest;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.conf.Configuration;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.pipeline.batch.Precision;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Matrix;

/**
 * What the driver learns of the input before any task runs: the files of input.path (a file, a
 * directory or a glob; any Hadoop file system), each one's format from its first bytes, and the
 * channel arrays in it with their shapes and delays. Only metadata is read, except for MAT v5
 * variables, which the MAT library decodes whole.
 */
final class Catalog {
  private static final int HEAD = 1024;

  private Catalog() {}

  /**
   * One array of channels with its keys: its links are numbered from {@code linkOffset}, after those
   * of the arrays before it (files in path order, a MAT path's {:} elements in MATLAB order).
   *
   * @param delays the delays of a path-level array, or null
   */
  record Member(StoredArray channels, StoredArray delays, long linkOffset) implements Serializable {
    long links() {
      return channels.shape().size(Axis.LINK);
    }

    /** Matrices it yields. */
    long matrices(IngestSpec spec) {
      ArrayShape s = channels.shape();
      long groups = s.groupsPer(-1);
      return delays == null ? groups : groups * spec.subcarriers();
    }
  }

  /** Every array of channels under the input path, in link order. */
  static List<Member> of(IngestSpec spec, Configuration conf) {
    try {
      List<Member> members = new ArrayList<>();
      long links = 0;
      for (Path file : files(spec.path(), conf)) {
        FileSystem fs = file.getFileSystem(conf);
        for (Member m : describe(fs, file, spec)) {
          Member placed = new Member(m.channels(), m.delays(), links);
          members.add(placed);
          links += placed.links();
        }
      }
      return members;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the input " + spec.path() + ": " + e.getMessage(), e);
    }
  }

  /** The files of a path, directory or glob, sorted; hidden files (., _) skipped in directories. */
  static List<Path> files(String input, Configuration conf) throws IOException {
    Path path = new Path(input);
    FileSystem fs = path.getFileSystem(conf);
    FileStatus[] matched = fs.globStatus(path);
    if (matched == null || matched.length == 0) {
      throw new InputException("input.path: nothing at " + input);
    }
    List<Path> files = new ArrayList<>();
    for (FileStatus s : matched) {
      if (s.isDirectory()) {
        for (FileStatus child : fs.listStatus(s.getPath())) {
          String n = child.getPath().getName();
          if (child.isFile() && !n.startsWith(".") && !n.startsWith("_")) {
            files.add(requireRegular(child.getPath()));
          }
        }
      } else {
        files.add(requireRegular(s.getPath()));
      }
    }
    if (files.isEmpty()) {
      throw new InputException("input.path: no files in " + input);
    }
    Collections.sort(files);
    return files;
  }

  /**
   * {@code file}, unless it is a local file that is no regular file (a FIFO, a device, a socket):
   * reading one would wait for a writer, or never end.
   */
  private static Path requireRegular(Path file) {
    if ("file".equals(file.toUri().getScheme()) && !java.nio.file.Files.isRegularFile(
        java.nio.file.Paths.get(file.toUri()))) {
      throw new InputException(file + " is not a regular file (a FIFO, a device or a socket?); input.path reads"
          + " channel files");
    }
    return file;
  }

  private static List<Member> describe(FileSystem fs, Path file, IngestSpec spec) throws IOException {
    String where = file.toString();
    Format format = spec.format() == Format.AUTO ? detect(fs, file) : spec.format();
    try (HadoopChannel channel = new HadoopChannel(fs, file)) {
      return switch (format) {
        case NPY -> List.of(new Member(npy(channel, spec.axes(), spec.optionalTrailing()), null, 0));
        case NPZ -> npz(channel, spec);
        case HDF5 -> hdf5(channel, spec);
        case MAT -> mat(channel, spec);
        default -> throw new InputException(where + ": input.format " + format.configName() + " is read by analyze"
            + " directly; set analysis.input instead");
      };
    }
  }

  /** The format of a file from its first bytes. */
  static Format detect(FileSystem fs, Path file) throws IOException {
    byte[] head = new byte[HEAD];
    int n;
    try (InputStream in = fs.open(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    head = Arrays.copyOf(head, n);
    if (startsWith(head, 0, NpyHeader.MAGIC)) {
      return Format.NPY;
    }
    if (startsWith(head, 0, new byte[] {'P', 'K', 3, 4})) {
      return Format.NPZ;
    }
    if (MatFiles.isMat5(head)) {
      return Format.MAT;
    }
    byte[] hdf5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    // HDF5's signature sits at 0, 512, 1024, … (behind a user block, as in MATLAB v7.3 files).
    if (startsWith(head, 0, hdf5) || startsWith(head, 512, hdf5) || hdf5At(fs, file)) {
      return Format.HDF5;
    }
    if (startsWith(head, 0, new byte[] {'P', 'A', 'R', '1'})) {
      return Format.PARQUET;
    }
    throw new InputException(file + ": not a NumPy .npy/.npz, HDF5 or MAT file (its first bytes are none of"
        + " theirs); set input.format if it is one");
  }

  private static boolean hdf5At(FileSystem fs, Path file) throws IOException {
    byte[] hdf5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    long size = fs.getFileStatus(file).getLen();
    try (var in = fs.open(file)) {
      byte[] b = new byte[8];
      for (long at = 1024; at + 8 <= size && at <= (1L << 24); at *= 2) {
        in.readFully(at, b);
        if (Arrays.equals(b, hdf5)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] head, int at, byte[] magic) {
    if (head.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[at + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** A whole .npy file. */
  private static StoredArray npy(HadoopChannel channel, List<Axis> axes, Axis trailing) throws IOException {
    String where = channel.file();
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), NpyHeader.MAX_HEADER));
    channel.readFully(0, head);
    head.flip();
    NpyHeader h = NpyHeader.parse(head, where);
    if (h.dataBytes() > channel.size() - h.dataOffset()) {
      throw new InputException(where + " is truncated: its header promises " + h.dataBytes() + " bytes of data at"
          + " offset " + h.dataOffset() + ", but the file has " + channel.size() + " bytes");
    }
    return npyArray(where, where, StoredArray.Kind.RAW, null, h.dataOffset(), h, axes, trailing);
  }

  private static StoredArray npyArray(String file, String name, StoredArray.Kind kind, String entry, long offset,
      NpyHeader h, List<Axis> axes, Axis trailing) {
    List<Axis> a = withTrailing(axes, trailing, h.shape().length);
    ArrayShape shape = ArrayShape.of(h.shape(), a, h.fortranOrder(), false, name);
    return new StoredArray(file, name, kind, entry, 0, offset, h.codec(), null, shape, h.codec().precision(), null);
  }

  /** The axes, with the optional trailing one when the array has one more dimension. */
  private static List<Axis> withTrailing(List<Axis> axes, Axis trailing, int rank) {
    if (trailing != null && rank == axes.size() + 1) {
      List<Axis> a = new ArrayList<>(axes);
      a.add(trailing);
      return a;
    }
    return axes;
  }

  /** An entry of a .npz archive, stored (read in place) or deflated (read as a stream), and its delays. */
  private static List<Member> npz(HadoopChannel channel, IngestSpec spec) throws IOException {
    ZipFile opened;
    try {
      opened = ZipFile.builder().setSeekableByteChannel(channel).get();
    } catch (IOException e) {
      throw new InputException(channel.file() + " is not a readable .npz (zip) archive, truncated or corrupt: "
          + e.getMessage(), e);
    }
    try (ZipFile zip = opened) {
      StoredArray a = npzEntry(zip, channel, spec.variable(), spec.axes(), spec.optionalTrailing());
      StoredArray delays = spec.pathLevel() ? npzEntry(zip, channel, spec.delays(), spec.delayRoles(), null) : null;
      return List.of(new Member(a, delays, 0));
    }
  }

  private static StoredArray npzEntry(ZipFile zip, HadoopChannel channel, String variable, List<Axis> axes,
      Axis trailing) throws IOException {
    String where = channel.file();
    ZipArchiveEntry entry = zip.getEntry(variable.endsWith(".npy") ? variable : variable + ".npy");
    if (entry == null) {
      List<String> names = new ArrayList<>();
      for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
        names.add(e.getName().replaceAll("\\.npy$", ""));
      }
      throw new InputException(where + ": no entry '" + variable + "' (entries: " + String.join(", ", names)
          + "); set input.variable");
    }
    String name = where + ", entry " + variable;
    byte[] head;
    try (InputStream in = zip.getInputStream(entry)) {
      head = in.readNBytes(NpyHeader.MAX_HEADER);
    }
    NpyHeader h = NpyHeader.parse(ByteBuffer.wrap(head), name);
    if (entry.getMethod() != ZipArchiveEntry.STORED) {
      return npyArray(where, name, StoredArray.Kind.DEFLATED, entry.getName(), h.dataOffset(), h, axes, trailing);
    }
    long offset = entry.getDataOffset() + h.dataOffset();
    if (h.dataBytes() > channel.size() - offset) {
      throw new InputException(name + " is truncated: it promises " + h.dataBytes() + " bytes at offset " + offset
          + ", but the file has " + channel.size() + " bytes");
    }
    return npyArray(where, name, StoredArray.Kind.RAW, entry.getName(), offset, h, axes, trailing);
  }

  private static List<Member> hdf5(HadoopChannel channel, IngestSpec spec) {
    try (HdfFile file = Hdf5Files.open(channel)) {
      StoredArray a = Hdf5Files.describe(file, channel.file(), spec.variable(), spec.axes());
      StoredArray delays = spec.pathLevel()
          ? Hdf5Files.describe(file, channel.file(), spec.delays(), spec.delayRoles()) : null;
      return List.of(new Member(a, delays, 0));
    }
  }

  /** MAT v5 variables (and the arrays a {:} path selects in them), decoded by the MAT library. */
  private static List<Member> mat(HadoopChannel channel, IngestSpec spec) throws IOException {
    if (!MatFiles.isMat5(head(channel))) {
      // MATLAB v7.3: HDF5 behind the MAT header.
      return hdf5(channel, spec);
    }
    MatFiles.Path path = MatFiles.Path.parse(spec.variable());
    String where = channel.file();
    Array root = MatFiles.variable(channel, path);
    List<Matrix> arrays = MatFiles.select(root, path, where);
    StoredArray delays = null;
    if (spec.pathLevel()) {
      MatFiles.Path dp = MatFiles.Path.parse(spec.delays());
      Matrix d = MatFiles.select(MatFiles.variable(channel, dp), dp, where).get(0);
      delays = matArray(where, where + ", variable " + spec.delays(), spec.delays(), 0, d, spec.delayRoles());
    }
    List<Member> members = new ArrayList<>();
    for (int k = 0; k < arrays.size(); k++) {
      String name = where + ", variable " + spec.variable() + (path.all() >= 0 ? " element " + (k + 1) : "");
      members.add(new Member(matArray(where, name, spec.variable(), k, arrays.get(k), spec.axes()), delays, 0));
    }
    return members;
  }

  private static StoredArray matArray(String file, String name, String entry, int element, Matrix m, List<Axis> axes) {
    long[] dims = Arrays.stream(m.getDimensions()).asLongStream().toArray();
    ArrayShape shape = ArrayShape.of(dims, axes, true, true, name);
    Precision precision = m.getType() == us.hebi.matlab.mat.types.MatlabType.Single ? Precision.SINGLE : Precision.DOUBLE;
    return new StoredArray(file, name, StoredArray.Kind.MAT, entry, element, 0, null, null, shape, precision, null);
  }

  private static byte[] head(HadoopChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 128));
    channel.readFully(0, b);
    return b.array();
  }
}
