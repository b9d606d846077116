package org.mimobatch.pipeline.backend.cuda;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;

import org.bytedeco.javacpp.Pointer;

/**
 * A grow-only allocation on the device or in pinned (page-locked) host memory, kept across chunks:
 * chunks of one shape reuse it, and it is reallocated only when a chunk needs more bytes than any
 * before. Pinned host memory is what lets the copies to and from the device run at full bus speed.
 */
final class Memory implements AutoCloseable {
  private final boolean pinnedHost;
  private final String what;
  private Pointer base;
  private long bytes;

  private Memory(boolean pinnedHost, String what) {
    this.pinnedHost = pinnedHost;
    this.what = what;
  }

  static Memory device(String what) {
    return new Memory(false, what);
  }

  static Memory pinned(String what) {
    return new Memory(true, what);
  }

  /** At least {@code needed} bytes; the old contents are not kept. */
  Pointer ensure(long needed) {
    if (base == null || bytes < needed) {
      close();
      long size = Math.max(needed, 256);
      Pointer p = new Pointer();
      CudaRuntime.check(pinnedHost ? cudaMallocHost(p, size) : cudaMalloc(p, size),
          (pinnedHost ? "cudaMallocHost" : "cudaMalloc") + " of " + size + " bytes for " + what);
      base = p;
      bytes = size;
    }
    return base;
  }

  /** The address {@code offset} bytes into the allocation. */
  long address(long offset) {
    return base.address() + offset;
  }

  Pointer base() {
    return base;
  }

  @Override
  public void close() {
    if (base != null) {
      // Errors on free are ignored: there is nothing left to do with the memory either way.
      if (pinnedHost) {
        cudaFreeHost(base);
      } else {
        cudaFree(base);
      }
      base = null;
      bytes = 0;
    }
  }
}
