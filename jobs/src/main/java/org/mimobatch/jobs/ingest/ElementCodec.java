package org.mimobatch.jobs.ingest;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mimobatch.pipeline.batch.Precision;

/**
 * How one stored element is laid out in bytes: a real or complex number of 4- or 8-byte IEEE
 * floats in either byte order, the real part at {@code reOffset} and the imaginary part at
 * {@code imOffset} (−1 for a real array, read as complex with zero imaginary part). Covers NumPy's
 * c8, c16, f4, f8 in both byte orders, HDF5 compounds such as h5py's {r, i} and MATLAB's
 * {real, imag}, and plain HDF5 floats.
 *
 * @param size bytes per element, members and any padding included
 * @param doubles 8-byte parts (else 4-byte)
 * @param bigEndian the parts' byte order
 */
record ElementCodec(int size, int reOffset, int imOffset, boolean doubles, boolean bigEndian) implements Serializable {
  ElementCodec {
    int part = doubles ? 8 : 4;
    if (reOffset < 0 || reOffset + part > size || imOffset >= 0 && imOffset + part > size) {
      throw new IllegalArgumentException("parts of " + part + " bytes at " + reOffset + " and " + imOffset
          + " do not fit an element of " + size + " bytes");
    }
  }

  static ElementCodec complex(boolean doubles, boolean bigEndian) {
    int part = doubles ? 8 : 4;
    return new ElementCodec(2 * part, 0, part, doubles, bigEndian);
  }

  static ElementCodec real(boolean doubles, boolean bigEndian) {
    return new ElementCodec(doubles ? 8 : 4, 0, -1, doubles, bigEndian);
  }

  boolean isComplex() {
    return imOffset >= 0;
  }

  /** complex64 for 4-byte parts, complex128 for 8-byte ones. */
  Precision precision() {
    return doubles ? Precision.DOUBLE : Precision.SINGLE;
  }

  ByteOrder order() {
    return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  /**
   * Decodes {@code count} elements from {@code src} (from its position, which it advances) into
   * {@code dst} as interleaved (re, im) pairs from index {@code 2·at}.
   */
  void decode(ByteBuffer src, int count, double[] dst, int at) {
    ByteBuffer b = src.order(order());
    int base = b.position();
    int d = 2 * at;
    for (int i = 0; i < count; i++, d += 2) {
      int e = base + i * size;
      if (doubles) {
        dst[d] = b.getDouble(e + reOffset);
        dst[d + 1] = imOffset < 0 ? 0 : b.getDouble(e + imOffset);
      } else {
        dst[d] = b.getFloat(e + reOffset);
        dst[d + 1] = imOffset < 0 ? 0 : b.getFloat(e + imOffset);
      }
    }
    b.position(base + count * size);
  }
}
