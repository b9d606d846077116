package org.mimobatch.pipeline.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Singular values of small complex matrices by one-sided (Hestenes) Jacobi, one matrix per lane of
 * a SIMD register: a group of {@link #lanes()} matrices goes through the same sweeps in lockstep,
 * so every instruction serves all of them. One-sided Jacobi suits this because its control flow
 * does not depend on the data (a lane whose pair is already orthogonal gets the identity rotation),
 * where Golub–Kahan deflates at a different place in every matrix; and at these orders its sweeps
 * are throughput-bound vector work rather than a latency-bound chain of square roots and
 * divisions.
 *
 * <p>Each pair (p, q) of columns is made orthogonal by a unitary 2×2 rotation: with γ = a_pᴴa_q,
 * a_q is first turned by the phase of γ so that the pair's Gram matrix is real, then rotated by
 * the real Jacobi angle. Sweeps visit every pair, in round-robin order, until no pair in any lane
 * needs a rotation
 * (|γ| ≤ m·ε·‖a_p‖·‖a_q‖, or |γ| ≤ ε·‖A‖_F·max(‖a_p‖, ‖a_q‖)); the singular values
 * are then the column norms, to a few ε·‖A‖ as the contract asks (with relative accuracy for
 * those well above that floor). A lane that still rotated after {@link #MAX_SWEEPS} sweeps is
 * reported as not converged.
 *
 * <p>Layout: lane l's entry (i, j), real and imaginary part, at
 * {@code ((j·rows + i)·2 + part)·lanes + l}. Inputs are scaled by their largest entry, so squared
 * norms neither overflow nor underflow; wide matrices are decomposed as Aᴴ. Needs the
 * {@code jdk.incubator.vector} module ({@link VectorModule#present()}); one instance per thread.
 */
public final class JacobiLanes extends TallLanes {
  public static final int MAX_SWEEPS = 40;
  private static final VectorSpecies<Double> SPECIES = Lanes.SPECIES;
  private static final double EPS = Math.ulp(1.0) / 2;

  private final double[] norms;
  /** Per lane: (ε·‖A‖_F)², the absolute part of the convergence test. */
  private final double[] floor;
  /** Per lane: the largest |γ|² − threshold of the current sweep; positive where it rotated. */
  private final double[] excess;
  private final boolean[] converged;
  private final double[] sorted;
  private final int[] pairP;
  private final int[] pairQ;
  private int pairCount;
  private int pairsFor = -1;

  /** Work arrays for matrices with at most {@code maxDim} rows and columns. */
  public JacobiLanes(int maxDim) {
    super(maxDim);
    norms = new double[maxDim * LANES];
    floor = new double[LANES];
    excess = new double[LANES];
    converged = new boolean[LANES];
    sorted = new double[maxDim];
    pairP = new int[maxDim * maxDim / 2 + 1];
    pairQ = new int[maxDim * maxDim / 2 + 1];
  }

  /** Matrices per group on this machine: the preferred vector's doubles (4 with AVX2, 8 with AVX-512). */
  public static int lanesInThisJvm() {
    return SPECIES.length();
  }

  /** Runs the sweeps on the loaded group of m×n matrices. */
  public void run(int m, int n) {
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    if (cols != pairsFor) {
      roundRobin(cols);
    }
    double tol = rows * EPS;
    boolean rotated = true;
    for (int sweep = 0; sweep < MAX_SWEEPS && rotated; sweep++) {
      storeNorms(rows, cols);
      java.util.Arrays.fill(excess, Double.NEGATIVE_INFINITY);
      rotated = false;
      for (int x = 0; x < pairCount; x++) {
        rotated |= rotate(pairP[x], pairQ[x], rows, tol * tol);
      }
    }
    for (int l = 0; l < LANES; l++) {
      converged[l] = !(excess[l] > 0);
    }
  }

  /**
   * Every pair of the {@code cols} columns once, in the rounds of a round-robin tournament: the
   * pairs of a round are disjoint, so consecutive rotations do not wait for one another's columns
   * and the core overlaps their chains of square roots and divisions.
   */
  private void roundRobin(int cols) {
    int players = cols + (cols & 1); // an odd count gets a bye, the last position
    int[] seat = new int[players];
    for (int i = 0; i < players; i++) {
      seat[i] = i;
    }
    pairCount = 0;
    for (int round = 0; round < players - 1; round++) {
      for (int k = 0; k < players / 2; k++) {
        int p = Math.min(seat[k], seat[players - 1 - k]);
        int q = Math.max(seat[k], seat[players - 1 - k]);
        if (q < cols) {
          pairP[pairCount] = p;
          pairQ[pairCount++] = q;
        }
      }
      // Seat 0 stays; the others move one place round.
      int last = seat[players - 1];
      System.arraycopy(seat, 1, seat, 2, players - 2);
      seat[1] = last;
    }
    pairsFor = cols;
  }

  /** Whether {@code lane} converged in the last {@link #run}. */
  public boolean converged(int lane) {
    return converged[lane];
  }

  /** The min(m, n) singular values of {@code lane}, descending, to {@code s[off ..]}. */
  public void values(int lane, int m, int n, double[] s, int off) {
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    for (int j = 0; j < cols; j++) {
      double sum = 0;
      for (int i = 0; i < rows; i++) {
        int x = 2 * (j * rows + i) * LANES + lane;
        sum += a[x] * a[x] + a[x + LANES] * a[x + LANES];
      }
      double v = Math.sqrt(sum) * scale[lane];
      int k = j - 1;
      while (k >= 0 && sorted[k] < v) {
        sorted[k + 1] = sorted[k];
        k--;
      }
      sorted[k + 1] = v;
    }
    System.arraycopy(sorted, 0, s, off, cols);
  }

  /**
   * Every column's squared norm, and (ε·‖A‖_F)². Within a sweep the norms follow the rotations
   * (α − t|γ|, β + t|γ|); each sweep starts from the columns themselves, so that drift cannot
   * accumulate. The absolute part of the test keeps rounding noise left in a cancelled column from
   * being rotated against a parallel one sweep after sweep (each shrinks it only by ε).
   */
  private void storeNorms(int rows, int cols) {
    DoubleVector total = DoubleVector.zero(SPECIES);
    for (int j = 0; j < cols; j++) {
      DoubleVector sum = DoubleVector.zero(SPECIES);
      for (int i = 0; i < rows; i++) {
        int x = 2 * (j * rows + i) * LANES;
        DoubleVector re = DoubleVector.fromArray(SPECIES, a, x);
        DoubleVector im = DoubleVector.fromArray(SPECIES, a, x + LANES);
        sum = re.fma(re, sum);
        sum = im.fma(im, sum);
      }
      sum.intoArray(norms, j * LANES);
      total = total.add(sum);
    }
    total.mul(EPS * EPS).intoArray(floor, 0);
  }

  /**
   * Orthogonalises columns p and q in every lane that needs it; returns whether any did. Lanes
   * that do not get c = 1, s = 0 and a unit phase, which leave their columns exactly as they were.
   * Masks serve only blends: on AVX2 the JIT of JDK 17 turns a mask's anyTrue or toLong into an
   * allocation per call, so the tests go through lane arithmetic and a max-reduction instead.
   */
  private boolean rotate(int p, int q, int rows, double tol2) {
    int op = 2 * p * rows * LANES;
    int oq = 2 * q * rows * LANES;
    // γ = Σ conj(p_i)·q_i, in four sums so that no chain of dependent FMAs runs down the column.
    DoubleVector rr = DoubleVector.zero(SPECIES);
    DoubleVector ii = DoubleVector.zero(SPECIES);
    DoubleVector ri = DoubleVector.zero(SPECIES);
    DoubleVector ir = DoubleVector.zero(SPECIES);
    for (int i = 0; i < rows; i++) {
      int xp = op + 2 * i * LANES;
      int xq = oq + 2 * i * LANES;
      DoubleVector pr = DoubleVector.fromArray(SPECIES, a, xp);
      DoubleVector pi = DoubleVector.fromArray(SPECIES, a, xp + LANES);
      DoubleVector qr = DoubleVector.fromArray(SPECIES, a, xq);
      DoubleVector qi = DoubleVector.fromArray(SPECIES, a, xq + LANES);
      rr = pr.fma(qr, rr);
      ii = pi.fma(qi, ii);
      ri = pr.fma(qi, ri);
      ir = pi.fma(qr, ir);
    }
    DoubleVector gr = rr.add(ii);
    DoubleVector gi = ri.sub(ir);
    DoubleVector alpha = DoubleVector.fromArray(SPECIES, norms, p * LANES);
    DoubleVector beta = DoubleVector.fromArray(SPECIES, norms, q * LANES);
    DoubleVector g2 = gr.fma(gr, gi.mul(gi));
    // Converged when |γ| ≤ tol·‖a_p‖‖a_q‖ (relative) or |γ| ≤ ε‖A‖_F·max(‖a_p‖, ‖a_q‖): then moving
    // the smaller column by its projection on the larger, |γ|/max, changes no singular value by
    // more than ε‖A‖_F. One comparison, as masks are slow to combine here.
    DoubleVector absolute = alpha.max(beta).mul(DoubleVector.fromArray(SPECIES, floor, 0));
    DoubleVector threshold = alpha.mul(beta).mul(tol2).max(absolute);
    DoubleVector over = g2.sub(threshold);
    DoubleVector.fromArray(SPECIES, excess, 0).max(over).intoArray(excess, 0);
    if (over.reduceLanes(VectorOperators.MAX) <= 0) {
      return false;
    }
    DoubleVector one = DoubleVector.broadcast(SPECIES, 1);
    VectorMask<Double> keep = over.compare(VectorOperators.LE, 0);
    DoubleVector g = g2.sqrt().blend(one, keep);
    // The real Jacobi rotation of [[α, |γ|], [|γ|, β]]: t = tan θ, the smaller root of
    // t² + 2ζt − 1 with ζ = (β − α)/2|γ|, written as t = sign(d)·2|γ| / (|d| + √(d² + 4|γ|²)) for
    // d = β − α, so that √|γ|² is not on the way to t.
    DoubleVector d = beta.sub(alpha);
    DoubleVector ad = d.abs();
    DoubleVector t = g.add(g).div(ad.add(d.fma(d, g2.mul(4)).sqrt()));
    t = t.blend(t.neg(), d.compare(VectorOperators.LT, 0)).blend(0, keep);
    DoubleVector c = one.div(t.fma(t, one).sqrt());
    DoubleVector s = c.mul(t);
    // Phase e = conj(γ)/|γ|, so that (e·a_q) has a real inner product with a_p.
    DoubleVector er = gr.div(g).blend(one, keep);
    DoubleVector ei = gi.neg().div(g).blend(0, keep);
    for (int i = 0; i < rows; i++) {
      int xp = op + 2 * i * LANES;
      int xq = oq + 2 * i * LANES;
      DoubleVector pr = DoubleVector.fromArray(SPECIES, a, xp);
      DoubleVector pi = DoubleVector.fromArray(SPECIES, a, xp + LANES);
      DoubleVector qr = DoubleVector.fromArray(SPECIES, a, xq);
      DoubleVector qi = DoubleVector.fromArray(SPECIES, a, xq + LANES);
      DoubleVector br = er.fma(qr, ei.neg().mul(qi));
      DoubleVector bi = er.fma(qi, ei.mul(qr));
      c.fma(pr, s.neg().mul(br)).intoArray(a, xp);
      c.fma(pi, s.neg().mul(bi)).intoArray(a, xp + LANES);
      s.fma(pr, c.mul(br)).intoArray(a, xq);
      s.fma(pi, c.mul(bi)).intoArray(a, xq + LANES);
    }
    DoubleVector tg = t.mul(g.blend(0, keep));
    alpha.sub(tg).intoArray(norms, p * LANES);
    beta.add(tg).intoArray(norms, q * LANES);
    return true;
  }
}
