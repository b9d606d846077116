package org.mimobatch.jobs.ingest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's share of one array: the indices [from, from + count) of logical axis {@code axis}
 * (−1: the whole array). The driver cuts arrays along the axis {@link ArrayShape#splitAxis} picks,
 * in multiples of the HDF5 chunk there, into pieces of about the matrices a partition should hold;
 * arrays that must be read in order (deflated .npz entries) or whole (MAT v5) are one piece.
 */
record Piece(int member, int axis, long from, long count) implements Serializable {
  /** Elements one read holds at most: a task's memory stays flat whatever the file size. */
  static final long SLAB_ELEMENTS = 1L << 21;

  static List<Piece> plan(List<Catalog.Member> members, IngestSpec spec, long matricesPerPiece) {
    List<Piece> pieces = new ArrayList<>();
    for (int m = 0; m < members.size(); m++) {
      Catalog.Member member = members.get(m);
      StoredArray a = member.channels();
      ArrayShape s = a.shape();
      if (member.matrices(spec) == 0) {
        continue; // an empty array: nothing to read
      }
      int axis = switch (a.kind()) {
        case RAW, HDF5 -> s.splitAxis(SLAB_ELEMENTS);
        // A stream is read in storage order: split only along the slowest stored axis.
        case DEFLATED -> s.splitAxis(SLAB_ELEMENTS) == s.storageAxis(0) ? s.storageAxis(0) : -1;
        case MAT -> -1;
      };
      if (axis < 0 || !a.randomAccess()) {
        pieces.add(new Piece(m, axis, 0, axis < 0 ? 1 : s.dim(axis)));
        continue;
      }
      long perIndex = Math.max(1, member.matrices(spec) / s.dim(axis));
      long step = align(Math.max(1, matricesPerPiece / perIndex), a, axis);
      for (long from = 0; from < s.dim(axis); from += step) {
        pieces.add(new Piece(m, axis, from, Math.min(step, s.dim(axis) - from)));
      }
    }
    return pieces;
  }

  /** {@code n} rounded up to whole HDF5 chunks along {@code axis}, so that no chunk is read by two tasks. */
  static long align(long n, StoredArray a, int axis) {
    if (a.chunk() == null || a.chunk()[axis] <= 1) {
      return n;
    }
    long c = a.chunk()[axis];
    return (n + c - 1) / c * c;
  }

  /** Indices of the split axis per read within this piece. */
  long step(StoredArray a) {
    if (axis < 0) {
      return 1;
    }
    ArrayShape s = a.shape();
    long perIndex = s.elements() / s.dim(axis);
    return Math.min(count, align(Math.max(1, SLAB_ELEMENTS / perIndex), a, axis));
  }
}
