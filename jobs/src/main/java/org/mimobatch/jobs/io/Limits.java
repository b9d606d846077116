package org.mimobatch.jobs.io;

/**
 * The sizes past which a run is refused before any work, shared by the settings, the ingest
 * planner and the analysis.
 */
public final class Limits {
  /** Largest antenna count per side: a chunk of 1024 such matrices with its work arrays must fit an executor. */
  public static final int MAX_ANTENNAS = 256;
  /**
   * Most matrices one run plans, a hundred times the largest batches mimobatch is made for: past
   * it the driver's plan (a piece or a partition per 65,536 matrices) would not fit its memory.
   */
  public static final long MAX_MATRICES = 100_000_000_000L;
  /** Most partitions a run's channels are drawn or read in: each is a task the driver tracks. */
  public static final int MAX_PARTITIONS = 1 << 20;

  private Limits() {}
}
