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
import java.util.function.Predicate;
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
   * of the arrays before it (files in path order, a {:}'s elements in order, where they are links),
   * and its slots from {@code slotOffset} (the element's index, where a {:}'s elements are slots).
   *
   * @param delays the delays of a path-level array, or null
   * @param variable the variable, entry or dataset path it was found under ("" for a whole .npy
   *     file): input.variable, or the first of a preset's names that the file has
   */
  record Member(StoredArray channels, StoredArray delays, long linkOffset, long slotOffset, String variable)
      implements Serializable {
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
        long fileLinks = 0;
        for (Member m : describe(fs, file, spec)) {
          members.add(new Member(m.channels(), m.delays(), links + m.linkOffset(), m.slotOffset(), m.variable()));
          fileLinks = Math.max(fileLinks, m.linkOffset() + m.links());
        }
        links += fileLinks;
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
        case NPY -> List.of(new Member(npy(channel, spec), null, 0, 0, ""));
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
  private static StoredArray npy(HadoopChannel channel, IngestSpec spec) throws IOException {
    String where = channel.file();
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(channel.size(), NpyHeader.MAX_HEADER));
    channel.readFully(0, head);
    head.flip();
    NpyHeader h = NpyHeader.parse(head, where);
    if (h.dataBytes() > channel.size() - h.dataOffset()) {
      throw new InputException(where + " is truncated: its header promises " + h.dataBytes() + " bytes of data at"
          + " offset " + h.dataOffset() + ", but the file has " + channel.size() + " bytes");
    }
    return npyArray(where, where, StoredArray.Kind.RAW, null, h.dataOffset(), h, spec, true);
  }

  /** An array of a .npy header: the channels ({@code channels}: read as spec.shape and spec.axes say) or delays. */
  private static StoredArray npyArray(String file, String name, StoredArray.Kind kind, String entry, long offset,
      NpyHeader h, IngestSpec spec, boolean channels) {
    long[] dims = channels ? spec.reshape(h.shape(), name) : h.shape();
    List<Axis> a = channels ? withTrailing(spec.axes(), spec.optionalTrailing(), dims.length) : spec.delayRoles();
    ArrayShape shape = shape(dims, a, h.fortranOrder(), false, name, spec);
    if (channels) {
      requireRealParts(shape, h.codec().isComplex(), name);
    }
    return new StoredArray(file, name, kind, entry, 0, offset, h.codec(), null, shape, h.codec().precision(), null);
  }

  /** {@link ArrayShape#of}, its error on a shape that does not fit the axes completed with the preset's hint. */
  static ArrayShape shape(long[] dims, List<Axis> axes, boolean columnMajor, boolean matlab, String name,
      IngestSpec spec) {
    try {
      return ArrayShape.of(dims, axes, columnMajor, matlab, name);
    } catch (InputException e) {
      if (spec.preset() == Preset.SIONNA_CIR && dims.length == axes.size() - 1) {
        throw new InputException(e.getMessage() + "; Sionna RT 1.0 and later write cir() without a batch axis:"
            + " set input.preset = sionna-rt", e);
      }
      throw e;
    }
  }

  /** A reim axis splits a real array into real and imaginary parts: a complex array cannot have one. */
  static void requireRealParts(ArrayShape shape, boolean complex, String name) {
    if (complex && shape.indexOf(Axis.REIM) >= 0) {
      throw new InputException(name + ": a reim axis holds the real and imaginary parts of a real array, but this"
          + " array is complex; name its axes without reim");
    }
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
      String variable = first(spec.variables(), v -> zip.getEntry(v.endsWith(".npy") ? v : v + ".npy") != null);
      StoredArray a = npzEntry(zip, channel, variable, spec, true);
      StoredArray delays = spec.pathLevel() ? npzEntry(zip, channel, spec.delays(), spec, false) : null;
      return List.of(new Member(a, delays, 0, 0, variable));
    }
  }

  private static StoredArray npzEntry(ZipFile zip, HadoopChannel channel, String variable, IngestSpec spec,
      boolean channels) throws IOException {
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
      return npyArray(where, name, StoredArray.Kind.DEFLATED, entry.getName(), h.dataOffset(), h, spec, channels);
    }
    long offset = entry.getDataOffset() + h.dataOffset();
    if (h.dataBytes() > channel.size() - offset) {
      throw new InputException(name + " is truncated: it promises " + h.dataBytes() + " bytes at offset " + offset
          + ", but the file has " + channel.size() + " bytes");
    }
    return npyArray(where, name, StoredArray.Kind.RAW, entry.getName(), offset, h, spec, channels);
  }

  /**
   * An HDF5 dataset, or with {:}s in the names of its path every one numbered there
   * (channel_1/Snap_0, … in numeric order), each with the delays of the same numbers; the elements
   * of each {:} become further links or slots, as input.elements says.
   */
  private static List<Member> hdf5(HadoopChannel channel, IngestSpec spec) {
    try (HdfFile file = Hdf5Files.open(channel)) {
      String where = channel.file();
      String variable = first(spec.variables(), v -> v.contains(Hdf5Files.ALL) || Hdf5Files.exists(file, v)
          || Hdf5Files.exists(file, v + "_re"));
      List<Hdf5Files.Numbered> arrays = Hdf5Files.expand(file, where, variable);
      java.util.Map<List<Integer>, String> delays = new java.util.HashMap<>();
      if (spec.pathLevel()) {
        for (Hdf5Files.Numbered d : Hdf5Files.expand(file, where, spec.delays())) {
          delays.put(d.positions(), d.name());
        }
      }
      ElementKeys keys = new ElementKeys(spec);
      List<Member> members = new ArrayList<>();
      for (Hdf5Files.Numbered n : arrays) {
        StoredArray a = Hdf5Files.describe(file, where, n.name(), spec.axes(), spec, true);
        StoredArray d = null;
        if (spec.pathLevel()) {
          // Delays without a {:} are shared by every element.
          String name = spec.delays().contains(Hdf5Files.ALL) ? delays.get(n.positions()) : delays.get(List.of());
          if (name == null) {
            throw new InputException(where + ": no delays " + spec.delays() + " for " + n.name());
          }
          d = Hdf5Files.describe(file, where, name, spec.delayRoles(), spec, false);
        }
        members.add(keys.place(a, d, n.positions(), variable));
      }
      return members;
    }
  }

  /**
   * The keys of the elements that {:}s select: the slot is the position of the {:} made slots;
   * the elements that differ in a {:} made links get links after those of the elements before.
   */
  private static final class ElementKeys {
    private final IngestSpec spec;
    private final java.util.Map<List<Integer>, Long> linkOffsets = new java.util.HashMap<>();
    private long links;
    private long end;

    ElementKeys(IngestSpec spec) {
      this.spec = spec;
    }

    Member place(StoredArray channels, StoredArray delays, List<Integer> positions, String variable) {
      List<Integer> linkKey = new ArrayList<>();
      long slot = 0;
      for (int i = 0; i < positions.size(); i++) {
        if (spec.element(i) == Axis.SLOT) {
          slot = positions.get(i);
        } else {
          linkKey.add(positions.get(i));
        }
      }
      Long offset = linkOffsets.get(linkKey);
      if (offset == null) {
        links = end;
        offset = links;
        linkOffsets.put(linkKey, offset);
      }
      end = Math.max(end, offset + channels.shape().size(Axis.LINK));
      return new Member(channels, delays, offset, slot, variable);
    }
  }

  /** The first of {@code names} that {@code present} accepts; the first of all where none is there (its error names it). */
  private static String first(List<String> names, Predicate<String> present) {
    for (String n : names) {
      if (present.test(n)) {
        return n;
      }
    }
    return names.get(0);
  }

  /** MAT v5 variables (and the arrays a {:} path selects in them), decoded by the MAT library. */
  private static List<Member> mat(HadoopChannel channel, IngestSpec spec) throws IOException {
    if (!MatFiles.isMat5(head(channel))) {
      // MATLAB v7.3: HDF5 behind the MAT header.
      return hdf5(channel, spec);
    }
    String where = channel.file();
    // The variables' names cost a pass over the file: asked only where a preset has other names.
    List<String> variables = spec.variables().size() > 1 ? MatFiles.variables(channel) : List.of();
    String variable = first(spec.variables(), v -> variables.contains(MatFiles.Path.parse(v).variable()));
    MatFiles.Path path = MatFiles.Path.parse(variable);
    Array root = MatFiles.variable(channel, path);
    List<Matrix> arrays = MatFiles.select(root, path, where);
    List<StoredArray> delays = new ArrayList<>();
    if (spec.pathLevel()) {
      // Delays with a {:} go element by element with the channels; without, they are shared.
      MatFiles.Path dp = MatFiles.Path.parse(spec.delays());
      List<Matrix> ds = MatFiles.select(MatFiles.variable(channel, dp), dp, where);
      if (dp.all() >= 0 && ds.size() != arrays.size()) {
        throw new InputException(where + ": " + spec.delays() + " selects " + ds.size() + " arrays of delays, "
            + variable + " " + arrays.size() + " arrays of channels");
      }
      for (int k = 0; k < ds.size(); k++) {
        String name = where + ", variable " + spec.delays() + (dp.all() >= 0 ? " element " + (k + 1) : "");
        delays.add(matArray(where, name, spec.delays(), k, ds.get(k), spec.delayRoles(), spec, false));
      }
    }
    ElementKeys keys = new ElementKeys(spec);
    List<Member> members = new ArrayList<>();
    for (int k = 0; k < arrays.size(); k++) {
      String name = where + ", variable " + variable + (path.all() >= 0 ? " element " + (k + 1) : "");
      StoredArray a = matArray(where, name, variable, k, arrays.get(k), spec.axes(), spec, true);
      StoredArray d = delays.isEmpty() ? null : delays.get(delays.size() == 1 ? 0 : k);
      members.add(keys.place(a, d, path.all() >= 0 ? List.of(k) : List.of(), variable));
    }
    return members;
  }

  private static StoredArray matArray(String file, String name, String entry, int element, Matrix m, List<Axis> axes,
      IngestSpec spec, boolean channels) {
    long[] stored = Arrays.stream(m.getDimensions()).asLongStream().toArray();
    long[] dims = channels ? spec.reshape(stored, name) : stored;
    ArrayShape shape = shape(dims, axes, true, true, name, spec);
    if (channels) {
      requireRealParts(shape, m.isComplex(), name);
    }
    Precision precision = m.getType() == us.hebi.matlab.mat.types.MatlabType.Single ? Precision.SINGLE : Precision.DOUBLE;
    return new StoredArray(file, name, StoredArray.Kind.MAT, entry, element, 0, null, null, shape, precision, null);
  }

  private static byte[] head(HadoopChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 128));
    channel.readFully(0, b);
    return b.array();
  }
}
