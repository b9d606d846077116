package org.mimobatch.pipeline.channel;

import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.util.SplitMix;

/**
 * Draws channel matrices. The unit of generation is one (link, slot): all its subcarriers are written
 * at once, from a random stream seeded by (seed, link, slot) alone, so the values never depend on
 * which task, partition or run produces them.
 *
 * <ul>
 *   <li>rayleigh: every entry CN(0, 1), independent across subcarriers.</li>
 *   <li>kronecker: H = L_rx · W · L_txᵀ with W i.i.d. CN(0, 1) and L the Cholesky factor of the
 *       exponential correlation R[i][j] = ρ^|i−j|, so E[H Hᴴ] = tx · R_rx and E[Hᴴ H] = rx · R_tx.</li>
 *   <li>tdl: per (link, slot) L tap matrices G_l = √P_l · L_rx W_l L_txᵀ, and on subcarrier k
 *       H_k = Σ_l G_l · exp(−j 2π k Δf τ_l): neighbouring subcarriers are correlated through the
 *       frequency correlation Σ_l P_l exp(j 2π Δk Δf τ_l) of the delay profile.</li>
 * </ul>
 * Entries have unit average power in every model. One instance per thread; it reuses its scratch
 * arrays and allocates nothing per matrix.
 */
public final class ChannelGenerator {
  /** Separates the channel streams from every other use of the seed. */
  private static final long CHANNEL_STREAM = 0x636861_6E6E656CL;

  private final ChannelSpec spec;
  private final int rx;
  private final int tx;
  private final double[] lrx;
  private final double[] ltx;
  private final DelayProfile profile;
  /** exp(−j 2π k Δf τ_l) for subcarrier k and tap l at [2 (k L + l)], [2 (k L + l) + 1]. */
  private final double[] phases;
  /** Scratch: the i.i.d. draws, and the correlated matrix or tap matrices, column-major interleaved. */
  private final double[] draws;
  private final double[] work;
  private final double[] taps;
  private final SplitMix rng = new SplitMix(0);

  public ChannelGenerator(ChannelSpec spec) {
    this.spec = spec;
    this.rx = spec.rx();
    this.tx = spec.tx();
    boolean correlated = spec.model() != ChannelModel.RAYLEIGH;
    this.lrx = correlated && spec.correlationRx() > 0 ? exponentialCholesky(rx, spec.correlationRx()) : null;
    this.ltx = correlated && spec.correlationTx() > 0 ? exponentialCholesky(tx, spec.correlationTx()) : null;
    int entries = 2 * rx * tx;
    this.draws = new double[entries];
    this.work = new double[entries];
    if (spec.model() == ChannelModel.TDL) {
      this.profile = spec.tdl().delayProfile(spec.subcarriers());
      int l = profile.taps();
      this.taps = new double[l * entries];
      this.phases = new double[2 * spec.subcarriers() * l];
      double[] delays = new double[l];
      for (int t = 0; t < l; t++) {
        delays[t] = profile.delay(t);
      }
      FrequencyResponse.phases(spec.subcarriers(), 0, spec.tdl().subcarrierSpacingKhz() * 1e3, delays, l, phases);
    } else {
      this.profile = null;
      this.taps = null;
      this.phases = null;
    }
  }

  public ChannelSpec spec() {
    return spec;
  }

  /** The delay profile of a tdl model, or null. */
  public DelayProfile delayProfile() {
    return profile;
  }

  /**
   * Writes the matrices of (link, slot) into {@code out}: subcarrier k becomes matrix k. {@code out}
   * must be rx × tx with room for every subcarrier; its count is set to the number of subcarriers.
   */
  public void generate(long link, long slot, ComplexBatch out) {
    if (out.rows() != rx || out.cols() != tx || out.capacity() < spec.subcarriers()) {
      throw new IllegalArgumentException("channels of " + rx + "x" + tx + " on " + spec.subcarriers()
          + " subcarriers need a batch of that shape and capacity, got " + out);
    }
    rng.reseed(SplitMix.streamSeed(spec.seed(), CHANNEL_STREAM, link, slot));
    int k = spec.subcarriers();
    out.setCount(k);
    if (spec.model() == ChannelModel.TDL) {
      drawTaps();
      for (int s = 0; s < k; s++) {
        combineTaps(s, out);
      }
    } else {
      for (int s = 0; s < k; s++) {
        rng.complexNormal(draws, 0, rx * tx, 1.0);
        double[] h = correlate(draws);
        store(h, out, s);
      }
    }
  }

  private void drawTaps() {
    int entries = 2 * rx * tx;
    for (int l = 0; l < profile.taps(); l++) {
      rng.complexNormal(draws, 0, rx * tx, Math.sqrt(profile.power(l)));
      System.arraycopy(correlate(draws), 0, taps, l * entries, entries);
    }
  }

  private void combineTaps(int subcarrier, ComplexBatch out) {
    FrequencyResponse.combine(taps, profile.taps(), 2 * rx * tx, phases, subcarrier, work);
    store(work, out, subcarrier);
  }

  /** L_rx · w · L_txᵀ for a column-major rx×tx matrix w; returns w itself when uncorrelated. */
  private double[] correlate(double[] w) {
    if (lrx == null && ltx == null) {
      return w;
    }
    double[] t = work;
    // t = w · L_txᵀ: t[i][j] = Σ_{c ≤ j} w[i][c] · L_tx[j][c]
    for (int i = 0; i < rx; i++) {
      for (int j = 0; j < tx; j++) {
        double sr = 0;
        double si = 0;
        for (int c = 0; c <= j; c++) {
          double l = ltx == null ? (c == j ? 1 : 0) : ltx[j * tx + c];
          sr += w[2 * (c * rx + i)] * l;
          si += w[2 * (c * rx + i) + 1] * l;
        }
        t[2 * (j * rx + i)] = sr;
        t[2 * (j * rx + i) + 1] = si;
      }
    }
    if (lrx == null) {
      System.arraycopy(t, 0, w, 0, w.length);
      return w;
    }
    // w = L_rx · t: w[i][j] = Σ_{r ≤ i} L_rx[i][r] · t[r][j]
    for (int j = 0; j < tx; j++) {
      for (int i = 0; i < rx; i++) {
        double sr = 0;
        double si = 0;
        for (int r = 0; r <= i; r++) {
          double l = lrx[i * rx + r];
          sr += l * t[2 * (j * rx + r)];
          si += l * t[2 * (j * rx + r) + 1];
        }
        w[2 * (j * rx + i)] = sr;
        w[2 * (j * rx + i) + 1] = si;
      }
    }
    return w;
  }

  private static void store(double[] h, ComplexBatch out, int k) {
    int base = out.offset(k);
    for (int x = 0; x < h.length; x++) {
      out.put(base + x, h[x]);
    }
  }

  /**
   * The lower-triangular L with L Lᵀ = R, R[i][j] = ρ^|i−j|, in closed form: L[i][0] = ρ^i and
   * L[i][j] = ρ^(i−j) √(1−ρ²) for 1 ≤ j ≤ i. Row-major n×n. Valid for ρ = 1 too (rank one).
   */
  static double[] exponentialCholesky(int n, double rho) {
    double[] l = new double[n * n];
    double c = Math.sqrt(1 - rho * rho);
    for (int i = 0; i < n; i++) {
      l[i * n] = StrictMath.pow(rho, i);
      for (int j = 1; j <= i; j++) {
        l[i * n + j] = StrictMath.pow(rho, i - j) * c;
      }
    }
    return l;
  }
}
