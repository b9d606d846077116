package org.mimobatch.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mimobatch.jobs.io.InputException;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Cell;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sources;
import us.hebi.matlab.mat.types.Struct;

/**
 * MAT v5 files (MATLAB's -v6 and -v7, the latter compressed) through the MAT File Library, and
 * MATLAB-style paths into their variables: {@code name}, {@code {k}} (cell element, from 1),
 * {@code (k)} (struct array element, from 1), {@code .field}, and one {@code {:}} or {@code (:)}
 * that takes every element, each becoming a further link.
 */
final class MatFiles {
  private static final Pattern STEP = Pattern.compile("\\{(:|\\d+)}|\\((:|\\d+)\\)|\\.([A-Za-z]\\w*)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z]\\w*");

  private MatFiles() {}

  /** A parsed path: the variable, then steps; {@code all} marks the step that takes every element. */
  record Path(String variable, List<String> steps, int all) {
    static Path parse(String text) {
      Matcher name = NAME.matcher(text);
      if (!name.lookingAt()) {
        throw new InputException("input.variable: '" + text + "' does not start with a MATLAB variable name");
      }
      List<String> steps = new ArrayList<>();
      int all = -1;
      Matcher m = STEP.matcher(text);
      int at = name.end();
      while (at < text.length()) {
        if (!m.find(at) || m.start() != at) {
          throw new InputException("input.variable: cannot read '" + text.substring(at) + "' in '" + text
              + "'; a path is name{k}, name(k), name.field or {:} to take every element");
        }
        String step = m.group();
        if (step.contains(":")) {
          if (all >= 0) {
            throw new InputException("input.variable: '" + text + "' has more than one {:}");
          }
          all = steps.size();
        }
        steps.add(step);
        at = m.end();
      }
      return new Path(name.group(), steps, all);
    }
  }

  /** Decodes the variable of {@code path} from a MAT v5 file. */
  static Array variable(HadoopChannel channel, Path path) throws IOException {
    channel.position(0);
    // Not closed here: the stream would close the channel, which its owner closes.
    InputStream in = Channels.newInputStream(channel);
    try {
      Mat5File file = Mat5.newReader(Sources.wrapInputStream(in, 1 << 16))
          .setEntryFilter(h -> h.getName().equals(path.variable())).readMat();
      Array a;
      try {
        a = file.getArray(path.variable());
      } catch (IllegalArgumentException missing) {
        a = null;
      }
      if (a == null) {
        throw new InputException(channel.file() + ": no variable '" + path.variable() + "' (variables: "
            + names(channel) + "); set input.variable");
      }
      return a;
    } catch (IOException e) {
      if (e.getCause() instanceof InputException known) {
        throw known;
      }
      throw new InputException(channel.file() + " is not a readable MAT v5 file: " + e.getMessage(), e);
    }
  }

  /** The numeric arrays {@code path} selects in {@code root}, in MATLAB's order of the {:} step. */
  static List<Matrix> select(Array root, Path path, String where) {
    List<Matrix> out = new ArrayList<>();
    walk(root, path, 0, path.variable(), out, where);
    return out;
  }

