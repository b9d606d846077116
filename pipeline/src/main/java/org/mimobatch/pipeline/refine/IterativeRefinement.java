package org.mimobatch.pipeline.refine;

/**
 * The batched iteration that every refinement shares. The chunk is walked in blocks of
 * {@value #BLOCK} matrices so that the iterates stay in cache; inside a block, each iteration visits
 * every active matrix once (the loss of its current iterate, then one update), and a matrix leaves
 * the active list as soon as it converges, turns non-finite or runs out of iterations. A failing
 * matrix therefore never touches its neighbours' state.
 *
 * <p>Subclasses keep their state per block slot and implement the four steps below; none of them
 * allocates.
 */
abstract class IterativeRefinement implements Refinement {
  static final int BLOCK = 32;

  private final double tolerance;
  private final int maxIterations;
  private final int[] active = new int[BLOCK];
  /** Iterates towards an inverse: rank-deficient matrices are not applicable. */
  private boolean needsInverse;

  IterativeRefinement(double tolerance, int maxIterations) {
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
  }

  /** Marks this method as one that iterates towards the inverse of each matrix. */
  void needsInverse(boolean needsInverse) {
    this.needsInverse = needsInverse;
  }

  /** Called once per chunk before any block, e.g. for a backend call over the whole chunk. */
  void prepareChunk(RefineInput in) {}

  /**
   * Sets up matrix {@code i} in {@code slot}; returns null to iterate, or the final status when the
   * method cannot run on it (not applicable, degenerate, ...).
   */
  abstract RefineStatus prepare(RefineInput in, int i, int slot);

  /** The loss of the slot's current iterate; may keep intermediate products for {@link #step}. */
  abstract double loss(RefineInput in, int i, int slot);

  /** One update of the slot's iterate; {@code iteration} counts from 0. */
  abstract void step(RefineInput in, int i, int slot, int iteration);

  /**
   * Whether the slot must stop now with the status returned (null: go on), checked after each
   * {@link #loss} and {@link #step}: a kernel inside them that did not converge, say. The iterate
   * it stops at is the last accepted one.
   */
  RefineStatus halted(int slot) {
    return null;
  }

  /** Writes the error of the slot's final iterate (and anything else) once it has stopped with a result. */
  abstract void finish(RefineInput in, int i, int slot, RefineResult out);

  @Override
  public final void run(RefineInput in, RefineResult out, HistorySink history) {
    out.clear(in.count);
    prepareChunk(in);
    for (int first = 0; first < in.count; first += BLOCK) {
      int size = Math.min(BLOCK, in.count - first);
      int count = 0;
      for (int slot = 0; slot < size; slot++) {
        int i = first + slot;
        if (!in.ok(i)) {
          continue; // NONE: the row carries no refinement results
        }
        RefineStatus early = needsInverse && !in.fullRank(i) ? RefineStatus.NOT_APPLICABLE : prepare(in, i, slot);
        if (early == null) {
          active[count++] = slot;
        } else {
          out.set(i, early, 0, Double.NaN);
        }
      }
      for (int iteration = 0; count > 0; iteration++) {
        int kept = 0;
        for (int a = 0; a < count; a++) {
          int slot = active[a];
          int i = first + slot;
          double loss = loss(in, i, slot);
          if (history.sampled(i)) {
            history.record(i, method(), iteration, loss);
          }
          RefineStatus end = halted(slot) != null ? halted(slot)
              : !Double.isFinite(loss) ? RefineStatus.NON_FINITE
              : loss <= tolerance ? RefineStatus.CONVERGED
              : iteration >= maxIterations ? RefineStatus.NOT_CONVERGED
              : null;
          if (end == null) {
            step(in, i, slot, iteration);
            // A step that halts was not applied: the iterate and its loss are those above.
            end = halted(slot);
          }
          if (end != null) {
            out.set(i, end, iteration, end == RefineStatus.NON_FINITE || !Double.isFinite(loss) ? Double.NaN : loss);
            if (end.hasResult()) {
              finish(in, i, slot, out);
            }
            continue;
          }
          active[kept++] = slot;
        }
        count = kept;
      }
    }
  }

  double tolerance() {
    return tolerance;
  }
}
