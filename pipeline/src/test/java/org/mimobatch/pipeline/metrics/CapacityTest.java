package org.mimobatch.pipeline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelGenerator;
import org.mimobatch.pipeline.channel.ChannelModel;
import org.mimobatch.pipeline.channel.ChannelSpec;
import org.mimobatch.pipeline.channel.DelayProfile;

class CapacityTest {
  private static final double LOG2 = Math.log(2);

  @Test
  void identityChannelsSplitPowerEquallyWhicheverStrategy() {
    for (int n : new int[] {1, 2, 4, 8}) {
      double[] gains = new double[n];
      Arrays.fill(gains, 1.0);
      for (double snrDb : new double[] {-10, 0, 10, 30}) {
        double rho = Capacity.snrLinear(snrDb);
        double expected = n * Math.log(1 + rho / n) / LOG2;
        assertEquals(expected, Capacity.equalPower(gains, 0, n, rho, n), 1e-12);
        assertEquals(expected, Capacity.waterFilling(gains, 0, n, rho, new double[64]), 1e-12);
      }
    }
  }

  @Test
  void waterFillingWorkedByHandOnADiagonalChannel() {
    // λ = (2, 1, 0.1) at ρ = 1: with three modes μ = 12.5/3 < 1/0.1, so the weakest gets nothing;
    // with two, μ = (1 + 1/2 + 1)/2 = 1.25 > 1, so p = (0.75, 0.25) and C = log2(2.5) + log2(1.25).
    double[] gains = {2, 1, 0.1};
    assertEquals(Math.log(3.125) / LOG2, Capacity.waterFilling(gains, 0, 3, 1.0, new double[64]), 1e-14);
    double[] powers = new double[3];
    Capacity.waterFillingPowers(gains, 0, 3, 1.0, powers);
    assertEquals(0.75, powers[0], 1e-14);
    assertEquals(0.25, powers[1], 1e-14);
    assertEquals(0.0, powers[2]);
    // The same channel at ρ = 100 uses all three modes: μ = (1 + 0.005 + 0.01 + 0.1)/3.
    double mu = (1 + 1 / 200.0 + 1 / 100.0 + 1 / 10.0) / 3;
    double expected = (Math.log(mu * 200) + Math.log(mu * 100) + Math.log(mu * 10)) / LOG2;
    assertEquals(expected, Capacity.waterFilling(gains, 0, 3, 100, new double[64]), 1e-12);
  }

  @Test
  void atLowSnrWaterFillingPoursEverythingIntoTheStrongestMode() {
    double[] gains = {3, 1};
    double rho = 0.1; // μ with both modes = (1 + 1/0.3 + 10)/2 < 10: only the first mode is active
    assertEquals(Math.log1p(rho * 3) / LOG2, Capacity.waterFilling(gains, 0, 2, rho, new double[64]), 1e-14);
  }

