package org.mimobatch.jobs.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mimobatch.jobs.io.InputException;

/**
 * The header of a NumPy .npy array (format versions 1.0, 2.0 and 3.0): magic, version, header
 * length, then a Python dict literal with 'descr', 'fortran_order' and 'shape'. Written here
 * because no maintained Java library reads .npy files with complex dtypes. It reads the dict as
 * NumPy does ({@code ast.literal_eval}, then exactly those three keys; a key given twice takes its
 * last value) and names the file and the offending field otherwise; sizes are checked in arithmetic
 * that cannot overflow.
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

  private static final Pattern DESCR = Pattern.compile("([<>|=])([a-zA-Z])(\\d{1,3})");
  private static final List<String> KEYS = List.of("descr", "fortran_order", "shape");

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
    Map<String, Object> d = new Literal(dict, where).dict();
    if (!d.keySet().equals(new java.util.HashSet<>(KEYS))) {
      throw new InputException(where + ": the .npy header's keys are " + d.keySet() + "; NumPy reads only headers"
          + " with exactly " + KEYS);
    }
    NpyHeader h = new NpyHeader(prefix + length, codec(d.get("descr"), where), fortran(d.get("fortran_order"), where),
        shape(d.get("shape"), where));
    h.dataBytes(where);
    return h;
  }

  private static ElementCodec codec(Object descr, String where) {
    Matcher m = descr instanceof String s ? DESCR.matcher(s) : null;
    if (m == null || !m.matches()) {
      throw new InputException(where + ": the .npy header's 'descr' is " + Literal.show(descr) + ", not a simple"
          + " dtype (structured dtypes are not channel arrays)");
    }
    char order = m.group(1).charAt(0);
    char kind = m.group(2).charAt(0);
    int bytes = Integer.parseInt(m.group(3));
    boolean big = order == '>' || order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
    if (kind == 'c' && (bytes == 8 || bytes == 16)) {
      return ElementCodec.complex(bytes == 16, big);
    }
    if (kind == 'f' && (bytes == 4 || bytes == 8)) {
      return ElementCodec.real(bytes == 8, big);
    }
    throw new InputException(where + ": dtype '" + descr + "' is not a channel dtype; expected complex64 (c8),"
        + " complex128 (c16), or real float32 (f4) / float64 (f8)");
  }

  private static boolean fortran(Object value, String where) {
    if (!(value instanceof Boolean b)) {
      throw new InputException(where + ": the .npy header's 'fortran_order' is " + Literal.show(value)
          + ", not True or False");
    }
    return b;
  }

  private static long[] shape(Object value, String where) {
    if (!(value instanceof List<?> dims)) {
      throw new InputException(where + ": the .npy header's 'shape' is " + Literal.show(value) + ", not a tuple");
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long n) || n < 0) {
        throw new InputException(where + ": the .npy header's 'shape' " + Literal.show(value)
            + " is not a tuple of integers from 0");
      }
      shape[i] = n;
    }
    return shape;
  }

  /**
   * Bytes of data the header promises, or an error naming the file where they, or the offset of
   * their end, overflow a long.
   */
  long dataBytes(String where) {
    try {
      long n = codec.size();
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      Math.addExact(n, dataOffset);
      return n;
    } catch (ArithmeticException e) {
      throw new InputException(where + ": the .npy shape " + java.util.Arrays.toString(shape) + " holds more bytes than"
          + " any file can (it overflows 64-bit byte counts): the header is corrupt");
    }
  }

  /** Bytes of data the header promises (checked by {@link #parse}). */
  long dataBytes() {
    return dataBytes("");
  }

  /**
   * The part of Python's literal syntax a .npy header uses: a dict of string keys whose values are
   * strings, True/False, integers, and tuples and lists of these.
   */
  private static final class Literal {
    private final String text;
    private final String where;
    private int at;

    Literal(String text, String where) {
      this.text = text;
      this.where = where;
    }

    Map<String, Object> dict() {
      skip();
      expect('{');
      Map<String, Object> d = new LinkedHashMap<>();
      skip();
      while (peek() != '}') {
        Object key = value();
        if (!(key instanceof String k)) {
          throw error("a key that is not a string");
        }
        skip();
        expect(':');
        d.put(k, value());
        skip();
        if (peek() == ',') {
          at++;
          skip();
        } else if (peek() != '}') {
          throw error("',' or '}'");
        }
      }
      at++;
      skip();
      if (at != text.length()) {
        throw error("the end of the header");
      }
      return d;
    }

    private Object value() {
      skip();
      char c = peek();
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, at + 1);
        if (end < 0) {
          throw error("the end of a string");
        }
        String s = text.substring(at + 1, end);
        at = end + 1;
        return s;
      }
      if (c == '(' || c == '[') {
        // A tuple (the shape) or a list (a structured dtype's fields).
        char close = c == '(' ? ')' : ']';
        at++;
        List<Object> items = new ArrayList<>();
        skip();
        while (peek() != close) {
          items.add(value());
          skip();
          if (peek() == ',') {
            at++;
            skip();
          } else if (peek() != close) {
            throw error("',' or '" + close + "'");
          }
        }
        at++;
        return items;
      }
      int start = at;
      while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '-'
          || text.charAt(at) == '_')) {
        at++;
      }
      String word = text.substring(start, at);
      switch (word) {
        case "True" -> {
          return Boolean.TRUE;
        }
        case "False" -> {
          return Boolean.FALSE;
        }
        default -> {
          String digits = word.endsWith("L") ? word.substring(0, word.length() - 1) : word;
          if (!digits.matches("-?\\d+")) {
            throw error("a value");
          }
          try {
            return Long.parseLong(digits);
          } catch (NumberFormatException e) {
            throw new InputException(where + ": the .npy header holds " + word + ", too large for a dimension");
          }
        }
      }
    }

    private void skip() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private char peek() {
      if (at >= text.length()) {
        throw error("more");
      }
      return text.charAt(at);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("'" + c + "'");
      }
      at++;
    }

    private InputException error(String expected) {
      return new InputException(where + ": the .npy header is not the dict literal NumPy writes (expected "
          + expected + " at character " + at + "): " + text.trim());
    }

    static String show(Object value) {
      return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
  }
}
