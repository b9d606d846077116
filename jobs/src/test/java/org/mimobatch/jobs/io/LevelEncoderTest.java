package org.mimobatch.jobs.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

/**
 * Levels encoded a page at a time, decoded by parquet-mr's own RLE / bit-packing hybrid decoder:
 * constant pages, the repeating patterns of fixed-length lists, random runs at several bit widths,
 * bit-packed stretches longer than one run holds, and lengths that end inside a group of eight.
 */
class LevelEncoderTest {
  private final LevelEncoder encoder = new LevelEncoder();

  @Test
  void constantLevelsBecomeOneRleRun() throws IOException {
    for (int count : new int[] {1, 7, 8, 9, 64, 100_003}) {
      byte[] levels = new byte[count];
      java.util.Arrays.fill(levels, (byte) 2);
      byte[] encoded = roundTrip(levels, count, 2);
      // One run header and the level; short pages bit-packed in no more bytes than that.
      assertTrue(encoded.length <= 4 + Math.max(4, 1 + (count + 7) / 8 * 2), count + " equal levels in "
          + encoded.length + " bytes");
    }
  }

  @Test
  void listPatternsRoundTripAndPackToABitPerLevel() throws IOException {
    for (int n = 1; n <= 20; n++) {
      int rows = 5_000 + n;
      byte[] levels = new byte[rows * n];
      for (int r = 0; r < rows; r++) {
        for (int k = 1; k < n; k++) {
          levels[r * n + k] = 1;
        }
      }
      byte[] encoded = roundTrip(levels, levels.length, 1);
      // Bit-packed at one bit per level (plus a header per 63 groups), or shorter where RLE runs.
      assertTrue(encoded.length <= 4 + levels.length / 8 * 64 / 63 + 8,
          "lists of " + n + ": " + levels.length + " levels in " + encoded.length + " bytes");
    }
  }

  @Test
  void randomRunsRoundTripAtEveryWidth() throws IOException {
    Random random = new Random(42);
    for (int bitWidth = 1; bitWidth <= 8; bitWidth++) {
      for (int trial = 0; trial < 40; trial++) {
        int count = random.nextInt(3_000);
        byte[] levels = new byte[count];
        int i = 0;
        while (i < count) {
          int run = random.nextBoolean() ? 1 + random.nextInt(4) : 1 + random.nextInt(40);
          byte level = (byte) random.nextInt(1 << bitWidth);
          for (int k = 0; k < run && i < count; k++) {
            levels[i++] = level;
          }
        }
        roundTrip(levels, count, bitWidth);
      }
    }
  }

  @Test
  void longBitPackedStretchesSpanSeveralRuns() throws IOException {
    byte[] levels = new byte[10_001];
    for (int i = 0; i < levels.length; i++) {
      levels[i] = (byte) (i % 3 == 0 ? 0 : i % 3);
    }
    roundTrip(levels, levels.length, 2);
  }

  @Test
  void onlyTheGivenCountIsEncoded() throws IOException {
    byte[] levels = {0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    byte[] encoded = roundTrip(levels, 11, 1);
    assertEquals(0, roundTrip(levels, 0, 1).length - 4, "no levels, no runs");
    assertTrue(encoded.length > 4);
  }

  @Test
  void widthsOutsideALevelByteAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(new byte[8], 8, 0));
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(new byte[8], 8, 9));
  }

  /** Encodes, checks the length prefix, decodes with parquet-mr and compares; returns the bytes. */
  private byte[] roundTrip(byte[] levels, int count, int bitWidth) throws IOException {
    byte[] encoded = encoder.encode(levels, count, bitWidth).toByteArray();
    int length = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertEquals(encoded.length - 4, length, "the V1 length prefix");
    RunLengthBitPackingHybridDecoder decoder = new RunLengthBitPackingHybridDecoder(bitWidth,
        new ByteArrayInputStream(encoded, 4, length));
    byte[] decoded = new byte[count];
    for (int i = 0; i < count; i++) {
      decoded[i] = (byte) decoder.readInt();
    }
    assertArrayEquals(java.util.Arrays.copyOf(levels, count), decoded, count + " levels at width " + bitWidth);
    return encoded;
  }
}
