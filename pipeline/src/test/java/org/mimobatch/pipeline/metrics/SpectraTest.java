package org.mimobatch.pipeline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpectraTest {
  @Test
  void conditionNumberIsInDecibelsOfAmplitude() {
    assertEquals(20.0, Spectra.conditionDb(new double[] {10, 3, 1}, 0, 3), 1e-12);
    assertEquals(0.0, Spectra.conditionDb(new double[] {2, 2}, 0, 2));
    assertEquals(Double.POSITIVE_INFINITY, Spectra.conditionDb(new double[] {1, 0}, 0, 2));
    assertEquals(40.0, Spectra.conditionDb(new double[] {7, 100, 1}, 1, 2), 1e-12);
  }

  @Test
  void effectiveRankRunsFromOneToTheDimension() {
    assertEquals(4.0, Spectra.effectiveRank(new double[] {3, 3, 3, 3}, 0, 4), 1e-12);
    assertEquals(1.0, Spectra.effectiveRank(new double[] {5, 0, 0}, 0, 3), 1e-12);
    assertEquals(2.0, Spectra.effectiveRank(new double[] {1, 1, 0}, 0, 3), 1e-12);
    // p = (0.75, 0.25): exp(−0.75 ln 0.75 − 0.25 ln 0.25), evaluated apart (Python's math module)
    assertEquals(1.7547653506033232, Spectra.effectiveRank(new double[] {3, 1}, 0, 2), 1e-12);
  }
}
