package org.mimobatch.jobs.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mimobatch.jobs.io.InputException;

/**
 * The header of a NumPy .npy array (format versions 1.0, 2.0 and 3.0): magic, version, header
 * length, then a Python dict literal with 'descr', 'fortran_order' and 'shape'. Written here
 * because no maintained Java library reads .npy files with complex dtypes; it accepts what
 * numpy.lib.format writes and names the file and the offending field otherwise.
 *
 * @param dataOffset bytes before the first element
 * @param codec the element encoding of 'descr' (c8, c16, f4, f8 in either byte order)
 * @param fortranOrder column-major storage
 * @param shape the array's dimensions
 */
record NpyHeader(long dataOffset, ElementCodec codec, boolean fortranOrder, long[] shape) {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** Enough bytes to hold any header numpy writes for a channel array. */
  static final int MAX_HEADER = 1 << 16;

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Parses the header at the start of {@code head} (at least the whole header); {@code where} names the file. */
  static NpyHeader parse(ByteBuffer head, String where) {
    ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.remaining() == 0 || b.get() != MAGIC[i]) {
        throw new InputException(where + " is not a NumPy .npy array: its first bytes are not \\x93NUMPY");
      }
    }
    if (b.remaining() < 4) {
      throw new InputException(where + " is truncated: it ends inside the .npy header");
    }
    int major = b.get() & 0xff;
    b.get();
    long length;
    int prefix;
    if (major == 1) {
      length = b.getShort() & 0xffff;
      prefix = 10;
    } else if (major == 2 || major == 3) {
      if (b.remaining() < 4) {
        throw new InputException(where + " is truncated: it ends inside the .npy header");
      }
      length = b.getInt() & 0xffffffffL;
      prefix = 12;
    } else {
      throw new InputException(where + ": .npy format version " + major + " is not known (1, 2 and 3 are)");
    }
    if (length > b.remaining()) {
      throw new InputException(where + " is truncated or corrupt: its .npy header of " + length + " bytes at offset "
          + prefix + " does not fit");
    }
    byte[] text = new byte[(int) length];
    b.get(text);
    String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    return new NpyHeader(prefix + length, codec(dict, where), fortran(dict, where), shape(dict, where));
  }

  private static ElementCodec codec(String dict, String where) {
    Matcher m = DESCR.matcher(dict);
    if (!m.find()) {
      throw new InputException(where + ": the .npy header has no simple 'descr' (structured dtypes are not channel"
          + " arrays): " + dict.trim());
    }
    char order = m.group(1).charAt(0);
    char kind = m.group(2).charAt(0);
    int bytes = Integer.parseInt(m.group(3));
    boolean big = order == '>' || order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
    String dtype = m.group(1) + m.group(2) + m.group(3);
    if (kind == 'c' && (bytes == 8 || bytes == 16)) {
      return ElementCodec.complex(bytes == 16, big);
    }
    if (kind == 'f' && (bytes == 4 || bytes == 8)) {
      return ElementCodec.real(bytes == 8, big);
    }
    throw new InputException(where + ": dtype '" + dtype + "' is not a channel dtype; expected complex64 (c8),"
        + " complex128 (c16), or real float32 (f4) / float64 (f8)");
  }

  private static boolean fortran(String dict, String where) {
    Matcher m = FORTRAN.matcher(dict);
    if (!m.find()) {
      throw new InputException(where + ": the .npy header has no 'fortran_order': " + dict.trim());
    }
    return m.group(1).equals("True");
  }

  private static long[] shape(String dict, String where) {
    Matcher m = SHAPE.matcher(dict);
    if (!m.find()) {
      throw new InputException(where + ": the .npy header has no 'shape': " + dict.trim());
    }
    List<Long> dims = new ArrayList<>();
    for (String part : m.group(1).split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        try {
          dims.add(Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p));
        } catch (NumberFormatException e) {
          throw new InputException(where + ": the .npy shape (" + m.group(1) + ") is not a tuple of integers");
        }
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  /** Bytes of data the header promises. */
  long dataBytes() {
    long n = codec.size();
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