  @Test
  void waterFillingBeatsEqualPowerAndABruteForceSearch() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 200; trial++) {
      double[] gains = {rng.nextDouble() * 5, rng.nextDouble() * 5};
      Arrays.sort(gains);
      double[] desc = {gains[1], gains[0]};
      double rho = Capacity.snrLinear(-10 + 40 * rng.nextDouble());
      double wf = Capacity.waterFilling(desc, 0, 2, rho, new double[64]);
      assertTrue(wf >= Capacity.equalPower(desc, 0, 2, rho, 2) - 1e-12);
      double best = 0;
      for (int step = 0; step <= 10000; step++) {
        double p = step / 10000.0;
        best = Math.max(best, (Math.log1p(rho * desc[0] * p) + Math.log1p(rho * desc[1] * (1 - p))) / LOG2);
      }
      assertTrue(wf >= best - 1e-12, "water-filling is optimal");
      assertEquals(best, wf, 1e-6, "and the grid search gets within its resolution");
    }
  }

  @Test
  void aVeryWeakModeDoesNotDrownTheStrongOnes() {
    // 1/(ρλ) of the weak mode is 1e20: summing it first and subtracting it later would lose the strong mode.
    assertEquals(1.0, Capacity.waterFilling(new double[] {1, 1e-20}, 0, 2, 1.0, new double[64]), 1e-14);
    // At ρ = 4 the modes 1 and 0.5 are active with μ = (1 + 1/4 + 1/2)/2 = 0.875; the third is not.
    assertEquals((Math.log(0.875 * 4) + Math.log(0.875 * 2)) / LOG2,
        Capacity.waterFilling(new double[] {1, 0.5, 1e-17}, 0, 3, 4.0, new double[64]), 1e-14);
  }

  @Test
  void zeroGainsTakeNoPower() {
    double[] gains = {4, 0, 0};
    assertEquals(Math.log1p(4 * 10) / LOG2, Capacity.waterFilling(gains, 0, 3, 10, new double[64]), 1e-14);
    assertEquals(0, Capacity.waterFilling(new double[] {0, 0}, 0, 2, 10, new double[64]));
    // Offsets are honoured.
    assertEquals(Math.log1p(4 * 10) / LOG2, Capacity.waterFilling(new double[] {9, 9, 4, 0}, 2, 2, 10, new double[64]), 1e-14);
  }

  @Test
  void sisoRayleighOutageCapacityMatchesTheClosedForm() {
    // |h|² ~ Exp(1), so P(C < c) = 1 − exp(−(2^c − 1)/ρ) and the ε-outage capacity is log2(1 − ρ ln(1 − ε)).
    ChannelSpec spec = new ChannelSpec(ChannelModel.RAYLEIGH, 1, 1, 1, 400, 1000, Precision.DOUBLE, 5, 0, 0,
        new ChannelSpec.Tdl(DelayProfile.Kind.TDL_A, 100, 30, 1));
    ChannelGenerator g = new ChannelGenerator(spec);
    ComplexBatch b = ComplexBatch.allocate(Precision.DOUBLE, 1, 1, 1000);
    double rho = Capacity.snrLinear(10);
    double[] capacities = new double[400 * 1000];
    double[] gain = new double[1];
    int n = 0;
    for (int slot = 0; slot < 400; slot++) {
      g.generate(0, slot, b);
      for (int k = 0; k < 1000; k++) {
        gain[0] = b.re(k, 0, 0) * b.re(k, 0, 0) + b.im(k, 0, 0) * b.im(k, 0, 0);
        capacities[n++] = Capacity.equalPower(gain, 0, 1, rho, 1);
      }
    }
    Arrays.sort(capacities);
    for (double eps : new double[] {0.01, 0.1, 0.5}) {
      double expected = Math.log(1 - rho * Math.log(1 - eps)) / LOG2;
      double empirical = capacities[(int) (eps * capacities.length)];
      // The empirical quantile's rank has standard deviation √(ε(1 − ε)/N): allow 5 of them.
      double band = 5 * Math.sqrt(eps * (1 - eps) / capacities.length);
      double lo = Math.log(1 - rho * Math.log(1 - (eps - band))) / LOG2;
      double hi = Math.log(1 - rho * Math.log(1 - (eps + band))) / LOG2;
      assertTrue(empirical > lo && empirical < hi,
          "ε = " + eps + ": empirical " + empirical + ", closed form " + expected);
    }
  }

  @Test
  void log1pAgreesWithTheLibraryToAFewUlps() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int t = 0; t < 100_000; t++) {
      double x = Math.exp(rng.nextDouble(-80, 40));
      double expected = Math.log1p(x);
      assertEquals(expected, Capacity.log1p(x), 4 * Math.ulp(expected), "log1p(" + x + ")");
    }
    assertEquals(0, Capacity.log1p(0));
    assertEquals(1e-300, Capacity.log1p(1e-300));
  }
}
