package org.mimobatch.pipeline.refine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.analysis.AnalysisSpec;
import org.mimobatch.pipeline.analysis.ChunkAnalyzer;
import org.mimobatch.pipeline.analysis.ChunkMetrics;
import org.mimobatch.pipeline.analysis.Metric;
import org.mimobatch.pipeline.backend.cpu.CpuBackend;
import org.mimobatch.pipeline.backend.cpu.KernelChoice;
import org.mimobatch.pipeline.backend.Dense;
import org.mimobatch.pipeline.backend.LinalgBackend;
import org.mimobatch.pipeline.backend.Reference;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;

/** Every refinement through the chunk analyzer, against closed forms and the direct results. */
class RefinementTest {
  private static LinalgBackend backend;

  @BeforeAll
  static void open() {
    // LAPACKE throughout: mixed precision must start from a genuinely single-precision pass, and
    // the Java kernels compute complex64 in double.
    backend = CpuBackend.withKernels(KernelChoice.LAPACKE);
  }

  @AfterAll
  static void close() {
    backend.close();
  }

  static RefineSpec spec(RefineMethod... methods) {
    return RefineSpec.none().withMethods(methods);
  }

  /** Runs the analysis with {@code refine} on {@code matrices} and returns the metrics. */
  static ChunkMetrics analyze(RefineSpec refine, Precision p, List<Dense> matrices) {
    return analyze(refine, p, matrices, HistorySink.NONE);
  }

  static ChunkMetrics analyze(RefineSpec refine, Precision p, List<Dense> matrices, HistorySink history) {
    long[] keys = new long[matrices.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = 1000 + i;
    }
    return analyze(refine, p, matrices, keys, history);
  }

  /** Matrix i of the chunk gets key keys[i]. */
  static ChunkMetrics analyze(RefineSpec refine, Precision p, List<Dense> matrices, long[] keys, HistorySink history) {
    Dense first = matrices.get(0);
    ChunkAnalyzer a = new ChunkAnalyzer(backend, new AnalysisSpec(new double[] {10}, 0, 5, refine), p, first.rows,
        first.cols, matrices.size());
    for (int i = 0; i < matrices.size(); i++) {
      matrices.get(i).into(a.channels(), i);
      a.inputStatus()[i] = MatrixStatus.OK.code();
      a.keys()[i] = keys[i];
    }
    a.setHistory(history);
    return a.analyze(matrices.size());
  }

  /** U diag(σ) Vᴴ with σ spread evenly over [1, κ] and Haar-like unitary U, V. */
  static Dense withCondition(int n, double kappa, SplittableRandom rng) {
    double[] sigma = new double[n];
    for (int i = 0; i < n; i++) {
      sigma[i] = n == 1 ? 1 : 1 + (kappa - 1) * i / (n - 1);
    }
    return Dense.unitary(n, rng).scaleColumns(sigma).times(Dense.unitary(n, rng));
  }

