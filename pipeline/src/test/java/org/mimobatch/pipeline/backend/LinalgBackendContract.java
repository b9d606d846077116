package org.mimobatch.pipeline.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mimobatch.pipeline.backend.LinalgBackend.Op;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.MatrixStatus;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.batch.RealBatch;

/**
 * The {@link LinalgBackend} contract, checked against {@link Reference} over a sweep of shapes and
 * both precisions. Every backend gets a subclass that says how to open it.
 *
 * <p>Tolerances are stated as multiples of n·ε with n the largest dimension and ε the unit roundoff
 * of the precision: backward-stable algorithms reconstruct within a small multiple of n·ε·‖A‖.
 */
public abstract class LinalgBackendContract {
  /** Multiple of n·ε allowed for reconstruction, orthogonality and agreement with the reference. */
  protected static final double SLACK = 20;
  /** Matrices per batch in the sweeps: enough to catch offset mistakes between matrices. */
  private static final int BATCH = 4;

  protected LinalgBackend backend;

  /** A fresh instance of the backend under test. */
  protected abstract LinalgBackend open();

  @BeforeEach
  void openBackend() {
    backend = open();
  }

  @AfterEach
  void closeBackend() {
    backend.close();
  }

  static Stream<Arguments> svdShapes() {
    List<Arguments> shapes = new ArrayList<>();
    for (Precision p : Precision.values()) {
      for (int n = 1; n <= 16; n++) {
        shapes.add(Arguments.of(p, n, n));
      }
      // 32 and 33 sit on either side of the GPU's batched-Jacobi limit.
      shapes.add(Arguments.of(p, 32, 32));
      shapes.add(Arguments.of(p, 33, 33));
      shapes.add(Arguments.of(p, 64, 64));
      int[][] rect = {{8, 4}, {4, 8}, {1, 5}, {5, 1}, {3, 7}, {16, 2}, {2, 16}, {64, 8}};
      for (int[] r : rect) {
        shapes.add(Arguments.of(p, r[0], r[1]));
      }
    }
    return shapes.stream();
  }

