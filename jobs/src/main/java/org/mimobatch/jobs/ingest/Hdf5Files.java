package org.mimobatch.jobs.ingest;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.links.ExternalLink;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import java.net.URI;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mimobatch.jobs.io.InputException;
import org.mimobatch.pipeline.batch.Precision;

/**
 * HDF5 files through jhdf, on the driver: finds a dataset, reads its element type and storage, and
 * recognises MATLAB v7.3 files (HDF5 behind a 512-byte header whose datasets carry a
 * MATLAB_class attribute and show MATLAB's dimensions reversed).
 */
final class Hdf5Files {
  private Hdf5Files() {}

  /** Opens an HDF5 file on a channel; the channel closes with it. */
  static HdfFile open(HadoopChannel channel) {
    try {
      return new HdfFile(channel, URI.create("file:///" + channel.file().replace(' ', '_')));
    } catch (HdfException e) {
      throw new InputException(channel.file() + " is not a readable HDF5 file: " + e.getMessage(), e);
    }
  }

  /** In a name of a dataset path, where a number goes: channel_1/Snap_{:}/coeff. */
  static final String ALL = "{:}";

  /** Most links one path may pass through: more is a loop (HDF5 itself allows 16 by default). */
  private static final int MAX_LINKS = 64;

  /**
   * The node at {@code variable} (slash-separated from the root), its soft links followed one at a
   * time with a bound, so that a loop of links is an error naming the file rather than a stack
   * overflow; null where nothing is there. External links are refused by name: the file they name
   * is to be ingested itself.
   */
  static Node find(HdfFile file, String path, String variable) {
    List<String> rest = new ArrayList<>(List.of(variable.replaceAll("^/+", "").split("/+")));
    rest.removeIf(String::isEmpty);
    Node node = file;
    int links = 0;
    while (!rest.isEmpty()) {
      if (!(node instanceof Group g)) {
        return null;
      }
      Node child = g.getChildren().get(rest.remove(0));
      if (child == null) {
        return null;
      }
      if (child.isLink()) {
        Link link = (Link) child;
        if (link instanceof ExternalLink) {
          throw new InputException(path + ": " + child.getPath() + " is an external link to " + link.getTargetPath()
              + "; set input.path to the file it names");
        }
        if (++links > MAX_LINKS) {
          throw new InputException(path + ": " + variable + " passes through more than " + MAX_LINKS
              + " soft links (a loop of links)");
        }
        List<String> target = new ArrayList<>(List.of(link.getTargetPath().replaceAll("^/+", "").split("/+")));
        target.removeIf(String::isEmpty);
        if (!link.getTargetPath().startsWith("/")) {
          // Relative to the group that holds the link.
          List<String> parent = new ArrayList<>(List.of(g.getPath().replaceAll("^/+", "").split("/+")));
          parent.removeIf(String::isEmpty);
          parent.addAll(target);
          target = parent;
        }
        target.addAll(rest);
        rest = target;
        node = file;
        continue;
      }
      node = child;
    }
    return node;
  }

  /**
   * A dataset path with its {:}s filled in, and for each {:} the position of its number among
   * those there (0 where the group held none, see {@link #expand}).
   */
  record Numbered(String name, List<Integer> positions) {}

  /**
   * The dataset paths that {@code variable}'s {:}s stand for: each {:} in a name takes every
   * number of the group's children named so (Snap_0, Snap_1, …, in numeric order); where a group
   * has none of them and the path goes on without that name, it stands for the one element 0
   * (quadriga-lib writes a channel of one snapshot without a Snap_0 group). In the order of the
   * numbers, the first {:} slowest. Without a {:}, the variable itself.
   */
  static List<Numbered> expand(HdfFile file, String path, String variable) {
    List<String> parts = new ArrayList<>(List.of(variable.replaceAll("^/+", "").split("/+")));
    parts.removeIf(String::isEmpty);
    for (String part : parts) {
      if (part.indexOf(ALL) != part.lastIndexOf(ALL)) {
        throw new InputException("input.variable: '" + part + "' in " + variable + " has more than one {:}");
      }
    }
    List<Numbered> out = new ArrayList<>();
    expand(file, path, variable, parts, 0, "", new ArrayList<>(), out);
    return out;
  }

