package org.mimobatch.jobs.io;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;

/**
 * The repetition or definition levels of one data page in Parquet's RLE / bit-packing hybrid
 * encoding, encoded from an array of levels in one pass. A run of equal levels that starts on a
 * group boundary becomes an RLE run where that is shorter: at least eight levels, and more at narrow
 * widths, where bit-packing them costs less than a run's two bytes and the header of the bit-packed
 * run that follows. The rest is bit-packed in groups of eight, at most 63 groups per run as
 * parquet-mr writes them, so that each header is one byte. The result carries the 4-byte
 * little-endian length prefix of V1 data pages.
 *
 * <p>One encoder is reused page after page: what {@link #encode} returns is valid until its next call.
 */
final class LevelEncoder {
  private static final long EVERY_BYTE = 0x0101010101010101L;
  private static final int MAX_GROUPS_PER_RUN = 63;

  private byte[] out = new byte[1024];
  private int size;

  /**
   * {@code levels[0, count)}, each in {@code bitWidth} bits (1 to 8), as a length-prefixed
   * RLE / bit-packing hybrid.
   */
  BytesInput encode(byte[] levels, int count, int bitWidth) {
    if (bitWidth < 1 || bitWidth > 8) {
      throw new IllegalArgumentException("bit width " + bitWidth + " outside 1..8");
    }
    size = 4;
    // An RLE run of L levels (2 bytes, and 1 to restart bit-packing) against L * bitWidth / 8 bytes.
    int minRun = Math.max(8, 24 / bitWidth + 1);
    int i = 0;
    while (i < count) {
      if (runFrom(levels, i, count, minRun)) {
        byte level = levels[i];
        int end = i + 8;
        while (end < count && levels[end] == level) {
          end++;
        }
        rleRun(end - i, level);
        i = end;
      } else {
        int start = i;
        int groups = 0;
        do {
          i += 8;
          groups++;
        } while (i < count && groups < MAX_GROUPS_PER_RUN && !runFrom(levels, i, count, minRun));
        bitPackedRun(levels, start, Math.min(i, count), groups, bitWidth);
      }
    }
    LittleEndian.INT.set(out, 0, size - 4);
    return BytesInput.from(out, 0, size);
  }

  /** Whether the {@code length} levels from {@code i} all exist and are equal. */
  private static boolean runFrom(byte[] levels, int i, int count, int length) {
    if (i + length > count) {
      return false;
    }
    long eight = (long) LittleEndian.LONG.get(levels, i);
    if (eight != (eight & 0xFF) * EVERY_BYTE) {
      return false;
    }
    for (int k = i + 8; k < i + length; k++) {
      if (levels[k] != levels[i]) {
        return false;
      }
    }
    return true;
  }

  private void rleRun(int length, byte level) {
    ensure(6);
    unsignedVarInt(length << 1);
    out[size++] = level;
  }

  /** Levels {@code [from, to)} in {@code groups} groups of eight, the last one padded with zeros. */
  private void bitPackedRun(byte[] levels, int from, int to, int groups, int bitWidth) {
    ensure(1 + groups * bitWidth);
    out[size++] = (byte) ((groups << 1) | 1);
    for (int g = 0; g < groups; g++) {
      int first = from + 8 * g;
      long packed = 0;
      for (int k = 0; k < 8 && first + k < to; k++) {
        packed |= (long) (levels[first + k] & 0xFF) << (k * bitWidth);
      }
      for (int b = 0; b < bitWidth; b++) {
        out[size++] = (byte) (packed >>> (8 * b));
      }
    }
  }

  private void unsignedVarInt(int value) {
    while ((value & ~0x7F) != 0) {
      out[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[size++] = (byte) value;
  }

  private void ensure(int more) {
    if (size + more > out.length) {
      out = Arrays.copyOf(out, Math.max(2 * out.length, size + more));
    }
  }
}
