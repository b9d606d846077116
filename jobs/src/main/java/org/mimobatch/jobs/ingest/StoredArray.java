package org.mimobatch.jobs.ingest;

import java.io.Serializable;
import org.mimobatch.pipeline.batch.Precision;

/**
 * One array of channels (or of path delays) in one file, as the driver found it: where its
 * elements are, how they are encoded, and its shape. Tasks open it again with {@link Readers}.
 *
 * @param file the file, as a Hadoop path
 * @param name how messages call it: the file and the variable, entry or dataset
 * @param kind how its elements are reached
 * @param entry the npz entry, HDF5 dataset path or MAT variable path
 * @param element which array a MAT path with {:} selects, in MATLAB's linear order; 0 otherwise
 * @param offset the file offset of element 0 for {@link Kind#RAW}
 * @param codec the element encoding (null for MAT, whose library decodes)
 * @param chunk the HDF5 chunk's extent along each logical axis (null unless chunked)
 * @param shape dimensions and axes
 * @param precision complex64 for 4-byte (single) elements, complex128 otherwise
 * @param imaginary where the real and imaginary parts are separate arrays (HDF5 datasets
 *     {@code name_re} and {@code name_im}, as QuaDRiGa's C++ library writes them), this array holds
 *     the real parts and {@code imaginary} the others; null otherwise
 */
record StoredArray(String file, String name, Kind kind, String entry, int element, long offset, ElementCodec codec,
    long[] chunk, ArrayShape shape, Precision precision, StoredArray imaginary) implements Serializable {

  /** How a task reaches the elements. */
  enum Kind {
    /** Uncompressed and contiguous at a file offset: .npy, stored .npz entries, contiguous HDF5. */
    RAW,
    /** HDF5 chunked (and possibly filtered) or compact: read by jhdf, a hyperslab at a time. */
    HDF5,
    /** A deflated .npz entry: read as a stream, in order. */
    DEFLATED,
    /** A MAT v5 variable, or an array inside it: decoded whole by the MAT library. */
    MAT
  }

  /** This array with its imaginary parts in {@code parts}. */
  StoredArray withImaginary(StoredArray parts) {
    return new StoredArray(file, name, kind, entry, element, offset, codec, chunk, shape, precision, parts);
  }

  /** Can a task read any part of it without the parts before (a split can start anywhere)? */
  boolean randomAccess() {
    return kind == Kind.RAW || kind == Kind.HDF5;
  }
}
