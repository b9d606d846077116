package org.mimobatch.pipeline.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The ziggurat's draws against the normal law: moments, tail masses and the distribution function. */
class ZigguratTest {
  private static final int DRAWS = 2_000_000;

  @Test
  void drawsFollowTheStandardNormal() {
    SplitMix rng = new SplitMix(2024);
    double sum = 0;
    double sum2 = 0;
    double sum4 = 0;
    long beyond2 = 0;
    long beyond3 = 0;
    long beyondR = 0;
    long belowMinusOne = 0;
    for (int k = 0; k < DRAWS; k++) {
      double x = Ziggurat.normal(rng);
      sum += x;
      sum2 += x * x;
      sum4 += x * x * x * x;
      beyond2 += Math.abs(x) > 2 ? 1 : 0;
      beyond3 += Math.abs(x) > 3 ? 1 : 0;
      beyondR += Math.abs(x) > 3.5 ? 1 : 0;
      belowMinusOne += x < -1 ? 1 : 0;
    }
    double n = DRAWS;
    double se = 1 / Math.sqrt(n);
    assertEquals(0, sum / n, 5 * se, "mean");
    assertEquals(1, sum2 / n, 5 * Math.sqrt(2) * se, "variance");
    assertEquals(3, sum4 / n, 5 * Math.sqrt(96) * se, "fourth moment");
    // Two-sided masses of N(0, 1): P(|x| > 2) = 0.0455003, P(|x| > 3) = 0.0026998, P(|x| > 3.5) =
    // 0.000465; P(x < −1) = 0.158655 — each within five binomial standard errors.
    assertMass(0.0455003, beyond2, "|x| > 2");
    assertMass(0.0026998, beyond3, "|x| > 3");
    assertMass(0.000465258, beyondR, "|x| > 3.5 (the tail beyond R = 3.44)");
    assertMass(0.158655, belowMinusOne, "x < -1");
  }

  @Test
  void complexDrawsHaveTheRequestedPowerAndAreReproducible() {
    double[] a = new double[2 * 100_000];
    double[] b = new double[a.length];
    Ziggurat.complexNormal(new SplitMix(7), a, 0, 100_000, 3);
    Ziggurat.complexNormal(new SplitMix(7), b, 0, 100_000, 3);
    assertArrayEquals(a, b, "the same stream gives the same draws");
    double power = 0;
    for (double v : a) {
      power += v * v;
    }
    assertEquals(9, power / 100_000, 0.1, "E|z|² = scale²");
  }

  private static void assertMass(double p, long count, String what) {
    double se = Math.sqrt(p * (1 - p) / DRAWS);
    assertEquals(p, count / (double) DRAWS, 5 * se, what);
  }
}