  static Stream<Arguments> squareSizes() {
    List<Arguments> sizes = new ArrayList<>();
    for (Precision p : Precision.values()) {
      for (int n = 1; n <= 16; n++) {
        sizes.add(Arguments.of(p, n));
      }
      sizes.add(Arguments.of(p, 32));
      sizes.add(Arguments.of(p, 33));
      sizes.add(Arguments.of(p, 64));
    }
    return sizes.stream();
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("svdShapes")
  void singularValuesMatchTheReference(Precision p, int m, int n) {
    SplittableRandom rng = new SplittableRandom(31L * m + n);
    ComplexBatch a = randomBatch(p, m, n, rng);
    RealBatch s = RealBatch.allocate(p, Math.min(m, n), BATCH);
    byte[] status = new byte[BATCH];
    backend.svdValues(a, s, status);
    for (int k = 0; k < BATCH; k++) {
      assertStatus(MatrixStatus.OK, status[k]);
      Dense h = Dense.of(a, k);
      assertValuesClose(Reference.singularValues(h), s, k, tolerance(p, m, n) * h.frobenius());
    }
  }

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("svdShapes")
  void thinSvdReconstructsWithOrthonormalFactors(Precision p, int m, int n) {
    SplittableRandom rng = new SplittableRandom(17L * m + n);
    ComplexBatch a = randomBatch(p, m, n, rng);
    int k = Math.min(m, n);
    RealBatch s = RealBatch.allocate(p, k, BATCH);
    ComplexBatch u = ComplexBatch.allocate(p, m, k, BATCH);
    ComplexBatch vh = ComplexBatch.allocate(p, k, n, BATCH);
    byte[] status = new byte[BATCH];
    backend.svd(a, s, u, vh, status);
    double tol = tolerance(p, m, n);
    for (int x = 0; x < BATCH; x++) {
      assertStatus(MatrixStatus.OK, status[x]);
      Dense h = Dense.of(a, x);
      Dense uu = Dense.of(u, x);
      Dense vv = Dense.of(vh, x);
      double[] sv = values(s, x);
      assertDescendingNonNegative(sv);
      double recon = h.minus(uu.scaleColumns(sv).times(vv)).frobenius();
      assertTrue(recon <= tol * h.frobenius(), "‖H − UΣVᴴ‖ = " + recon + " for ‖H‖ = " + h.frobenius());
      assertTrue(uu.conjugateTranspose().times(uu).minus(Dense.identity(k)).maxAbs() <= tol, "UᴴU ≠ I");
      assertTrue(vv.times(vv.conjugateTranspose()).minus(Dense.identity(k)).maxAbs() <= tol, "VᴴV ≠ I");
      assertValuesClose(Reference.singularValues(h), s, x, tol * h.frobenius());
    }
  }

  /**
   * Rank-deficient matrices with exact structure, as ray tracers and fully correlated channel models
   * produce them: every entry equal (c·11ᵀ, what a channel with correlation 1 at both ends is), a
   * rank-one outer product, and one with its last columns zero. Their reductions leave trailing
   * entries that shrink towards underflow, which must not stop the decompositions.
   */
  static Batch rankDeficient(Precision p, int m, int n) {
    SplittableRandom rng = new SplittableRandom(41L * m + n);
    ComplexBatch a = ComplexBatch.allocate(p, m, n, 3);
    Dense u = Dense.gaussian(m, 1, rng);
    Dense v = Dense.gaussian(1, n, rng);
    Dense outer = u.times(v);
    Dense halfZero = Dense.gaussian(m, n, rng);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        halfZero.set(i, j, j >= (n + 1) / 2 ? 0 : halfZero.re(i, j), j >= (n + 1) / 2 ? 0 : halfZero.im(i, j));
        a.set(0, i, j, 0.3, -0.7);
      }
    }
    outer.into(a, 1);
    halfZero.into(a, 2);
    a.setCount(3);
    int[] ranks = {1, 1, Math.min(m, (n + 1) / 2)};
    return new Batch(a, ranks);
  }

  record Batch(ComplexBatch matrices, int[] ranks) {}

  @ParameterizedTest(name = "{0} {1}x{2}")
  @MethodSource("svdShapes")
  void rankDeficientMatricesDecompose(Precision p, int m, int n) {
    Batch b = rankDeficient(p, m, n);
    ComplexBatch a = b.matrices();
    int k = Math.min(m, n);
    RealBatch s = RealBatch.allocate(p, k, 3);
    RealBatch values = RealBatch.allocate(p, k, 3);
    ComplexBatch u = ComplexBatch.allocate(p, m, k, 3);
    ComplexBatch vh = ComplexBatch.allocate(p, k, n, 3);
    byte[] status = new byte[3];
    byte[] valueStatus = new byte[3];
    backend.svd(a, s, u, vh, status);
    backend.svdValues(a, values, valueStatus);
    ComplexBatch g = ComplexBatch.allocate(p, n, n, 3);
    backend.gram(a, g);
    RealBatch w = RealBatch.allocate(p, n, 3);
    byte[] eigStatus = new byte[3];
    backend.eighValues(g, w, eigStatus);
    double tol = tolerance(p, m, n);
    for (int x = 0; x < 3; x++) {
      String which = "matrix " + x + " of rank " + b.ranks()[x];
      assertStatus(MatrixStatus.OK, status[x]);
      assertStatus(MatrixStatus.OK, valueStatus[x]);
      assertStatus(MatrixStatus.OK, eigStatus[x]);
      Dense h = Dense.of(a, x);
      double[] reference = Reference.singularValues(h);
      assertValuesClose(reference, s, x, tol * h.frobenius());
      assertValuesClose(reference, values, x, tol * h.frobenius());
      double[] sv = values(s, x);
      for (int j = b.ranks()[x]; j < k; j++) {
        assertTrue(sv[j] <= tol * sv[0], which + ": σ" + (j + 1) + " = " + sv[j]);
      }
      Dense uu = Dense.of(u, x);
      Dense vv = Dense.of(vh, x);
      double recon = h.minus(uu.scaleColumns(sv).times(vv)).frobenius();
      assertTrue(recon <= tol * h.frobenius(), which + ": ‖H − UΣVᴴ‖ = " + recon);
      assertTrue(uu.conjugateTranspose().times(uu).minus(Dense.identity(k)).maxAbs() <= tol, which + ": UᴴU ≠ I");
      assertTrue(vv.times(vv.conjugateTranspose()).minus(Dense.identity(k)).maxAbs() <= tol, which + ": VᴴV ≠ I");
      Dense gk = Dense.of(g, x);
      assertValuesClose(Reference.hermitianEigenvalues(gk), w, x, tolerance(p, n, n) * gk.frobenius());
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("squareSizes")
  void hermitianEigenvaluesMatchTheReference(Precision p, int n) {
    SplittableRandom rng = new SplittableRandom(7L * n);
    ComplexBatch a = randomBatch(p, n + 1, n, rng);
    ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
    backend.gram(a, g);
    RealBatch w = RealBatch.allocate(p, n, BATCH);
    byte[] status = new byte[BATCH];
    backend.eighValues(g, w, status);
    for (int k = 0; k < BATCH; k++) {
      assertStatus(MatrixStatus.OK, status[k]);
      Dense gk = Dense.of(g, k);
      assertValuesClose(Reference.hermitianEigenvalues(gk), w, k, tolerance(p, n, n) * gk.frobenius());
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("squareSizes")
  void eigenvectorsDiagonaliseAndAreUnitary(Precision p, int n) {
    SplittableRandom rng = new SplittableRandom(11L * n);
    ComplexBatch a = randomBatch(p, n, n, rng);
    ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
    backend.gram(a, g);
    RealBatch w = RealBatch.allocate(p, n, BATCH);
    ComplexBatch z = ComplexBatch.allocate(p, n, n, BATCH);
    byte[] status = new byte[BATCH];
    backend.eigh(g, w, z, status);
    double tol = tolerance(p, n, n);
    for (int k = 0; k < BATCH; k++) {
      assertStatus(MatrixStatus.OK, status[k]);
      Dense gk = Dense.of(g, k);
      Dense zk = Dense.of(z, k);
      double[] wk = values(w, k);
      for (int i = 1; i < n; i++) {
        assertTrue(wk[i - 1] <= wk[i], "eigenvalues must ascend");
      }
      double residual = gk.times(zk).minus(zk.scaleColumns(wk)).frobenius();
      assertTrue(residual <= tol * gk.frobenius(), "‖GZ − ZΛ‖ = " + residual);
      assertTrue(zk.conjugateTranspose().times(zk).minus(Dense.identity(n)).maxAbs() <= tol, "ZᴴZ ≠ I");
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("squareSizes")
  void solveLeavesASmallResidualAndMatchesTheReference(Precision p, int n) {
    SplittableRandom rng = new SplittableRandom(13L * n);
    int rhs = 3;
    ComplexBatch a = randomBatch(p, n, n, rng);
    ComplexBatch b = randomBatch(p, n, rhs, rng);
    ComplexBatch x = ComplexBatch.allocate(p, n, rhs, BATCH);
    byte[] status = new byte[BATCH];
    backend.solve(a, b, x, status);
    for (int k = 0; k < BATCH; k++) {
      assertStatus(MatrixStatus.OK, status[k]);
      Dense ak = Dense.of(a, k);
      Dense xk = Dense.of(x, k);
      Dense bk = Dense.of(b, k);
      double residual = ak.times(xk).minus(bk).frobenius();
      double scale = ak.frobenius() * xk.frobenius();
      assertTrue(residual <= tolerance(p, n, n) * scale, "‖AX − B‖ = " + residual + " against " + scale);
      double[] sv = Reference.singularValues(ak);
      double cond = sv[0] / sv[n - 1];
      Dense ref = Reference.solve(ak, bk);
      double error = xk.minus(ref).frobenius() / ref.frobenius();
      assertTrue(error <= tolerance(p, n, n) * cond, "forward error " + error + " with κ = " + cond);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void productsMatchTheReferenceForEveryOperandForm(Precision p) {
    SplittableRandom rng = new SplittableRandom(5);
    for (Op opA : Op.values()) {
      for (Op opB : Op.values()) {
        // op(a) is 3×5 and op(b) is 5×2 whatever the forms.
        ComplexBatch a = opA == Op.NONE ? randomBatch(p, 3, 5, rng) : randomBatch(p, 5, 3, rng);
        ComplexBatch b = opB == Op.NONE ? randomBatch(p, 5, 2, rng) : randomBatch(p, 2, 5, rng);
        ComplexBatch c = ComplexBatch.allocate(p, 3, 2, BATCH);
        backend.multiply(a, opA, b, opB, c);
        for (int k = 0; k < BATCH; k++) {
          Dense expected = apply(opA, Dense.of(a, k)).times(apply(opB, Dense.of(b, k)));
          double error = Dense.of(c, k).minus(expected).frobenius();
          assertTrue(error <= tolerance(p, 5, 5) * expected.frobenius(), opA + "·" + opB + " off by " + error);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} n={1}")
  @MethodSource("squareSizes")
  void gramMatrixAndNormsMatchTheReference(Precision p, int n) {
    SplittableRandom rng = new SplittableRandom(3L * n);
    ComplexBatch a = randomBatch(p, n + 2, n, rng);
    ComplexBatch g = ComplexBatch.allocate(p, n, n, BATCH);
    backend.gram(a, g);
    double[] norms = new double[BATCH];
    backend.frobeniusNorms(a, norms);
    for (int k = 0; k < BATCH; k++) {
      Dense ak = Dense.of(a, k);
      Dense expected = ak.conjugateTranspose().times(ak);
      assertTrue(Dense.of(g, k).minus(expected).frobenius() <= tolerance(p, n + 2, n) * expected.frobenius());
      assertEquals(ak.frobenius(), norms[k], 1e-13 * ak.frobenius());
    }
  }

  // ---- known answers ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void diagonalMatricesHaveTheirSortedMagnitudesAsSingularValues(Precision p) {
    ComplexBatch a = ComplexBatch.allocate(p, 4, 4, 1);
    a.set(0, 0, 0, -2, 0);
    a.set(0, 1, 1, 0, 5);
    a.set(0, 2, 2, 0.5, 0);
    a.set(0, 3, 3, 3, 4);
    RealBatch s = RealBatch.allocate(p, 4, 1);
    byte[] status = new byte[1];
    backend.svdValues(a, s, status);
    assertStatus(MatrixStatus.OK, status[0]);
    assertArrayEquals(new double[] {5, 5, 2, 0.5}, values(s, 0), 10 * p.epsilon() * 5);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void unitaryMatricesHaveUnitSingularValues(Precision p) {
    int n = 12;
    ComplexBatch a = ComplexBatch.allocate(p, n, n, 1);
    Dense.unitary(n, new SplittableRandom(1)).into(a, 0);
    RealBatch s = RealBatch.allocate(p, n, 1);
    byte[] status = new byte[1];
    backend.svdValues(a, s, status);
    for (double v : values(s, 0)) {
      assertEquals(1.0, v, tolerance(p, n, n));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void rankDeficientMatricesHaveZeroTrailingSingularValues(Precision p) {
    int n = 8;
    int rank = 3;
    SplittableRandom rng = new SplittableRandom(2);
    Dense h = Dense.gaussian(n, rank, rng).times(Dense.gaussian(rank, n, rng));
    ComplexBatch a = ComplexBatch.allocate(p, n, n, 1);
    h.into(a, 0);
    RealBatch s = RealBatch.allocate(p, n, 1);
    byte[] status = new byte[1];
    backend.svdValues(a, s, status);
    assertStatus(MatrixStatus.OK, status[0]);
    double[] sv = values(s, 0);
    assertTrue(sv[rank - 1] > 0.01 * sv[0], "the leading " + rank + " values carry the rank");
    for (int i = rank; i < n; i++) {
      assertTrue(sv[i] <= tolerance(p, n, n) * sv[0], "σ" + i + " = " + sv[i] + " should vanish");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void illConditionedSpectraAreRecoveredToAbsoluteAccuracy(Precision p) {
    int n = 8;
    SplittableRandom rng = new SplittableRandom(4);
    double[] sigma = new double[n];
    for (int i = 0; i < n; i++) {
      sigma[i] = Math.pow(10, -i); // κ = 1e7
    }
    Dense h = Dense.unitary(n, rng).scaleColumns(sigma).times(Dense.unitary(n, rng));
    ComplexBatch a = ComplexBatch.allocate(p, n, n, 1);
    h.into(a, 0);
    RealBatch s = RealBatch.allocate(p, n, 1);
    byte[] status = new byte[1];
    backend.svdValues(a, s, status);
    assertStatus(MatrixStatus.OK, status[0]);
    // The stored matrix is the rounded product, so accuracy is absolute: ~ n·ε·σ_max.
    assertArrayEquals(sigma, values(s, 0), tolerance(p, n, n));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void eighReadsOnlyTheLowerTriangle(Precision p) {
    ComplexBatch a = ComplexBatch.allocate(p, 3, 3, 1);
    a.set(0, 0, 0, 2, 0);
    a.set(0, 1, 1, 3, 0);
    a.set(0, 2, 2, 1, 0);
    a.set(0, 1, 0, 0, 1); // lower: H[1,0] = i, so H[0,1] = −i
    a.set(0, 0, 1, 99, 99); // garbage in the upper triangle
    a.set(0, 0, 2, -7, 5);
    RealBatch w = RealBatch.allocate(p, 3, 1);
    byte[] status = new byte[1];
    backend.eighValues(a, w, status);
    // [[2, −i], [i, 3]] has eigenvalues (5 ± √5)/2; the third is 1.
    double[] expected = {1, (5 - Math.sqrt(5)) / 2, (5 + Math.sqrt(5)) / 2};
    assertArrayEquals(expected, values(w, 0), 20 * p.epsilon() * 4);
  }

  // ---- per-matrix status ----

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void nonFiniteInputIsFlaggedWithoutDisturbingItsNeighbours(Precision p) {
    SplittableRandom rng = new SplittableRandom(9);
    ComplexBatch a = randomBatch(p, 4, 4, rng);
    a.set(1, 2, 3, Double.NaN, 0);
    a.set(2, 0, 0, 0, Double.POSITIVE_INFINITY);
    RealBatch s = RealBatch.allocate(p, 4, BATCH);
    ComplexBatch u = ComplexBatch.allocate(p, 4, 4, BATCH);
    ComplexBatch vh = ComplexBatch.allocate(p, 4, 4, BATCH);
    byte[] status = new byte[BATCH];
    backend.svd(a, s, u, vh, status);
    assertStatus(MatrixStatus.OK, status[0]);
    assertStatus(MatrixStatus.NON_FINITE, status[1]);
    assertStatus(MatrixStatus.NON_FINITE, status[2]);
    assertStatus(MatrixStatus.OK, status[3]);
    assertTrue(Double.isNaN(s.get(1, 0)) && Double.isNaN(u.re(2, 0, 0)) && Double.isNaN(vh.im(1, 3, 3)),
        "outputs of a failed matrix are NaN");
    for (int k : new int[] {0, 3}) {
      assertValuesClose(Reference.singularValues(Dense.of(a, k)), s, k, tolerance(p, 4, 4) * 8);
    }

    ComplexBatch g = ComplexBatch.allocate(p, 4, 4, BATCH);
    backend.gram(a, g);
    RealBatch w = RealBatch.allocate(p, 4, BATCH);
    backend.eighValues(g, w, status);
    assertStatus(MatrixStatus.OK, status[0]);
    assertStatus(MatrixStatus.NON_FINITE, status[1]);
    assertStatus(MatrixStatus.OK, status[3]);

    ComplexBatch b = randomBatch(p, 4, 1, rng);
    ComplexBatch x = ComplexBatch.allocate(p, 4, 1, BATCH);
    backend.solve(a, b, x, status);
    assertStatus(MatrixStatus.NON_FINITE, status[2]);
    assertStatus(MatrixStatus.OK, status[3]);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void spectraThatOverflowAreFlaggedNonFinite(Precision p) {
    double huge = p == Precision.DOUBLE ? 1e308 : 3e38;
    ComplexBatch a = ComplexBatch.allocate(p, 4, 4, 2);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        a.set(0, i, j, huge, 0); // finite entries, σ_max = 4·huge overflows
        a.set(1, i, j, i == j ? 1 : 0, 0);
      }
    }
    RealBatch s = RealBatch.allocate(p, 4, 2);
    byte[] status = new byte[2];
    backend.svdValues(a, s, status);
    assertStatus(MatrixStatus.NON_FINITE, status[0]);
    assertStatus(MatrixStatus.OK, status[1]);
    assertTrue(Double.isNaN(s.get(0, 0)));
    RealBatch w = RealBatch.allocate(p, 4, 2);
    backend.eighValues(a, w, status);
    assertStatus(MatrixStatus.NON_FINITE, status[0]);
    assertStatus(MatrixStatus.OK, status[1]);
  }

  /**
   * A = s·A₀ with x = [1, 1]: at scales whose squares overflow (or underflow) the precision, a
   * solve that forms |pivot|² returns x = 0 as ok (or calls A singular); LAPACK's zgetrs scales
   * its divisions and returns x. Closed form: A₀ = [[2 + i, 1], [1, 3 − 2i]], b = s·A₀·x. The
   * batch has more systems than vector lanes, alongside 8×8 systems at the same scale.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void systemsAtScalesWhoseSquaresOverflowOrUnderflowAreSolved(Precision p) {
    double[] scales = p == Precision.DOUBLE ? new double[] {1e160, 1e-170, 1e150, 1e-150}
        : new double[] {1e25, 1e-25, 1e20, 1e-22};
    for (double s : scales) {
      int count = 9;
      ComplexBatch a = ComplexBatch.allocate(p, 2, 2, count);
      ComplexBatch b = ComplexBatch.allocate(p, 2, 1, count);
      ComplexBatch x = ComplexBatch.allocate(p, 2, 1, count);
      a.setCount(count);
      b.setCount(count);
      for (int k = 0; k < count; k++) {
        a.set(k, 0, 0, 2 * s, s);
        a.set(k, 0, 1, s, 0);
        a.set(k, 1, 0, s, 0);
        a.set(k, 1, 1, 3 * s, -2 * s);
        b.set(k, 0, 0, 3 * s, s);
        b.set(k, 1, 0, 4 * s, -2 * s);
      }
      byte[] status = new byte[count];
      backend.solve(a, b, x, status);
      for (int k = 0; k < count; k++) {
        assertStatus(MatrixStatus.OK, status[k]);
        for (int r = 0; r < 2; r++) {
          assertEquals(1, x.re(k, r, 0), tolerance(p, 2, 2), "s = " + s + ": x" + r);
          assertEquals(0, x.im(k, r, 0), tolerance(p, 2, 2), "s = " + s + ": x" + r);
        }
      }
      SplittableRandom rng = new SplittableRandom(71);
      ComplexBatch big = randomBatch(p, 8, 8, rng);
      ComplexBatch rhs = randomBatch(p, 8, 2, rng);
      for (int e = 0; e < big.count() * big.matrixStride(); e++) {
        big.put(e, big.get(e) * s);
      }
      ComplexBatch solution = ComplexBatch.allocate(p, 8, 2, BATCH);
      byte[] bigStatus = new byte[BATCH];
      backend.solve(big, rhs, solution, bigStatus);
      for (int k = 0; k < BATCH; k++) {
        assertStatus(MatrixStatus.OK, bigStatus[k]);
        Dense ak = Dense.of(big, k).scaled(1 / s);
        Dense xk = Dense.of(solution, k).scaled(s);
        double residual = ak.times(xk).minus(Dense.of(rhs, k)).frobenius();
        assertTrue(residual <= tolerance(p, 8, 8) * ak.frobenius() * xk.frobenius(),
            "s = " + s + ": ‖AX − B‖ = " + residual);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void singularSystemsAreFlaggedAndTheirNeighboursSolved(Precision p) {
    SplittableRandom rng = new SplittableRandom(10);
    ComplexBatch a = randomBatch(p, 5, 5, rng);
    for (int i = 0; i < 5; i++) {
      a.set(1, i, 2, 0, 0); // a zero column: exactly singular
    }
    a.clear(2); // the zero matrix
    ComplexBatch b = randomBatch(p, 5, 2, rng);
    ComplexBatch x = ComplexBatch.allocate(p, 5, 2, BATCH);
    byte[] status = new byte[BATCH];
    backend.solve(a, b, x, status);
    assertStatus(MatrixStatus.OK, status[0]);
    assertStatus(MatrixStatus.SINGULAR, status[1]);
    assertStatus(MatrixStatus.SINGULAR, status[2]);
    assertStatus(MatrixStatus.OK, status[3]);
    assertTrue(Double.isNaN(x.re(1, 0, 0)), "the solution of a singular system is NaN");
    Dense a3 = Dense.of(a, 3);
    assertTrue(a3.times(Dense.of(x, 3)).minus(Dense.of(b, 3)).frobenius() <= tolerance(p, 5, 5) * 50);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Precision.class)
  void zeroMatricesHaveZeroSpectra(Precision p) {
    ComplexBatch a = ComplexBatch.allocate(p, 3, 5, 2);
    RealBatch s = RealBatch.allocate(p, 3, 2);
    byte[] status = new byte[2];
    backend.svdValues(a, s, status);
    assertStatus(MatrixStatus.OK, status[0]);
    assertArrayEquals(new double[] {0, 0, 0}, values(s, 1), 0);
  }

  // ---- batch handling and shape errors ----

  @Test
  void onlyTheFirstCountMatricesAreProcessed() {
    SplittableRandom rng = new SplittableRandom(12);
    ComplexBatch a = ComplexBatch.allocate(Precision.DOUBLE, 3, 3, 10);
    for (int k = 0; k < 10; k++) {
      Dense.gaussian(3, 3, rng).into(a, k);
    }
    a.setCount(4);
    RealBatch s = RealBatch.allocate(Precision.DOUBLE, 3, 10);
    s.fill(4, -1);
    byte[] status = new byte[4];
    backend.svdValues(a, s, status);
    assertEquals(4, s.count());
    assertEquals(-1, s.get(4, 0), "matrices past count are left alone");
    assertValuesClose(Reference.singularValues(Dense.of(a, 3)), s, 3, 1e-13 * 10);
  }

  @Test
  void emptyBatchesAreANoOp() {
    ComplexBatch a = ComplexBatch.allocate(Precision.DOUBLE, 4, 4, 0);
    RealBatch s = RealBatch.allocate(Precision.DOUBLE, 4, 0);
    backend.svdValues(a, s, new byte[0]);
    ComplexBatch x = ComplexBatch.allocate(Precision.DOUBLE, 4, 1, 0);
    backend.solve(a, x, x, new byte[0]);
    assertEquals(0, s.count());
  }

  @Test
  void oneInstanceServesChangingShapesAndPrecisions() {
    SplittableRandom rng = new SplittableRandom(14);
    int[] sizes = {8, 3, 16, 3, 64, 2};
    for (int round = 0; round < 2; round++) {
      for (int n : sizes) {
        for (Precision p : Precision.values()) {
          ComplexBatch a = randomBatch(p, n, n, rng);
          RealBatch s = RealBatch.allocate(p, n, BATCH);
          ComplexBatch u = ComplexBatch.allocate(p, n, n, BATCH);
          ComplexBatch vh = ComplexBatch.allocate(p, n, n, BATCH);
          byte[] status = new byte[BATCH];
          backend.svd(a, s, u, vh, status);
          Dense h = Dense.of(a, BATCH - 1);
          assertValuesClose(Reference.singularValues(h), s, BATCH - 1, tolerance(p, n, n) * h.frobenius());
        }
      }
    }
  }

  @Test
  void shapeMismatchesThrowNamingBothShapes() {
    ComplexBatch a = ComplexBatch.allocate(Precision.DOUBLE, 4, 3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> backend.svd(a, RealBatch.allocate(Precision.DOUBLE, 3, 2), ComplexBatch.allocate(Precision.DOUBLE, 4, 4, 2),
            ComplexBatch.allocate(Precision.DOUBLE, 3, 3, 2), new byte[2]));
    assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("4x4"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> backend.multiply(a, Op.NONE,
        ComplexBatch.allocate(Precision.DOUBLE, 4, 2, 2), Op.NONE, ComplexBatch.allocate(Precision.DOUBLE, 4, 2, 2)));
    assertTrue(e.getMessage().contains("4x3") && e.getMessage().contains("4x2"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> backend.solve(a, ComplexBatch.allocate(Precision.DOUBLE, 4, 1, 2), ComplexBatch.allocate(Precision.DOUBLE, 4, 1, 2),
            new byte[2]));
    assertTrue(e.getMessage().contains("square") && e.getMessage().contains("4x3"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> backend.svdValues(a, RealBatch.allocate(Precision.SINGLE, 3, 2), new byte[2]));
    assertTrue(e.getMessage().contains("SINGLE") && e.getMessage().contains("DOUBLE"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> backend.svdValues(a, RealBatch.allocate(Precision.DOUBLE, 3, 2), new byte[1]));
    assertTrue(e.getMessage().contains("status"), e.getMessage());
  }

  // ---- helpers ----

  /** SLACK · max(m, n) · ε of the precision. */
  protected static double tolerance(Precision p, int m, int n) {
    return SLACK * Math.max(m, n) * p.epsilon();
  }

  protected static ComplexBatch randomBatch(Precision p, int m, int n, SplittableRandom rng) {
    return randomBatch(p, m, n, BATCH, rng);
  }

  /** {@code count} m×n matrices with i.i.d. CN(0, 1) entries. */
  static ComplexBatch randomBatch(Precision p, int m, int n, int count, SplittableRandom rng) {
    ComplexBatch a = ComplexBatch.allocate(p, m, n, count);
    for (int k = 0; k < count; k++) {
      Dense.gaussian(m, n, rng).into(a, k);
    }
    return a;
  }

  protected static double[] values(RealBatch batch, int k) {
    double[] v = new double[batch.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = batch.get(k, i);
    }
    return v;
  }

  private static Dense apply(Op op, Dense d) {
    return switch (op) {
      case NONE -> d;
      case TRANSPOSE -> d.transpose();
      case CONJUGATE_TRANSPOSE -> d.conjugateTranspose();
    };
  }

  private static void assertStatus(MatrixStatus expected, byte actual) {
    assertEquals(expected, MatrixStatus.ofCode(actual));
  }

  private static void assertDescendingNonNegative(double[] v) {
    for (int i = 0; i < v.length; i++) {
      assertTrue(v[i] >= 0, "singular values are non-negative");
      if (i > 0) {
        assertTrue(v[i - 1] >= v[i], "singular values descend");
      }
    }
  }

  private static void assertValuesClose(double[] expected, RealBatch actual, int k, double tolerance) {
    assertArrayEquals(expected, values(actual, k), tolerance);
  }
}
