package org.mimobatch.pipeline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mimobatch.pipeline.analysis.Metric.CAPACITY;
import static org.mimobatch.pipeline.analysis.Metric.CAPACITY_WF;
import static org.mimobatch.pipeline.analysis.Metric.COND_DB;
import static org.mimobatch.pipeline.analysis.Metric.EFFECTIVE_RANK;
import static org.mimobatch.pipeline.analysis.Metric.EIG_GAP;
import static org.mimobatch.pipeline.analysis.Metric.LOWRANK_ERROR;
import static org.mimobatch.pipeline.analysis.Metric.MSE_MMSE;
import static org.mimobatch.pipeline.analysis.Metric.ORTH_ERROR;
import static org.mimobatch.pipeline.analysis.Metric.RANK;
import static org.mimobatch.pipeline.analysis.Metric.RATE_MMSE;
import static org.mimobatch.pipeline.analysis.Metric.RATE_ZF;
import static org.mimobatch.pipeline.analysis.Metric.RECON_ERROR;
import static org.mimobatch.pipeline.analysis.Metric.SINGULAR_VALUES;
import static org.mimobatch.pipeline.analysis.Metric.ZF_MSE;
import static org.mimobatch.pipeline.analysis.Metric.ZF_SOLVE_ERROR;
import static org.mimobatch.pipeline.analysis.Metric.ZF_SOLVE_GAP;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.backend.Backends;
import org.mimobatch.pipeline.backend.Dense;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.Reference;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.metrics.Capacity;

class ChunkAnalyzerTest {
  private static final double[] SNR_DB = {0, 10, 20};
  private static final double LN2 = Math.log(2);
  private static LinalgBackend backend;

  @BeforeAll
  static void open() {
    backend = Backends.open("cpu");
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  private static ChunkAnalyzer analyzer(Precision p, int rows, int cols, int capacity, int vectors) {
    return new ChunkAnalyzer(backend, new AnalysisSpec(SNR_DB, vectors, 99), p, rows, cols, capacity);
  }

  private static void load(ChunkAnalyzer a, int i, Dense h, long key) {
    h.into(a.channels(), i);
    a.inputStatus()[i] = MatrixStatus.OK.code();
    a.keys()[i] = key;
  }

  private static double rho(int s) {
    return Capacity.snrLinear(SNR_DB[s]);
  }

  private static double log2(double x) {
    return Math.log(x) / LN2;
  }

  @Test
  void identityChannelsHaveClosedFormMetrics() {
    int n = 4;
    int vectors = 4000;
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, n, n, 2, vectors);
    load(a, 0, Dense.identity(n), 1);
    load(a, 1, Dense.identity(n), 2);
    ChunkMetrics m = a.analyze(2);
    for (int i = 0; i < 2; i++) {
      assertEquals(MatrixStatus.OK, m.status(i));
      assertEquals(n, m.value(RANK, i, 0));
      assertEquals(1.0, m.value(SINGULAR_VALUES, i, 0), 1e-15);
      assertEquals(0.0, m.value(COND_DB, i, 0), 1e-12);
      assertEquals(n, m.value(EFFECTIVE_RANK, i, 0), 1e-12);
      assertTrue(m.value(RECON_ERROR, i, 0) < 1e-15 && m.value(ORTH_ERROR, i, 0) < 1e-15
          && m.value(EIG_GAP, i, 0) < 1e-15);
      for (int s = 0; s < SNR_DB.length; s++) {
        double c = n * Math.log1p(rho(s) / n) / LN2;
        assertEquals(c, m.value(CAPACITY, i, s), 1e-12);
        assertEquals(c, m.value(CAPACITY_WF, i, s), 1e-12);
        // x̂ = x + n with E|n|² = 1/ρ; 16,000 samples put the mean within 3% at 3σ.
        assertEquals(1 / rho(s), m.value(ZF_MSE, i, s), 0.03 / rho(s), "ZF error at " + SNR_DB[s] + " dB");
      }
    }
  }

