package org.mimobatch.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mimobatch.jobs.io.InputException;

/** The .npy header reader and the element decoding on every dtype numpy writes for channels. */
class NpyHeaderTest {
  /** A header as numpy.lib.format writes it: magic, version, length, the dict padded to 64 bytes. */
  private static ByteBuffer header(int major, String dict) {
    int prefix = major == 1 ? 10 : 12;
    int pad = 64 - (prefix + dict.length() + 1) % 64;
    byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) text.length);
    } else {
      b.putInt(text.length);
    }
    b.put(text);
    b.flip();
    return b;
  }

  @Test
  void readsEveryVersionDtypeAndOrder() {
    ByteBuffer v1 = header(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (3, 2, 4, 5), }");
    NpyHeader h = NpyHeader.parse(v1, "f");
    assertEquals(v1.limit(), h.dataOffset(), "the data follows the padded header");
    assertEquals(0, h.dataOffset() % 64);
    assertArrayEquals(new long[] {3, 2, 4, 5}, h.shape());
    assertFalse(h.fortranOrder());
    assertEquals(ElementCodec.complex(false, false), h.codec());
    assertEquals(3L * 2 * 4 * 5 * 8, h.dataBytes());

    ByteBuffer v2 = header(2, "{'descr': '>c16', 'fortran_order': True, 'shape': (7,), }");
    h = NpyHeader.parse(v2, "f");
    assertEquals(v2.limit(), h.dataOffset());
    assertArrayEquals(new long[] {7}, h.shape());
    assertTrue(h.fortranOrder());
    assertEquals(ElementCodec.complex(true, true), h.codec());

    h = NpyHeader.parse(header(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }"), "f");
    assertEquals(0, h.shape().length);
    assertEquals(ElementCodec.real(false, false), h.codec());
  }

  @Test
  void decodesBothByteOrdersAndRealArrays() {
    ByteBuffer big = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2).putDouble(3)
        .putDouble(0.25);
    big.flip();
    double[] out = new double[4];
    ElementCodec.complex(true, true).decode(big, 2, out, 0);
    assertArrayEquals(new double[] {1.5, -2, 3, 0.25}, out);
    ByteBuffer floats = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(2.5f).putFloat(-1);
    floats.flip();
    ElementCodec.real(false, false).decode(floats, 2, out, 0);
    assertArrayEquals(new double[] {2.5, 0, -1, 0}, out, "real values get a zero imaginary part");
    // h5py's compound {r, i} of float64 has the same layout as c16; MATLAB's {real, imag} too.
    ByteBuffer compound = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(4).putDouble(5);
    compound.flip();
    new ElementCodec(16, 0, 8, true, false).decode(compound, 1, out, 1);
    assertEquals(4, out[2]);
    assertEquals(5, out[3]);
  }

  @Test
  void rejectsWhatIsNotAChannelArrayNamingTheFile() {
    String m = assertThrows(InputException.class, () -> NpyHeader.parse(
        header(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"), "a.npy")).getMessage();
    assertTrue(m.startsWith("a.npy: dtype '<i4' is not a channel dtype"), m);
    m = assertThrows(InputException.class, () -> NpyHeader.parse(
        header(1, "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (3,), }"), "a.npy")).getMessage();
    assertTrue(m.contains("structured"), m);
    m = assertThrows(InputException.class, () -> NpyHeader.parse(ByteBuffer.wrap("PK\3\4 zip".getBytes()), "b.npy"))
        .getMessage();
    assertTrue(m.startsWith("b.npy is not a NumPy .npy array"), m);
    ByteBuffer cut = header(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }");
    cut.limit(30);
    m = assertThrows(InputException.class, () -> NpyHeader.parse(cut, "c.npy")).getMessage();
    assertTrue(m.startsWith("c.npy is truncated or corrupt: its .npy header of") && m.contains("at offset 10"), m);
    m = assertThrows(InputException.class, () -> NpyHeader.parse(header(4, "{}"), "d.npy")).getMessage();
    assertTrue(m.contains("version 4"), m);
  }
}