  private static void walk(Array a, Path path, int step, String at, List<Matrix> out, String where) {
    if (step == path.steps().size()) {
      if (a instanceof Struct struct) {
        throw new InputException(where + ": " + at + " is a struct (fields: " + struct.getFieldNames()
            + "), not a numeric array; set input.variable to " + at + ".FIELD");
      }
      if (a instanceof Cell) {
        throw new InputException(where + ": " + at + " is a cell array of " + a.getNumElements() + " elements"
            + ", not a numeric array; set input.variable to " + at + "{:} (each element a link) or " + at + "{k}");
      }
      if (!(a instanceof Matrix m) || !CHANNEL_TYPES.contains(a.getType())) {
        throw new InputException(where + ": " + at + " is " + describe(a) + ", not a channel array (MATLAB double"
            + " or single, real or complex, full)");
      }
      out.add(m);
      return;
    }
    String s = path.steps().get(step);
    if (s.startsWith(".")) {
      String field = s.substring(1);
      if (!(a instanceof Struct struct)) {
        throw new InputException(where + ": " + at + " is " + describe(a) + ", not a struct with field '" + field + "'");
      }
      if (!struct.getFieldNames().contains(field)) {
        throw new InputException(where + ": " + at + " has no field '" + field + "' (fields: " + struct.getFieldNames() + "); set input.variable");
      }
      walk(struct.get(field), path, step + 1, at + s, out, where);
      return;
    }
    boolean cell = s.startsWith("{");
    if (cell ? !(a instanceof Cell) : !(a instanceof Struct)) {
      throw new InputException(where + ": " + at + " is " + describe(a) + "; " + s + " needs a "
          + (cell ? "cell array" : "struct array"));
    }
    int n = a.getNumElements();
    String inner = s.substring(1, s.length() - 1);
    long index = inner.equals(":") ? 1 : parseIndex(inner);
    int first = (int) Math.min(Integer.MAX_VALUE, index - 1);
    int last = inner.equals(":") ? n - 1 : first;
    if (first < 0 || last >= n) {
      throw new InputException(where + ": " + at + " has " + n + " elements; " + s + " is out of range");
    }
    for (int k = first; k <= last; k++) {
      String here = at + (cell ? "{" : "(") + (k + 1) + (cell ? "}" : ")");
      if (cell) {
        walk(((Cell) a).get(k), path, step + 1, here, out, where);
      } else if (step + 1 < path.steps().size() && path.steps().get(step + 1).startsWith(".")) {
        // s(k).field: the field of element k.
        String field = path.steps().get(step + 1).substring(1);
        Struct struct = (Struct) a;
        if (!struct.getFieldNames().contains(field)) {
          throw new InputException(where + ": " + at + " has no field '" + field + "' (fields: " + struct.getFieldNames() + "); set input.variable");
        }
        walk(struct.get(field, k), path, step + 2, here + "." + field, out, where);
      } else {
        throw new InputException(where + ": " + s + " on a struct array must be followed by .field");
      }
    }
  }

  /** The classes a channel array may have; sparse, integer, logical and character arrays are refused. */
  private static final java.util.Set<MatlabType> CHANNEL_TYPES = java.util.EnumSet.of(MatlabType.Double,
      MatlabType.Single);

  private static String describe(Array a) {
    if (a.getType() == MatlabType.Sparse) {
      return "a sparse matrix";
    }
    String type = a.getType().toString();
    return ("aeio".indexOf(Character.toLowerCase(type.charAt(0))) >= 0 ? "an " : "a ") + type + " array";
  }

  /** An index of a path step: digits, as large as they come (those past int's range are out of any array's). */
  private static long parseIndex(String digits) {
    return digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  /** The array a task reads: the variable decoded again and the element {@code array.element()} of its path. */
  static Matrix read(HadoopChannel channel, StoredArray array) throws IOException {
    Path path = Path.parse(array.entry());
    return select(variable(channel, path), path, array.name()).get(array.element());
  }

  /** The names of the file's variables, for messages. */
  private static String names(HadoopChannel channel) throws IOException {
    return String.join(", ", variables(channel));
  }

  /** The names of the file's variables, in file order (their headers read, no data decoded). */
  static List<String> variables(HadoopChannel channel) throws IOException {
    channel.position(0);
    List<String> names = new ArrayList<>();
    try {
      Mat5.newReader(Sources.wrapInputStream(Channels.newInputStream(channel), 1 << 16)).setEntryFilter(h -> {
        names.add(h.getName());
        return false;
      }).readMat();
    } catch (IOException e) {
      throw new InputException(channel.file() + " is not a readable MAT v5 file: " + e.getMessage(), e);
    }
    return names;
  }

  /** Does the file start with a MAT v5 header (and not v7.3's HDF5)? */
  static boolean isMat5(byte[] head) {
    String text = new String(head, 0, Math.min(head.length, 116), java.nio.charset.StandardCharsets.ISO_8859_1);
    return text.startsWith("MATLAB 5.0 MAT-file");
  }

}
