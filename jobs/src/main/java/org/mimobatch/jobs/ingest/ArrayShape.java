package org.mimobatch.jobs.ingest;

import org.mimobatch.jobs.io.Limits;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mimobatch.jobs.io.InputException;

/**
 * The geometry of one stored channel array: its dimensions in the order its tool documents them
 * (the logical order), what each axis indexes, and whether the file stores them row-major (NumPy's
 * C order, HDF5) or column-major (MATLAB, NumPy's Fortran order, and MATLAB v7.3 files, whose HDF5
 * dimensions are the logical ones reversed). Element m (a logical multi-index) lies at storage
 * position Σ m_i·stride(i).
 */
final class ArrayShape implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] dims;
  private final Axis[] axes;
  private final boolean columnMajor;
  private final long[] strides;

  ArrayShape(long[] dims, List<Axis> axes, boolean columnMajor) {
    this.dims = dims.clone();
    this.axes = axes.toArray(new Axis[0]);
    this.columnMajor = columnMajor;
    this.strides = new long[dims.length];
    long s = 1;
    for (int k = 0; k < dims.length; k++) {
      int i = storageAxis(dims.length - 1 - k);
      strides[i] = s;
      s *= dims[i];
    }
  }

  /**
   * The shape of an array of stored {@code dims} (logical order) read as {@code axes}. MATLAB drops
   * trailing singleton dimensions when it saves, so with {@code matlab} missing trailing axes are
   * taken as 1. Fails, naming the file, variable, axes and shape, when they do not match.
   */
  static ArrayShape of(long[] dims, List<Axis> axes, boolean columnMajor, boolean matlab, String where) {
    long[] d = dims;
    if (matlab && dims.length < axes.size()) {
      d = Arrays.copyOf(dims, axes.size());
      Arrays.fill(d, dims.length, d.length, 1);
    }
    if (d.length != axes.size()) {
      throw new InputException(where + ": expected " + axes.size() + " axes " + names(axes) + ", found shape "
          + Arrays.toString(dims) + " (set input.axes to one name per axis)");
    }
    long elements = 1;
    for (long n : d) {
      if (n < 0) {
        throw new InputException(where + ": shape " + Arrays.toString(dims) + " has a negative dimension");
      }
      try {
        elements = Math.multiplyExact(elements, n);
      } catch (ArithmeticException e) {
        throw new InputException(where + ": shape " + Arrays.toString(dims) + " holds more elements than any file can"
            + " (their count overflows 64 bits): the file is corrupt");
      }
    }
    ArrayShape shape = new ArrayShape(d, axes, columnMajor);
    int reim = shape.indexOf(Axis.REIM);
    if (reim >= 0 && d[reim] != 2) {
      throw new InputException(where + ": axis reim holds the real and imaginary parts, so its length is 2, found "
          + d[reim] + " in shape " + Arrays.toString(d) + " (axes " + names(axes) + ")");
    }
    for (Axis a : new Axis[] {Axis.RX, Axis.TX}) {
      long n = shape.size(a);
      if (n > Limits.MAX_ANTENNAS) {
        throw new InputException(where + ": axis " + a.configName() + " has " + n + " antennas, more than "
            + Limits.MAX_ANTENNAS + "; are input.axes " + names(axes) + " in the order of shape " + Arrays.toString(dims) + "?");
      }
    }
    return shape;
  }

  static String names(List<Axis> axes) {
    List<String> n = new ArrayList<>();
    for (Axis a : axes) {
      n.add(a.configName());
    }
    return n.toString();
  }

  int rank() {
    return dims.length;
  }

  long dim(int i) {
    return dims[i];
  }

  long[] dims() {
    return dims.clone();
  }

  Axis axis(int i) {
    return axes[i];
  }

  boolean columnMajor() {
    return columnMajor;
  }

  /** Storage position of logical axis i's unit step. */
  long stride(int i) {
    return strides[i];
  }

  /** The logical axis that is the k-th slowest in storage. */
  int storageAxis(int k) {
    return columnMajor ? dims.length - 1 - k : k;
  }

  /** Elements in the whole array. */
  long elements() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** The length of the (single) axis of role a, or 1 when no axis has it; for LINK the product of all. */
  long size(Axis a) {
    long n = 1;
    for (int i = 0; i < dims.length; i++) {
      if (axes[i] == a) {
        n *= dims[i];
      }
    }
    return n;
  }

  /** The logical axis of role a (RX, TX, SLOT, SUBCARRIER, PATH), or −1. */
  int indexOf(Axis a) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] == a) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The axis to split the array along: the slowest one in storage that is longer than 1 and holds
   * neither antennas nor paths (a matrix, and all the paths of one, must stay in one read), and one
   * index of which spans at most {@code maxElements}; failing that, the longest such axis; −1 when
   * the array has none (it is one read).
   */
  int splitAxis(long maxElements) {
    int longest = -1;
    long total = elements();
    for (int k = 0; k < dims.length; k++) {
      int i = storageAxis(k);
      if (dims[i] > 1 && !axes[i].inMatrix()) {
        if (total / dims[i] <= maxElements) {
          return i;
        }
        if (longest < 0 || dims[i] > dims[longest]) {
          longest = i;
        }
      }
    }
    return longest;
  }

  /** Matrices (or path-level groups) per index of logical axis i, the whole array for −1. */
  long groupsPer(int i) {
    long n = 1;
    for (int j = 0; j < dims.length; j++) {
      if (j != i && !axes[j].inMatrix()) {
        n *= dims[j];
      }
    }
    return n;
  }
}
