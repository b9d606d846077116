package org.mimobatch.pipeline.refine;

/**
 * One iterative refinement run over a whole chunk: every iteration updates all matrices still
 * active, a matrix leaves when its loss falls below the tolerance, its iterate stops being finite,
 * or max-iterations runs out, and the others go on.
 */
interface Refinement {
  RefineMethod method();

  /** Runs on matrices 0 .. in.count-1 and writes their outcome to {@code out}. */
  void run(RefineInput in, RefineResult out, HistorySink history);
}