  static List<Dense> wellConditioned(int n, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Dense> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(withCondition(n, 3, rng));
    }
    return list;
  }

  private static RefineResult only(ChunkMetrics m) {
    assertEquals(1, m.refine().size());
    return m.refine().get(0);
  }

  @Test
  void everyMethodConvergesToTheDirectSolutionOnWellConditionedBatches() {
    for (int n : new int[] {2, 4, 8}) {
      List<Dense> batch = wellConditioned(n, 6, n);
      ChunkMetrics m = analyze(spec(RefineMethod.values()), Precision.DOUBLE, batch);
      List<RefineResult> results = m.refine();
      assertEquals(5, results.size());
      double[] bounds = {1e-5, 1e-5, 1e-10, 1e-13, 0}; // gd, adam (inverse), newton-schulz, mixed, ascent
      for (int r = 0; r < 5; r++) {
        RefineResult res = results.get(r);
        for (int i = 0; i < batch.size(); i++) {
          assertEquals(RefineStatus.CONVERGED, res.status(i), res.method() + " n=" + n);
          if (res.method() == RefineMethod.COVARIANCE_ASCENT) {
            assertTrue(Math.abs(res.error(i)) <= 1e-6, "capacity gap " + res.error(i));
          } else {
            assertTrue(res.error(i) <= bounds[r], res.method() + " error " + res.error(i));
          }
        }
      }
      RefineResult mixed = results.get(3);
      assertTrue(mixed.errorBefore(0) > 1e-9 && mixed.errorBefore(0) < 1e-5, "complex64 start " + mixed.errorBefore(0));
    }
  }

  @Test
  void theTextsSettingsConvergeOnItsTwoExamples() {
    // lr 0.9, momentum 0.9, a random start, up to 10,000 iterations, loss mean|XM − I|².
    GdInverse.Params seedSettings = new GdInverse.Params(GdInverse.Variant.LEFT, GdInverse.Init.RANDOM,
        GdInverse.Step.FIXED, 0.9, 0.9, 1e-12, 10_000);
    RefineSpec refine = new RefineSpec(List.of(RefineMethod.GD_INVERSE), 0, seedSettings, AdamMatch.Params.DEFAULTS,
        NewtonSchulz.Params.DEFAULTS, MixedPrecision.Params.DEFAULTS, CovarianceAscent.Params.DEFAULTS);
    Dense diagonal = Dense.diagonal(4, 4, 1, 2, 3, 4);
    Dense random = null;
    for (long seed = 0; random == null; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      Dense candidate = new Dense(4, 4);
      for (int x = 0; x < 16; x++) {
        candidate.re[x] = rng.nextDouble(); // uniform in [0, 1), like torch.rand
      }
      double[] s = Reference.singularValues(candidate);
      if (s[0] / s[3] < 50) {
        random = candidate;
      }
    }
    for (Dense example : List.of(diagonal, random)) {
      RefineResult r = only(analyze(refine, Precision.DOUBLE, List.of(example)));
      assertEquals(RefineStatus.CONVERGED, r.status(0));
      assertTrue(r.iterations(0) < 10_000 && r.loss(0) <= 1e-12);
      assertTrue(r.error(0) < 1e-4, "‖X − M⁻¹‖/‖M⁻¹‖ = " + r.error(0));
    }
  }

  @Test
  void anIllConditionedBatchRunsOutOfIterationsWithoutNaN() {
    SplittableRandom rng = new SplittableRandom(9);
    List<Dense> batch = List.of(withCondition(4, 1e6, rng), withCondition(4, 1e6, rng));
    GdInverse.Params capped = new GdInverse.Params(GdInverse.Variant.LEFT, GdInverse.Init.ZERO, GdInverse.Step.AUTO,
        0, 0, 1e-12, 2_000);
    RefineSpec refine = new RefineSpec(List.of(RefineMethod.GD_INVERSE), 0, capped, AdamMatch.Params.DEFAULTS,
        NewtonSchulz.Params.DEFAULTS, MixedPrecision.Params.DEFAULTS, CovarianceAscent.Params.DEFAULTS);
    RefineResult r = only(analyze(refine, Precision.DOUBLE, batch));
    for (int i = 0; i < 2; i++) {
      assertEquals(RefineStatus.NOT_CONVERGED, r.status(i));
      assertEquals(2_000, r.iterations(i));
      assertTrue(Double.isFinite(r.loss(i)) && Double.isFinite(r.error(i)) && r.error(i) > 0.1);
    }
  }

  @Test
  void newtonSchulzNeedsAtMostFortyIterationsOnRayleighMatrices() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int n : new int[] {2, 4, 8, 16, 32, 64}) {
      List<Dense> batch = new ArrayList<>();
      for (int i = 0; i < (n == 64 ? 8 : 32); i++) {
        batch.add(Dense.gaussian(n, n, rng));
      }
      ChunkMetrics m = analyze(spec(RefineMethod.NEWTON_SCHULZ), Precision.DOUBLE, batch);
      RefineResult r = only(m);
      for (int i = 0; i < batch.size(); i++) {
        if (!m.ok(i)) {
          continue;
        }
        assertEquals(RefineStatus.CONVERGED, r.status(i), "n=" + n);
        assertTrue(r.iterations(i) <= 40, "n=" + n + ": " + r.iterations(i) + " iterations");
        assertTrue(r.error(i) < 1e-8 * Math.pow(10, m.value(Metric.COND_DB, i, 0) / 20), "error " + r.error(i));
      }
    }
  }

  @Test
  void rankDeficientMatricesSkipTheInverseMethodsOnly() {
    SplittableRandom rng = new SplittableRandom(31);
    Dense rankTwo = Dense.gaussian(4, 2, rng).times(Dense.gaussian(2, 4, rng));
    Dense full = Dense.gaussian(4, 4, rng);
    RefineSpec all = RefineSpec.none().withMethods(RefineMethod.values());
    ChunkMetrics m = analyze(all, Precision.DOUBLE, List.of(rankTwo, full));
    assertEquals(MatrixStatus.OK, m.status(0));
    assertEquals(2, m.value(Metric.RANK, 0, 0));
    for (RefineResult r : m.refine()) {
      boolean inverse = r.method() != RefineMethod.COVARIANCE_ASCENT;
      assertEquals(inverse ? RefineStatus.NOT_APPLICABLE : RefineStatus.CONVERGED, r.status(0), r.method() + " on rank 2");
      assertEquals(RefineStatus.CONVERGED, r.status(1), r.method() + " on full rank");
    }
  }

  @Test
  void covarianceAscentReachesTheWaterFillingCapacity() {
    SplittableRandom rng = new SplittableRandom(23);
    for (int[] shape : new int[][] {{2, 2}, {4, 4}, {4, 2}, {2, 4}}) {
      for (double snrDb : new double[] {0, 10, 20}) {
        RefineSpec refine = new RefineSpec(List.of(RefineMethod.COVARIANCE_ASCENT), 0, GdInverse.Params.DEFAULTS,
            AdamMatch.Params.DEFAULTS, NewtonSchulz.Params.DEFAULTS, MixedPrecision.Params.DEFAULTS,
            new CovarianceAscent.Params(snrDb, 1e-6, 1000));
        List<Dense> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          batch.add(Dense.gaussian(shape[0], shape[1], rng));
        }
        ChunkMetrics m = analyze(refine, Precision.DOUBLE, batch);
        RefineResult r = only(m);
        for (int i = 0; i < batch.size(); i++) {
          assertEquals(RefineStatus.CONVERGED, r.status(i), shape[0] + "x" + shape[1] + " at " + snrDb + " dB");
          assertTrue(r.error(i) <= 1e-6 && r.error(i) >= -1e-9, "gap to water-filling " + r.error(i));
        }
      }
    }
  }

  /**
   * A projection whose eigendecomposition does not converge (its Jacobi limited to one sweep) stops
   * the matrix at once, not-converged, at the Q it started from: its gap and its distance to the
   * water-filling capacity are those of Q = I/t, which the full method then closes.
   */
  @Test
  void covarianceAscentStopsNotConvergedWhereItsProjectionDoesNotConverge() {
    SplittableRandom rng = new SplittableRandom(77);
    int n = 4;
    Dense h = Dense.gaussian(n, n, rng);
    RefineInput in = new RefineInput();
    in.count = 1;
    in.rows = n;
    in.cols = n;
    in.h = new double[2 * n * n];
    for (int c = 0; c < n; c++) {
      for (int r = 0; r < n; r++) {
        in.h[2 * (c * n + r)] = h.re(r, c);
        in.h[2 * (c * n + r) + 1] = h.im(r, c);
      }
    }
    in.s = Reference.singularValues(h);
    in.status = new byte[] {MatrixStatus.OK.code()};
    in.keys = new long[] {0};
    RefineResult limited = new RefineResult(RefineMethod.COVARIANCE_ASCENT, 1);
    new CovarianceAscent(CovarianceAscent.Params.DEFAULTS, n, n, 1).run(in, limited, HistorySink.NONE);
    RefineResult full = new RefineResult(RefineMethod.COVARIANCE_ASCENT, 1);
    new CovarianceAscent(CovarianceAscent.Params.DEFAULTS, n, n).run(in, full, HistorySink.NONE);

    assertEquals(RefineStatus.NOT_CONVERGED, limited.status(0));
    assertEquals(0, limited.iterations(0), "no step was taken");
    double snr = Math.pow(10, CovarianceAscent.Params.DEFAULTS.snrDb() / 10);
    double equalPower = 0;
    for (double sigma : in.s) {
      equalPower += Math.log(1 + snr / n * sigma * sigma) / Math.log(2);
    }
    double[] gains = new double[n];
    for (int j = 0; j < n; j++) {
      gains[j] = in.s[j] * in.s[j];
    }
    double waterFilling = org.mimobatch.pipeline.metrics.Capacity.waterFilling(gains, 0, n, snr, new double[n]);
    assertEquals(waterFilling - equalPower, limited.error(0), 1e-12, "the error of Q = I/t");
    assertTrue(Double.isFinite(limited.loss(0)) && limited.loss(0) > 1e-6, "the gap of Q = I/t: " + limited.loss(0));
    assertEquals(RefineStatus.CONVERGED, full.status(0));
    assertTrue(full.error(0) < limited.error(0));
  }

  @Test
  void adamMatchesTheChannelFromItsTruncatedSvdAndLowRankErrorsFollowEckartYoung() {
    RefineSpec refine = RefineSpec.none().withMethods(RefineMethod.ADAM_MATCH);
    AdamMatch.Params channel = new AdamMatch.Params(AdamMatch.Target.CHANNEL, AdamMatch.Optimizer.ADAM,
        AdamMatch.Objective.SQUARED, 0.01, 0.9, 0.999, 1e-8, 1e-6, 10_000, 2);
    refine = new RefineSpec(refine.methods(), 0, refine.gdInverse(), channel, refine.newtonSchulz(),
        refine.mixedPrecision(), refine.covarianceAscent());
    SplittableRandom rng = new SplittableRandom(4);
    List<Dense> batch = List.of(Dense.gaussian(4, 3, rng), Dense.gaussian(4, 3, rng));
    ChunkMetrics m = analyze(refine, Precision.DOUBLE, batch);
    RefineResult r = only(m);
    for (int i = 0; i < 2; i++) {
      assertEquals(RefineStatus.CONVERGED, r.status(i));
      assertTrue(r.loss(i) <= 1e-6);
      double[] s = Reference.singularValues(batch.get(i));
      double total = s[0] * s[0] + s[1] * s[1] + s[2] * s[2];
      assertEquals(Math.sqrt(s[2] * s[2] / total), m.value(Metric.LOWRANK_ERROR, i, 1), 1e-12, "rank 2 keeps σ1, σ2");
      assertEquals(0.0, m.value(Metric.LOWRANK_ERROR, i, 2), 1e-15, "full rank");
    }
  }

  @Test
  void inverseMethodsDoNotApplyToRectangularChannels() {
    SplittableRandom rng = new SplittableRandom(5);
    ChunkMetrics m = analyze(spec(RefineMethod.GD_INVERSE, RefineMethod.NEWTON_SCHULZ, RefineMethod.MIXED_PRECISION,
        RefineMethod.COVARIANCE_ASCENT), Precision.DOUBLE, List.of(Dense.gaussian(4, 2, rng)));
    assertEquals(RefineStatus.NOT_APPLICABLE, m.refine().get(0).status(0));
    assertEquals(RefineStatus.NOT_APPLICABLE, m.refine().get(1).status(0));
    assertEquals(RefineStatus.NOT_APPLICABLE, m.refine().get(2).status(0));
    assertEquals(RefineStatus.CONVERGED, m.refine().get(3).status(0));
  }

  @Test
  void repeatedSingularValuesAreFlaggedAndLeaveTheirNeighboursAlone() {
    SplittableRandom rng = new SplittableRandom(6);
    Dense q1 = Dense.unitary(3, rng);
    Dense q2 = Dense.unitary(3, rng);
    List<Dense> batch = List.of(
        withCondition(3, 3, rng),
        q1.times(Dense.identity(3)).times(q2), // σ = (1, 1, 1)
        q1.scaleColumns(new double[] {2, 1, 1 + 1e-9}).times(q2), // near-repeated
        withCondition(3, 2, rng));
    MixedPrecision.Params svd = new MixedPrecision.Params(MixedPrecision.Mode.SVD, Double.NaN, 10);
    RefineSpec refine = new RefineSpec(List.of(RefineMethod.MIXED_PRECISION), 0, GdInverse.Params.DEFAULTS,
        AdamMatch.Params.DEFAULTS, NewtonSchulz.Params.DEFAULTS, svd, CovarianceAscent.Params.DEFAULTS);
    RefineResult r = only(analyze(refine, Precision.DOUBLE, batch));
    assertEquals(RefineStatus.CONVERGED, r.status(0));
    assertEquals(RefineStatus.DEGENERATE, r.status(1));
    assertEquals(RefineStatus.DEGENERATE, r.status(2));
    assertEquals(RefineStatus.CONVERGED, r.status(3));
    for (int i : new int[] {0, 3}) {
      assertTrue(r.error(i) < 1e-14 && r.errorBefore(i) > 1e-10, "refined " + r.errorBefore(i) + " → " + r.error(i));
    }
    assertTrue(Double.isNaN(r.error(1)) && Double.isNaN(r.loss(2)), "no numbers for a degenerate matrix");

    // The same batch through every other method: repeated values are harmless there.
    ChunkMetrics all = analyze(spec(RefineMethod.GD_INVERSE, RefineMethod.NEWTON_SCHULZ,
        RefineMethod.COVARIANCE_ASCENT), Precision.DOUBLE, batch);
    for (RefineResult each : all.refine()) {
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(RefineStatus.CONVERGED, each.status(i), each.method() + " " + i);
      }
    }
  }

  @Test
  void aDivergingMatrixIsFrozenAsNonFiniteWhileTheRestConverge() {
    // The text's lr 0.9 and momentum 0.9 diverge where the curvature (2/n²)σ_max² passes 2(1 + μ)/lr.
    GdInverse.Params aggressive = new GdInverse.Params(GdInverse.Variant.LEFT, GdInverse.Init.ZERO,
        GdInverse.Step.FIXED, 0.9, 0.9, 1e-12, 10_000);
    RefineSpec refine = new RefineSpec(List.of(RefineMethod.GD_INVERSE), 0, aggressive, AdamMatch.Params.DEFAULTS,
        NewtonSchulz.Params.DEFAULTS, MixedPrecision.Params.DEFAULTS, CovarianceAscent.Params.DEFAULTS);
    List<Dense> batch = List.of(Dense.diagonal(2, 2, 1, 0.5), Dense.diagonal(2, 2, 30, 1), Dense.diagonal(2, 2, 0.8, 1.2));
    RefineResult r = only(analyze(refine, Precision.DOUBLE, batch));
    assertEquals(RefineStatus.CONVERGED, r.status(0));
    assertEquals(RefineStatus.NON_FINITE, r.status(1));
    assertEquals(RefineStatus.CONVERGED, r.status(2));
    assertTrue(Double.isNaN(r.loss(1)) && Double.isNaN(r.error(1)));
    assertTrue(r.error(0) < 1e-5 && r.error(2) < 1e-5);
  }

  @Test
  void historiesRecordEveryIterationOfSampledMatrices() {
    List<long[]> recorded = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    HistorySink sink = new HistorySink() {
      @Override
      public boolean sampled(int matrix) {
        return matrix == 1;
      }

      @Override
      public void record(int matrix, RefineMethod method, int iteration, double loss) {
        recorded.add(new long[] {matrix, method.ordinal(), iteration});
        losses.add(loss);
      }
    };
    List<Dense> batch = wellConditioned(4, 3, 11);
    RefineResult r = only(analyze(spec(RefineMethod.NEWTON_SCHULZ), Precision.DOUBLE, batch, sink));
    assertEquals(r.iterations(1) + 1, recorded.size(), "the start and every update");
    for (int k = 0; k < recorded.size(); k++) {
      assertEquals(1, recorded.get(k)[0]);
      assertEquals(k, recorded.get(k)[2]);
    }
    assertEquals(r.loss(1), losses.get(losses.size() - 1));
    assertTrue(losses.get(0) > losses.get(losses.size() - 1));
  }

  @Test
  void randomStartsFollowTheMatrixKeyNotItsPosition() {
    GdInverse.Params random = new GdInverse.Params(GdInverse.Variant.BOTH, GdInverse.Init.RANDOM, GdInverse.Step.AUTO,
        0, 0.5, 1e-12, 10_000);
    RefineSpec refine = new RefineSpec(List.of(RefineMethod.GD_INVERSE), 0, random, AdamMatch.Params.DEFAULTS,
        NewtonSchulz.Params.DEFAULTS, MixedPrecision.Params.DEFAULTS, CovarianceAscent.Params.DEFAULTS);
    List<Dense> batch = wellConditioned(3, 3, 12);
    RefineResult together = only(analyze(refine, Precision.DOUBLE, batch));
    // The same matrices with the same keys, in reverse order: matrix 0 now sits last.
    List<Dense> reversed = new ArrayList<>(batch);
    java.util.Collections.reverse(reversed);
    RefineResult moved = only(analyze(refine, Precision.DOUBLE, reversed, new long[] {1002, 1001, 1000}, HistorySink.NONE));
    for (int i = 0; i < 3; i++) {
      assertEquals(together.iterations(i), moved.iterations(2 - i), "matrix " + i);
      assertEquals(together.error(i), moved.error(2 - i), "matrix " + i);
    }
    // Another key at the same position starts elsewhere.
    RefineResult rekeyed = only(analyze(refine, Precision.DOUBLE, batch, new long[] {7, 1001, 1002}, HistorySink.NONE));
    assertTrue(rekeyed.error(0) != together.error(0) || rekeyed.iterations(0) != together.iterations(0));
  }

  @Test
  void singlePrecisionChunksAreRefinedInDouble() {
    List<Dense> batch = wellConditioned(4, 4, 13);
    ChunkMetrics m = analyze(spec(RefineMethod.NEWTON_SCHULZ, RefineMethod.MIXED_PRECISION), Precision.SINGLE, batch);
    for (RefineResult r : m.refine()) {
      for (int i = 0; i < batch.size(); i++) {
        assertEquals(RefineStatus.CONVERGED, r.status(i), r.method().configName());
        // Against the complex64 data the direct inverse was computed on (in single precision).
        assertTrue(r.error(i) < 1e-5, r.method() + " " + r.error(i));
      }
    }
  }
}
