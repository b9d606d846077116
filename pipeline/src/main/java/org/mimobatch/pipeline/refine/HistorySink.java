package org.mimobatch.pipeline.refine;

/** Receives the loss of every iteration of the matrices chosen for loss histories. */
public interface HistorySink {
  /** Records nothing. */
  HistorySink NONE = new HistorySink() {
    @Override
    public boolean sampled(int matrix) {
      return false;
    }

    @Override
    public void record(int matrix, RefineMethod method, int iteration, double loss) {}
  };

  /** Does matrix {@code matrix} of the chunk keep a history? */
  boolean sampled(int matrix);

  void record(int matrix, RefineMethod method, int iteration, double loss);
}
