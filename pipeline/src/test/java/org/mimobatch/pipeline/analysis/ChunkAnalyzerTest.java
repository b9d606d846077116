package org.mimobatch.pipeline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
      assertEquals(1.0, m.singularValue(i, 0), 1e-15);
      assertEquals(0.0, m.condDb(i), 1e-12);
      assertEquals(n, m.effectiveRank(i), 1e-12);
      assertTrue(m.reconError(i) < 1e-15 && m.orthError(i) < 1e-15 && m.eigGap(i) < 1e-15);
      for (int s = 0; s < SNR_DB.length; s++) {
        double rho = Capacity.snrLinear(SNR_DB[s]);
        double c = n * Math.log1p(rho / n) / Math.log(2);
        assertEquals(c, m.capacity(i, s), 1e-12);
        assertEquals(c, m.capacityWf(i, s), 1e-12);
        // x̂ = x + n with E|n|² = 1/ρ; 16,000 samples put the mean within 3% at 3σ.
        assertEquals(1 / rho, m.zfMse(i, s), 0.03 / rho, "ZF error at " + SNR_DB[s] + " dB");
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
          double expected = trace / cols / Capacity.snrLinear(SNR_DB[s]);
          assertEquals(expected, m.zfMse(i, s), 0.1 * expected, rows + "x" + cols + " at " + SNR_DB[s] + " dB");
        }
      }
    }
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
          double[] reference = Reference.singularValues(Dense.of(a.channels(), i));
          for (int j = 0; j < m.rank(); j++) {
            assertEquals(reference[j], m.singularValue(i, j), tol * reference[0]);
          }
          assertTrue(m.reconError(i) < tol, "recon " + m.reconError(i));
          assertTrue(m.orthError(i) < tol, "orth " + m.orthError(i));
          assertTrue(m.eigGap(i) < tol, "eig gap " + m.eigGap(i));
          assertTrue(m.effectiveRank(i) >= 1 && m.effectiveRank(i) <= m.rank());
          assertEquals(20 * Math.log10(reference[0] / reference[m.rank() - 1]), m.condDb(i), 1e-3);
          for (int s = 0; s < SNR_DB.length; s++) {
            assertTrue(m.capacityWf(i, s) >= m.capacity(i, s) - 1e-9, "water-filling never loses");
            if (s > 0) {
              assertTrue(m.capacity(i, s) > m.capacity(i, s - 1), "capacity grows with SNR");
            }
            assertEquals(rows >= cols, Double.isFinite(m.zfMse(i, s)), "ZF only for rows ≥ cols");
          }
        }
        assertEquals(rows >= cols, m.hasZeroForcing());
      }
    }
  }

  @Test
  void troubledMatricesGetTheirStatusAndLeaveTheirNeighboursAlone() {
    SplittableRandom rng = new SplittableRandom(4);
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, 4, 4, 6, 8);
    Dense good = Dense.gaussian(4, 4, rng);
    load(a, 0, good, 100);
    Dense nan = Dense.gaussian(4, 4, rng).set(1, 2, Double.NaN, 0);
    load(a, 1, nan, 101);
    load(a, 2, new Dense(4, 4), 102);
    Dense rankTwo = Dense.gaussian(4, 2, rng).times(Dense.gaussian(2, 4, rng));
    load(a, 3, rankTwo, 103);
    a.channels().clear(4);
    a.inputStatus()[4] = MatrixStatus.SHAPE_ERROR.code();
    Dense inf = Dense.gaussian(4, 4, rng).set(0, 0, 0, Double.NEGATIVE_INFINITY);
    load(a, 5, inf, 105);
    ChunkMetrics m = a.analyze(6);
    assertEquals(MatrixStatus.OK, m.status(0));
    assertEquals(MatrixStatus.NON_FINITE, m.status(1));
    assertEquals(MatrixStatus.ZERO, m.status(2));
    assertEquals(MatrixStatus.SINGULAR, m.status(3));
    assertEquals(MatrixStatus.SHAPE_ERROR, m.status(4));
    assertEquals(MatrixStatus.NON_FINITE, m.status(5));
    for (int i = 1; i < 6; i++) {
      assertTrue(Double.isNaN(m.capacity(i, 0)) && Double.isNaN(m.reconError(i)) && Double.isNaN(m.singularValue(i, 0))
          && Double.isNaN(m.zfMse(i, 2)), "failed matrices carry no metrics");
    }

    // The good matrix's metrics are what it gets when analysed alone.
    ChunkAnalyzer alone = analyzer(Precision.DOUBLE, 4, 4, 1, 8);
    load(alone, 0, good, 100);
    ChunkMetrics single = alone.analyze(1);
    assertEquals(single.capacity(0, 1), m.capacity(0, 1));
    assertEquals(single.zfMse(0, 2), m.zfMse(0, 2), "zero-forcing draws depend on the key, not the position");
    assertEquals(single.reconError(0), m.reconError(0));
  }

  @Test
  void zeroForcingDrawsFollowTheKey() {
    SplittableRandom rng = new SplittableRandom(5);
    Dense h = Dense.gaussian(3, 3, rng);
    ChunkAnalyzer a = analyzer(Precision.DOUBLE, 3, 3, 2, 4);
    load(a, 0, h, 7);
    load(a, 1, h, 8);
    ChunkMetrics m = a.analyze(2);
    assertFalse(m.zfMse(0, 0) == m.zfMse(1, 0), "another key, other symbols and noise");
    assertEquals(m.capacity(0, 0), m.capacity(1, 0));
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
        assertEquals(md.capacity(i, s), mf.capacity(i, s), 1e-4 * md.capacity(i, s));
        assertEquals(md.capacityWf(i, s), mf.capacityWf(i, s), 1e-4 * md.capacityWf(i, s));
      }
      assertTrue(mf.reconError(i) < 1e-5 && md.reconError(i) < 1e-13);
    }
  }

  private static ComplexBatch toSingle(Dense h) {
    ComplexBatch b = ComplexBatch.allocate(Precision.SINGLE, h.rows, h.cols, 1);
    h.into(b, 0);
    return b;
  }
}
