package org.mimobatch.pipeline.channel;

import org.mimobatch.pipeline.kernels.ComplexAxpyLanes;
import org.mimobatch.pipeline.kernels.VectorModule;

/**
 * The frequency response of a channel given by paths (or taps): H_k = Σ_p G_p·exp(−j2π f_k τ_p)
 * at subcarrier frequencies f_k = (k + first)·Δf. The TDL generator and the ingest of path-level
 * files (Sionna's CIR, QuaDRiGa's coefficients, the 5G Toolbox's path gains) both use it: the
 * phases once per set of delays, then one combination per subcarrier.
 */
public final class FrequencyResponse {
  private FrequencyResponse() {}

  /**
   * exp(−j2π (k + first) Δf τ_p) for subcarriers k = 0 … n−1 and paths p, at
   * {@code out[2 (k·paths + p)]} (re) and the next entry (im). {@code first} is 0 for frequencies
   * from the carrier up, −⌊n/2⌋ for a grid centred on it.
   */
  public static void phases(int n, int first, double spacingHz, double[] delays, int paths, double[] out) {
    for (int k = 0; k < n; k++) {
      for (int p = 0; p < paths; p++) {
        double angle = -2 * Math.PI * (k + first) * spacingHz * delays[p];
        out[2 * (k * paths + p)] = StrictMath.cos(angle);
        out[2 * (k * paths + p) + 1] = StrictMath.sin(angle);
      }
    }
  }

  /**
   * The response at subcarrier k into {@code out} ({@code entries} doubles: interleaved complex
   * entries of one matrix): Σ_p taps[p·entries …]·phase(k, p), with {@code phases} from
   * {@link #phases}.
   */
  public static void combine(double[] taps, int paths, int entries, double[] phases, int k, double[] out) {
    java.util.Arrays.fill(out, 0, entries, 0.0);
    boolean lanes = VectorModule.present();
    for (int t = 0; t < paths; t++) {
      double pr = phases[2 * (k * paths + t)];
      double pi = phases[2 * (k * paths + t) + 1];
      int base = t * entries;
      if (lanes) {
        ComplexAxpyLanes.axpy(pr, pi, taps, base, out, 0, entries);
        continue;
      }
      for (int x = 0; x < entries; x += 2) {
        double gr = taps[base + x];
        double gi = taps[base + x + 1];
        out[x] += gr * pr - gi * pi;
        out[x + 1] += gr * pi + gi * pr;
      }
    }
  }
}
