package org.mimobatch.jobs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes .npy files as numpy.save does (format 1.0, C order, little-endian complex128), for tests
 * that need channels numpy could have written: values as interleaved (re, im) doubles.
 */
public final class NpyFiles {
  private NpyFiles() {}

  public static void write(Path file, long[] shape, double[] values) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    write(file, "{'descr': '<c16', 'fortran_order': False, 'shape': (" + dims + "), }", values);
  }

  /** A .npy file of header dict {@code header} (any text) and {@code values} as little-endian doubles. */
  public static void write(Path file, String header, double[] values) throws IOException {
    int pad = 64 - (10 + header.length() + 1) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (double v : values) {
      b.putDouble(v);
    }
    Files.write(file, b.array());
  }

  /** i.i.d. CN(0, 1) entries for an array of {@code elements} complex entries, seeded. */
  public static double[] gaussian(long elements, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    double[] v = new double[(int) (2 * elements)];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian() * Math.sqrt(0.5);
    }
    return v;
  }
}