  @Test
  void scaledUnitaryChannelsMakeEveryReceiverReachCapacity() {
    // H = cQ: HᴴH = c²I, so ZF, LMMSE, equal power and water-filling all give n·log2(1 + ρc²/n).
    SplittableRandom rng = new SplittableRandom(3);
    int n = 5;
    double c = 0.7;
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, n, n, 3, 2);
    for (int i = 0; i < 3; i++) {
      Dense q = Dense.unitary(n, rng).times(Dense.diagonal(n, n, c, c, c, c, c));
      load(a, i, q, i);
    }
    ChunkMetrics m = a.analyze(3);
    for (int i = 0; i < 3; i++) {
      assertEquals(MatrixStatus.OK, m.status(i));
      for (int s = 0; s < SNR_DB.length; s++) {
        double g = rho(s) * c * c / n;
        double expected = n * log2(1 + g);
        for (Metric rate : new Metric[] {RATE_ZF, RATE_MMSE, CAPACITY, CAPACITY_WF}) {
          assertEquals(expected, m.value(rate, i, s), 1e-12 * expected, rate + " at " + SNR_DB[s] + " dB");
        }
        assertEquals(1 / (1 + g), m.value(MSE_MMSE, i, s), 1e-14);
      }
    }
  }

  @Test
  void diagonalChannelsHaveIndependentStreams() {
    // Streams do not interfere: SINR_k = ρ d_k²/tx for ZF and LMMSE alike, the capacity's own terms.
    double[] d = {1, 2, 3, 4};
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, 4, 4, 1, 2);
    load(a, 0, Dense.diagonal(4, 4, d), 5);
    ChunkMetrics m = a.analyze(1);
    assertEquals(MatrixStatus.OK, m.status(0));
    assertEquals(4, m.value(RANK, 0, 0));
    for (int j = 0; j < 4; j++) {
      assertEquals(d[3 - j], m.value(SINGULAR_VALUES, 0, j), 1e-14);
    }
    assertEquals(20 * Math.log10(4), m.value(COND_DB, 0, 0), 1e-12);
    double sum = 1 + 2 + 3 + 4;
    double entropy = 0;
    for (double x : d) {
      entropy -= x / sum * Math.log(x / sum);
    }
    assertEquals(Math.exp(entropy), m.value(EFFECTIVE_RANK, 0, 0), 1e-12);
    double energy = 1 + 4 + 9 + 16;
    assertEquals(Math.sqrt((1 + 4 + 9) / energy), m.value(LOWRANK_ERROR, 0, 0), 1e-14, "rank 1 keeps σ = 4");
    assertEquals(Math.sqrt(1 / energy), m.value(LOWRANK_ERROR, 0, 2), 1e-14);
    assertEquals(0, m.value(LOWRANK_ERROR, 0, 3), 1e-15);
    for (int s = 0; s < SNR_DB.length; s++) {
      double rate = 0;
      double mse = 0;
      for (double x : d) {
        double g = rho(s) * x * x / 4;
        rate += log2(1 + g);
        mse += 1 / (1 + g) / 4;
      }
      assertEquals(rate, m.value(RATE_ZF, 0, s), 1e-12 * rate);
      assertEquals(rate, m.value(RATE_MMSE, 0, s), 1e-12 * rate);
      assertEquals(rate, m.value(CAPACITY, 0, s), 1e-12 * rate);
      assertEquals(mse, m.value(MSE_MMSE, 0, s), 1e-14);
    }
  }

  @Test
  void oneByOneChannelsGiveOneRateEverywhere() {
    double re = 0.6;
    double im = -1.1;
    double gain = re * re + im * im;
    for (Precision p : Precision.values()) {
      ChunkAnalyzer a = analyzer(p, 1, 1, 2, 8);
      load(a, 0, new Dense(1, 1).set(0, 0, re, im), 1);
      load(a, 1, new Dense(1, 1).set(0, 0, 0, 1e-3), 2);
      ChunkMetrics m = a.analyze(2);
      double tol = 10 * p.epsilon();
      for (int i = 0; i < 2; i++) {
        double g = i == 0 ? gain : 1e-6;
        assertEquals(MatrixStatus.OK, m.status(i));
        assertEquals(1, m.value(RANK, i, 0));
        assertEquals(0, m.value(COND_DB, i, 0), tol);
        for (int s = 0; s < SNR_DB.length; s++) {
          double rate = Math.log1p(rho(s) * g) / LN2;
          for (Metric r : new Metric[] {RATE_ZF, RATE_MMSE, CAPACITY, CAPACITY_WF}) {
            assertEquals(rate, m.value(r, i, s), tol * rate, p + " " + r);
          }
          assertEquals(1 / (1 + rho(s) * g), m.value(MSE_MMSE, i, s), tol);
        }
      }
    }
  }

  @Test
  void theRankThresholdIsNumPysMatrixRank() {
    // diag(1, 1, 1, d): d counts towards the rank above max(rows, cols)·eps·σ_1, eps = finfo(dtype).eps.
    for (Precision p : Precision.values()) {
      double threshold = 4 * (p == Precision.DOUBLE ? 0x1p-52 : 0x1p-23);
      ChunkAnalyzer a = analyzer(p, 4, 4, 2, 4);
      load(a, 0, Dense.diagonal(4, 4, new double[] {1, 1, 1, 0.75 * threshold}), 1);
      load(a, 1, Dense.diagonal(4, 4, new double[] {1, 1, 1, 1.5 * threshold}), 2);
      ChunkMetrics m = a.analyze(2);
      assertEquals(3, m.value(RANK, 0, 0), p + ": below the threshold");
      assertEquals(Double.POSITIVE_INFINITY, m.value(COND_DB, 0, 0), p.toString());
      assertFalse(m.defined(RATE_ZF, 0), p.toString());
      assertEquals(4, m.value(RANK, 1, 0), p + ": above it");
      assertTrue(m.defined(RATE_ZF, 1), p.toString());
    }
  }

  @Test
  void rankOneChannelsKeepTheirSpectrumMetrics() {
    // H = σ u vᴴ: capacity log2(1 + ρσ²/tx), and (I + aHᴴH)⁻¹ = I − (aσ²/(1 + aσ²)) v vᴴ.
    SplittableRandom rng = new SplittableRandom(11);
    for (Precision p : Precision.values()) {
      for (int[] shape : new int[][] {{4, 4}, {6, 3}, {2, 5}}) {
        int rows = shape[0];
        int cols = shape[1];
        ChunkAnalyzer a = analyzer(p, rows, cols, 4, 4);
        Dense[] v = new Dense[4];
        double[] sigma = new double[4];
        for (int i = 0; i < 4; i++) {
          Dense u = unit(Dense.gaussian(rows, 1, rng));
          v[i] = unit(Dense.gaussian(cols, 1, rng));
          sigma[i] = 0.5 + i;
          Dense h = u.times(v[i].conjugateTranspose()).times(Dense.diagonal(cols, cols, repeat(sigma[i], cols)));
          load(a, i, h, 40 + i);
        }
        ChunkMetrics m = a.analyze(4);
        double tol = 100 * Math.max(rows, cols) * p.epsilon();
        for (int i = 0; i < 4; i++) {
          String where = p + " " + rows + "x" + cols + " matrix " + i;
          assertEquals(MatrixStatus.OK, m.status(i), where);
          assertEquals(1, m.value(RANK, i, 0), where);
          assertEquals(sigma[i], m.value(SINGULAR_VALUES, i, 0), tol * sigma[i], where);
          assertEquals(Double.POSITIVE_INFINITY, m.value(COND_DB, i, 0), where);
          assertEquals(1, m.value(EFFECTIVE_RANK, i, 0), tol, where);
          assertEquals(0, m.value(LOWRANK_ERROR, i, 0), tol, where);
          assertTrue(m.value(RECON_ERROR, i, 0) < tol && m.value(ORTH_ERROR, i, 0) < tol, where);
          assertFalse(m.defined(RATE_ZF, i), "zero-forcing is undefined: " + where);
          assertFalse(m.defined(ZF_MSE, i), "zero-forcing is undefined: " + where);
          for (int s = 0; s < SNR_DB.length; s++) {
            double g = rho(s) * sigma[i] * sigma[i] / cols;
            assertEquals(log2(1 + g), m.value(CAPACITY, i, s), tol * log2(1 + g), where);
            assertEquals(log2(1 + rho(s) * sigma[i] * sigma[i]), m.value(CAPACITY_WF, i, s), tol * 10, where);
            double rate = 0;
            double mse = 0;
            for (int k = 0; k < cols; k++) {
              double w = v[i].re(k, 0) * v[i].re(k, 0) + v[i].im(k, 0) * v[i].im(k, 0);
              double e = 1 - w * g / (1 + g);
              rate -= log2(e);
              mse += e / cols;
            }
            assertEquals(rate, m.value(RATE_MMSE, i, s), tol * 10 * rate, where);
            assertEquals(mse, m.value(MSE_MMSE, i, s), tol, where);
          }
        }
      }
    }
  }

  @Test
  void linearReceiversMatchTheirDefinitionsThroughExplicitInverses() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int[] shape : new int[][] {{4, 4}, {6, 3}, {3, 6}, {8, 8}}) {
      int rows = shape[0];
      int cols = shape[1];
      ChunkAnalyzer a = analyzer(Precision.DOUBLE, rows, cols, 5, 0);
      Dense[] hs = new Dense[5];
      for (int i = 0; i < 5; i++) {
        hs[i] = Dense.gaussian(rows, cols, rng);
        load(a, i, hs[i], i);
      }
      ChunkMetrics m = a.analyze(5);
      for (int i = 0; i < 5; i++) {
        Dense gram = hs[i].conjugateTranspose().times(hs[i]);
        for (int s = 0; s < SNR_DB.length; s++) {
          double power = rho(s) / cols;
          Dense regularised = gram.times(Dense.diagonal(cols, cols, repeat(power, cols))).plusIdentity();
          Dense e = Reference.solve(regularised, Dense.identity(cols));
          double rate = 0;
          double mse = 0;
          for (int k = 0; k < cols; k++) {
            rate += log2(1 / e.re(k, k));
            mse += e.re(k, k) / cols;
          }
          String where = rows + "x" + cols + " at " + SNR_DB[s] + " dB";
          assertEquals(rate, m.value(RATE_MMSE, i, s), 1e-10 * rate, where);
          assertEquals(mse, m.value(MSE_MMSE, i, s), 1e-12, where);
          if (rows >= cols) {
            Dense inverse = Reference.solve(gram, Dense.identity(cols));
            double zf = 0;
            for (int k = 0; k < cols; k++) {
              zf += log2(1 + power / inverse.re(k, k));
            }
            assertEquals(zf, m.value(RATE_ZF, i, s), 1e-10 * zf, where);
          } else {
            assertFalse(m.defined(RATE_ZF, i), "no zero-forcing of a wide channel");
          }
        }
      }
    }
  }

  @Test
  void ratesKeepTheirOrderOnRandomChannels() {
    // rate_zf ≤ rate_mmse ≤ capacity ≤ capacity_wf: LMMSE is the best linear receiver, and Hadamard's
    // inequality puts Σ −log2 e_kk below log2 det(I + aHᴴH).
    SplittableRandom rng = new SplittableRandom(23);
    for (Precision p : Precision.values()) {
      for (int[] shape : new int[][] {{2, 2}, {4, 4}, {8, 8}, {6, 3}, {3, 6}, {16, 16}}) {
        int rows = shape[0];
        int cols = shape[1];
        ChunkAnalyzer a = analyzer(p, rows, cols, 32, 0);
        for (int i = 0; i < 32; i++) {
          load(a, i, Dense.gaussian(rows, cols, rng), i);
        }
        ChunkMetrics m = a.analyze(32);
        double slack = 100 * p.epsilon();
        for (int i = 0; i < 32; i++) {
          for (int s = 0; s < SNR_DB.length; s++) {
            double zf = m.value(RATE_ZF, i, s);
            double mmse = m.value(RATE_MMSE, i, s);
            double c = m.value(CAPACITY, i, s);
            double wf = m.value(CAPACITY_WF, i, s);
            String where = p + " " + rows + "x" + cols + " " + i + " at " + SNR_DB[s] + " dB";
            assertEquals(rows >= cols, m.defined(RATE_ZF, i), where);
            if (rows >= cols) {
              assertTrue(zf <= mmse * (1 + slack), where + ": zf " + zf + " > mmse " + mmse);
            }
            assertTrue(mmse <= c * (1 + slack), where + ": mmse " + mmse + " > capacity " + c);
            assertTrue(c <= wf * (1 + slack), where + ": capacity " + c + " > water-filling " + wf);
            double mse = m.value(MSE_MMSE, i, s);
            assertTrue(mse > 0 && mse <= 1, where);
          }
        }
      }
    }
  }

  @Test
  void zeroForcingErrorFollowsTheTraceOfTheInverseGram() {
    // E|x̂ − x|² per symbol = tr((HᴴH)⁻¹) / (n ρ), for square and tall channels alike.
    SplittableRandom rng = new SplittableRandom(8);
    int vectors = 6000;
    for (int[] shape : new int[][] {{4, 4}, {6, 3}}) {
      int rows = shape[0];
      int cols = shape[1];
      ChunkAnalyzer a = analyzer(Precision.DOUBLE, rows, cols, 3, vectors);
      Dense[] hs = new Dense[3];
      for (int i = 0; i < 3; i++) {
        hs[i] = Dense.gaussian(rows, cols, rng);
        load(a, i, hs[i], 10 + i);
      }
      ChunkMetrics m = a.analyze(3);
      for (int i = 0; i < 3; i++) {
        assertEquals(MatrixStatus.OK, m.status(i));
        Dense g = hs[i].conjugateTranspose().times(hs[i]);
        Dense inverse = Reference.solve(g, Dense.identity(cols));
        double trace = 0;
        for (int j = 0; j < cols; j++) {
          trace += inverse.re(j, j);
        }
        for (int s = 0; s < SNR_DB.length; s++) {
          double expected = trace / cols / rho(s);
          assertEquals(expected, m.value(ZF_MSE, i, s), 0.1 * expected, rows + "x" + cols + " at " + SNR_DB[s] + " dB");
        }
      }
    }
  }

  /**
   * The solve route of zero-forcing against the SVD route: a backward error at the precision's ε
   * for square (LU of H) and tall (LU of HᴴH) channels alike, and a gap between the two x̂ of the
   * order of κ·ε for square channels and κ²·ε for tall ones (the normal equations square the
   * condition: a tall channel of κ = 10⁴ shows it). Wide and rank-deficient channels have neither.
   */
  @Test
  void theSolveRouteDetectsWhatTheSvdRouteDetects() {
    SplittableRandom rng = new SplittableRandom(12);
    for (Precision p : Precision.values()) {
      double eps = p.epsilon();
      for (int[] shape : new int[][] {{8, 8}, {8, 4}, {3, 3}, {6, 2}}) {
        int rows = shape[0];
        int cols = shape[1];
        ChunkAnalyzer a = analyzer(p, rows, cols, 12, 4);
        Dense[] hs = new Dense[12];
        for (int i = 0; i < 12; i++) {
          hs[i] = Dense.gaussian(rows, cols, rng);
          load(a, i, hs[i], i);
        }
        ChunkMetrics m = a.analyze(12);
        for (int i = 0; i < 12; i++) {
          assertEquals(MatrixStatus.OK, m.status(i));
          double[] sv = Reference.singularValues(hs[i]);
          double kappa = sv[0] / sv[cols - 1];
          double error = m.value(ZF_SOLVE_ERROR, i, 0);
          double gap = m.value(ZF_SOLVE_GAP, i, 0);
          String where = p + " " + rows + "x" + cols + " κ=" + kappa;
          assertTrue(error > 0 && error <= 20 * rows * eps, where + ": backward error " + error);
          double bound = 50 * rows * eps * (rows == cols ? kappa : kappa * kappa);
          assertTrue(gap <= bound, where + ": gap " + gap + " above " + bound);
        }
      }
    }
    // κ = 10⁴: the normal equations lose κ²·ε, LU of H only κ·ε; both keep a small backward error.
    ChunkAnalyzer tall = analyzer(Precision.DOUBLE, 6, 3, 2, 4);
    ChunkAnalyzer square = analyzer(Precision.DOUBLE, 3, 3, 2, 4);
    Dense sigmaTall = Dense.diagonal(6, 3, 1, 1e-2, 1e-4);
    Dense sigmaSquare = Dense.diagonal(3, 3, 1, 1e-2, 1e-4);
    load(tall, 0, Dense.unitary(6, rng).times(sigmaTall).times(Dense.unitary(3, rng)), 1);
    load(square, 0, Dense.unitary(3, rng).times(sigmaSquare).times(Dense.unitary(3, rng)), 1);
    load(tall, 1, Dense.gaussian(6, 1, rng).times(Dense.gaussian(1, 3, rng)), 2);   // rank one
    load(square, 1, Dense.gaussian(3, 3, rng), 2);
    ChunkMetrics t = tall.analyze(2);
    ChunkMetrics q = square.analyze(2);
    assertTrue(t.value(ZF_SOLVE_GAP, 0, 0) > 1e-11 && t.value(ZF_SOLVE_GAP, 0, 0) < 1e-5,
        "normal equations at κ = 1e4: " + t.value(ZF_SOLVE_GAP, 0, 0));
    assertTrue(q.value(ZF_SOLVE_GAP, 0, 0) < 1e-10, "LU of H at κ = 1e4: " + q.value(ZF_SOLVE_GAP, 0, 0));
    assertTrue(t.value(ZF_SOLVE_ERROR, 0, 0) < 1e-14 && q.value(ZF_SOLVE_ERROR, 0, 0) < 1e-14);
    assertEquals(MatrixStatus.OK, t.status(1));
    assertFalse(t.defined(ZF_SOLVE_ERROR, 1) || t.defined(ZF_SOLVE_GAP, 1), "rank one: no zero-forcing");
    ChunkAnalyzer wide = analyzer(Precision.DOUBLE, 2, 4, 1, 4);
    load(wide, 0, Dense.gaussian(2, 4, rng), 1);
    assertFalse(wide.analyze(1).defined(ZF_SOLVE_ERROR, 0), "wide: no zero-forcing");
  }

  @Test
  void randomChannelsPassEveryConsistencyCheck() {
    SplittableRandom rng = new SplittableRandom(21);
    for (Precision p : Precision.values()) {
      for (int[] shape : new int[][] {{8, 8}, {4, 2}, {2, 4}, {16, 16}}) {
        int rows = shape[0];
        int cols = shape[1];
        ChunkAnalyzer a = analyzer(p, rows, cols, 16, 4);
        for (int i = 0; i < 16; i++) {
          load(a, i, Dense.gaussian(rows, cols, rng), i);
        }
        ChunkMetrics m = a.analyze(16);
        double tol = 50 * Math.max(rows, cols) * p.epsilon();
        for (int i = 0; i < 16; i++) {
          assertEquals(MatrixStatus.OK, m.status(i), p + " " + rows + "x" + cols);
          assertEquals(m.rank(), m.value(RANK, i, 0));
          double[] reference = Reference.singularValues(Dense.of(a.channels(), i));
          for (int j = 0; j < m.rank(); j++) {
            assertEquals(reference[j], m.value(SINGULAR_VALUES, i, j), tol * reference[0]);
          }
          assertTrue(m.value(RECON_ERROR, i, 0) < tol, "recon " + m.value(RECON_ERROR, i, 0));
          assertTrue(m.value(ORTH_ERROR, i, 0) < tol, "orth " + m.value(ORTH_ERROR, i, 0));
          assertTrue(m.value(EIG_GAP, i, 0) < tol, "eig gap " + m.value(EIG_GAP, i, 0));
          assertTrue(m.value(EFFECTIVE_RANK, i, 0) >= 1 && m.value(EFFECTIVE_RANK, i, 0) <= m.rank());
          assertEquals(20 * Math.log10(reference[0] / reference[m.rank() - 1]), m.value(COND_DB, i, 0), 1e-3);
          for (int s = 0; s < SNR_DB.length; s++) {
            if (s > 0) {
              assertTrue(m.value(CAPACITY, i, s) > m.value(CAPACITY, i, s - 1), "capacity grows with SNR");
            }
            assertEquals(rows >= cols, m.defined(ZF_MSE, i), "ZF only for rows ≥ cols");
          }
        }
      }
    }
  }

  @Test
  void troubledMatricesGetTheirStatusAndLeaveTheirNeighboursAlone() {
    SplittableRandom rng = new SplittableRandom(4);
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, 4, 4, 6, 8);
    Dense good = Dense.gaussian(4, 4, rng);
    Dense nan = Dense.gaussian(4, 4, rng).set(1, 2, Double.NaN, 0);
    load(a, 0, nan, 101);
    load(a, 1, new Dense(4, 4), 102);
    Dense rankTwo = Dense.gaussian(4, 2, rng).times(Dense.gaussian(2, 4, rng));
    load(a, 2, rankTwo, 103);
    a.channels().clear(3);
    a.inputStatus()[3] = MatrixStatus.SHAPE_ERROR.code();
    Dense inf = Dense.gaussian(4, 4, rng).set(0, 0, 0, Double.NEGATIVE_INFINITY);
    load(a, 4, inf, 105);
    load(a, 5, good, 100);
    ChunkMetrics m = a.analyze(6);
    assertEquals(MatrixStatus.NON_FINITE, m.status(0));
    assertEquals(MatrixStatus.ZERO, m.status(1));
    assertEquals(MatrixStatus.OK, m.status(2), "rank is data, not failure");
    assertEquals(2, m.value(RANK, 2, 0));
    assertEquals(MatrixStatus.SHAPE_ERROR, m.status(3));
    assertEquals(MatrixStatus.NON_FINITE, m.status(4));
    assertEquals(MatrixStatus.OK, m.status(5));
    for (int i : new int[] {0, 1, 3, 4}) {
      for (Metric metric : Metric.values()) {
        assertFalse(m.defined(metric, i), "failed matrices carry no " + metric);
      }
    }

    // The good matrix's metrics, analysed last in a chunk of six, are what it gets alone.
    ChunkAnalyzer alone = analyzer(Precision.DOUBLE, 4, 4, 1, 8);
    load(alone, 0, good, 100);
    ChunkMetrics single = alone.analyze(1);
    for (Metric metric : Metric.values()) {
      for (int j = 0; j < m.width(metric); j++) {
        assertEquals(single.value(metric, 0, j), m.value(metric, 5, j), metric + " depends on the key, not the position");
      }
    }
  }

  @Test
  void zeroForcingDrawsFollowTheKey() {
    SplittableRandom rng = new SplittableRandom(5);
    Dense h = Dense.gaussian(3, 3, rng);
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, 3, 3, 2, 4);
    load(a, 0, h, 7);
    load(a, 1, h, 8);
    ChunkMetrics m = a.analyze(2);
    assertFalse(m.value(ZF_MSE, 0, 0) == m.value(ZF_MSE, 1, 0), "another key, other symbols and noise");
    assertEquals(m.value(CAPACITY, 0, 0), m.value(CAPACITY, 1, 0));
  }

  @Test
  void singlePrecisionAgreesWithDoubleToItsAccuracy() {
    SplittableRandom rng = new SplittableRandom(6);
    ChunkAnalyzer d = analyzer(Precision.DOUBLE, 8, 8, 8, 4);
    ChunkAnalyzer f = analyzer(Precision.SINGLE, 8, 8, 8, 4);
    for (int i = 0; i < 8; i++) {
      Dense h = Dense.gaussian(8, 8, rng);
      load(d, i, h, i);
      load(f, i, Dense.of(toSingle(h), 0), i);
    }
    ChunkMetrics md = d.analyze(8);
    ChunkMetrics mf = f.analyze(8);
    for (int i = 0; i < 8; i++) {
      for (int s = 0; s < SNR_DB.length; s++) {
        for (Metric rate : new Metric[] {CAPACITY, CAPACITY_WF, RATE_MMSE}) {
          assertEquals(md.value(rate, i, s), mf.value(rate, i, s), 1e-4 * md.value(rate, i, s), rate.column());
        }
      }
      assertTrue(mf.value(RECON_ERROR, i, 0) < 1e-5 && md.value(RECON_ERROR, i, 0) < 1e-13);
    }
  }

  private static Dense unit(Dense column) {
    double norm = column.frobenius();
    return column.times(Dense.diagonal(1, 1, 1 / norm));
  }

  private static double[] repeat(double value, int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, value);
    return v;
  }

  private static ComplexBatch toSingle(Dense h) {
    ComplexBatch b = ComplexBatch.allocate(Precision.SINGLE, h.rows, h.cols, 1);
    h.into(b, 0);
    return b;
  }
}