  private static void expand(HdfFile file, String path, String variable, List<String> parts, int at, String prefix,
      List<Integer> positions, List<Numbered> out) {
    if (at == parts.size()) {
      out.add(new Numbered(prefix, List.copyOf(positions)));
      return;
    }
    String part = parts.get(at);
    if (!part.contains(ALL)) {
      expand(file, path, variable, parts, at + 1, join(prefix, part), positions, out);
      return;
    }
    Node node = prefix.isEmpty() ? file : find(file, path, prefix);
    if (!(node instanceof Group g)) {
      throw new InputException(path + ": no group '" + (prefix.isEmpty() ? "/" : prefix) + "' for " + variable
          + " (datasets: " + datasets(file) + "); set input.variable");
    }
    String head = part.substring(0, part.indexOf(ALL));
    String tail = part.substring(part.indexOf(ALL) + ALL.length());
    List<String> numbers = new ArrayList<>();
    for (String name : g.getChildren().keySet()) {
      if (name.startsWith(head) && name.endsWith(tail) && name.length() > head.length() + tail.length()) {
        String n = name.substring(head.length(), name.length() - tail.length());
        if (n.chars().allMatch(c -> c >= '0' && c <= '9')) {
          numbers.add(n);
        }
      }
    }
    numbers.sort(java.util.Comparator.comparing(java.math.BigInteger::new));
    if (numbers.isEmpty()) {
      String without = join(prefix, String.join("/", parts.subList(at + 1, parts.size())));
      if (at + 1 < parts.size() && !without.contains(ALL) && (exists(file, without) || exists(file, without + "_re"))) {
        positions.add(0);
        expand(file, path, variable, parts, at + 1, prefix, positions, out);
        positions.remove(positions.size() - 1);
        return;
      }
      throw new InputException(path + ": nothing in " + (prefix.isEmpty() ? "/" : prefix) + " is named "
          + part.replace(ALL, "<number>") + " (there: " + g.getChildren().keySet() + "); set input.variable");
    }
    for (int i = 0; i < numbers.size(); i++) {
      positions.add(i);
      expand(file, path, variable, parts, at + 1, join(prefix, head + numbers.get(i) + tail), positions, out);
      positions.remove(positions.size() - 1);
    }
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** Describes dataset {@code variable} of an open file as channels of {@code axes}. */
  static StoredArray describe(HdfFile file, String path, String variable, List<Axis> axes) {
    return describe(file, path, variable, axes, IngestSpec.none(), false);
  }

  /**
   * Describes dataset {@code variable} as an array of {@code axes}: the channels ({@code channels}:
   * read as the spec's shape says, a reim axis allowed on a real array), or delays.
   */
  static StoredArray describe(HdfFile file, String path, String variable, List<Axis> axes, IngestSpec spec,
      boolean channels) {
    Node node;
    try {
      node = find(file, path, variable);
    } catch (HdfException e) {
      node = null;
    }
    if (node == null || node.isGroup()) {
      if (exists(file, variable + "_re") && exists(file, variable + "_im")) {
        StoredArray re = describe(file, path, variable + "_re", axes, spec, channels);
        StoredArray im = describe(file, path, variable + "_im", axes, spec, channels);
        if (re.codec().isComplex() || im.codec().isComplex() || !java.util.Arrays.equals(re.shape().dims(),
            im.shape().dims())) {
          throw new InputException(path + ": datasets " + variable + "_re and " + variable + "_im must be real arrays"
              + " of one shape, found " + java.util.Arrays.toString(re.shape().dims()) + " and "
              + java.util.Arrays.toString(im.shape().dims()));
        }
        return re.withImaginary(im);
      }
      throw new InputException(path + ": no dataset '" + variable + "' (datasets: " + datasets(file)
          + "); set input.variable");
    }
    Dataset d = (Dataset) node;
    String name = path + ", dataset " + d.getPath();
    ElementCodec codec = codec(d.getDataType(), name);
    long[] h5dims = d.getDimensionsAsLong();
    boolean matlab = d.getAttribute("MATLAB_class") != null || file.getUserBlockSize() > 0 && matlabHeader(file);
    // MATLAB writes column-major arrays: HDF5 shows their dimensions reversed.
    long[] stored = matlab ? reversed(h5dims) : h5dims;
    long[] dims = channels ? spec.reshape(stored, name) : stored;
    if (dims != stored && !(d instanceof ContiguousDataset && d.getFilters().isEmpty())) {
      throw new InputException(name + ": input.shape reads an array in its storage order, which a chunked or"
          + " filtered dataset does not keep; write it contiguous, or name its axes as stored");
    }
    ArrayShape shape = Catalog.shape(dims, axes, matlab, matlab, name, spec);
    if (channels) {
      Catalog.requireRealParts(shape, codec.isComplex(), name);
    }
    long[] chunk = null;
    StoredArray.Kind kind = StoredArray.Kind.HDF5;
    long offset = 0;
    if (d instanceof ContiguousDataset contiguous && d.getFilters().isEmpty()) {
      kind = StoredArray.Kind.RAW;
      offset = file.getUserBlockSize() + contiguous.getDataAddress();
    } else if (d instanceof ChunkedDataset chunked) {
      int[] c = chunked.getChunkDimensions();
      chunk = new long[dims.length];
      for (int k = 0; k < c.length && k < dims.length; k++) {
        chunk[shape.storageAxis(k)] = c[k];
      }
    }
    Precision precision = codec.precision();
    return new StoredArray(path, name, kind, d.getPath(), 0, offset, codec, chunk, shape, precision, null);
  }

  static boolean exists(HdfFile file, String variable) {
    try {
      Node n = find(file, file.getFile() == null ? "" : file.getFile().toString(), variable);
      return n != null && !n.isGroup();
    } catch (HdfException | InputException e) {
      return false;
    }
  }

  /** The encoding of a float, or of a compound of two floats named as real and imaginary parts. */
  static ElementCodec codec(DataType type, String name) {
    if (type instanceof FloatingPoint f && (f.getSize() == 4 || f.getSize() == 8)) {
      return ElementCodec.real(f.getSize() == 8, f.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    if (type instanceof CompoundDataType c && c.getMembers().size() == 2) {
      var re = c.getMembers().get(0);
      var im = c.getMembers().get(1);
      if (isPart(re.getName(), true) && isPart(im.getName(), false) && re.getDataType() instanceof FloatingPoint fr
          && im.getDataType() instanceof FloatingPoint fi && fr.getSize() == fi.getSize()
          && (fr.getSize() == 4 || fr.getSize() == 8)) {
        return new ElementCodec(c.getSize(), re.getOffset(), im.getOffset(), fr.getSize() == 8,
            fr.getByteOrder() == ByteOrder.BIG_ENDIAN);
      }
    }
    throw new InputException(name + ": element type " + describe(type) + " is not a channel type; expected a float,"
        + " or a compound of two floats named (r, i), (re, im) or (real, imag)");
  }

  private static boolean isPart(String member, boolean real) {
    String m = member.toLowerCase(Locale.ROOT);
    return real ? m.equals("r") || m.equals("re") || m.equals("real") : m.equals("i") || m.equals("im") || m.equals("imag");
  }

  private static String describe(DataType type) {
    if (type instanceof CompoundDataType c) {
      List<String> members = new ArrayList<>();
      for (var m : c.getMembers()) {
        members.add(m.getName() + ": " + m.getDataType().getClass().getSimpleName() + m.getDataType().getSize() * 8);
      }
      return "compound " + members;
    }
    return type.getClass().getSimpleName() + " of " + type.getSize() + " bytes";
  }

  private static boolean matlabHeader(HdfFile file) {
    byte[] head = new byte[Math.min(19, (int) file.getUserBlockSize())];
    file.getUserBlockBuffer().get(head);
    return new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("MATLAB 7.3 MAT-file");
  }

  private static long[] reversed(long[] d) {
    long[] r = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      r[i] = d[d.length - 1 - i];
    }
    return r;
  }

  /** Every dataset's path, for messages; links are listed, not followed, and a group is entered once. */
  static List<String> datasets(Group g) {
    List<String> out = new ArrayList<>();
    datasets(g, out, new java.util.HashSet<>());
    return out;
  }

  private static void datasets(Group g, List<String> out, java.util.Set<Long> seen) {
    if (!seen.add(g.getAddress())) {
      return;
    }
    for (Node n : g.getChildren().values()) {
      if (n.isLink()) {
        out.add(n.getPath() + " -> " + ((Link) n).getTargetPath());
      } else if (n.isGroup()) {
        if (!n.getName().startsWith("#")) {
          datasets((Group) n, out, seen);
        }
      } else if (n instanceof Dataset) {
        out.add(n.getPath());
      }
    }
  }

}
