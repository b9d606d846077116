package org.mimobatch.pipeline.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;

class ChannelGeneratorTest {

  static ChannelSpec spec(ChannelModel model, int rx, int tx, int subcarriers, double rhoRx, double rhoTx) {
    return new ChannelSpec(model, rx, tx, 1, 1, subcarriers, Precision.DOUBLE, 42, rhoRx, rhoTx,
        new ChannelSpec.Tdl(DelayProfile.Kind.TDL_A, 100, 30, 16));
  }

  static ComplexBatch batchFor(ChannelSpec s) {
    return ComplexBatch.allocate(s.precision(), s.rx(), s.tx(), s.subcarriers());
  }

  @Test
  void aUnitIsAFunctionOfSeedLinkAndSlotAlone() {
    for (ChannelModel model : ChannelModel.values()) {
      ChannelSpec s = spec(model, 3, 2, 16, 0.5, 0.3);
      ChannelGenerator first = new ChannelGenerator(s);
      ChannelGenerator second = new ChannelGenerator(s);
      ComplexBatch a = batchFor(s);
      ComplexBatch b = batchFor(s);
      first.generate(4, 7, a);
      // Another generator that has produced other units first, in another order.
      second.generate(9, 1, b);
      second.generate(4, 8, b);
      second.generate(4, 7, b);
      assertArrayEquals(a.doubles(), b.doubles(), model + " must not depend on history");
      first.generate(4, 8, b);
      assertFalse(Arrays.equals(a.doubles(), b.doubles()), "another slot draws other matrices");
      first.generate(5, 7, b);
      assertFalse(Arrays.equals(a.doubles(), b.doubles()), "another link draws other matrices");
    }
  }

  @Test
  void singlePrecisionHoldsTheRoundedDoubleChannel() {
    ChannelSpec d = spec(ChannelModel.TDL, 2, 2, 8, 0, 0);
    ChannelSpec f = new ChannelSpec(d.model(), 2, 2, 1, 1, 8, Precision.SINGLE, d.seed(), 0, 0, d.tdl());
    ComplexBatch bd = batchFor(d);
    ComplexBatch bf = batchFor(f);
    new ChannelGenerator(d).generate(0, 0, bd);
    new ChannelGenerator(f).generate(0, 0, bf);
    for (int x = 0; x < bd.doubles().length; x++) {
      assertEquals((float) bd.doubles()[x], bf.floats()[x]);
    }
  }

  @Test
  void rayleighEntriesAreCircularUnitPowerGaussians() {
    ChannelSpec s = spec(ChannelModel.RAYLEIGH, 4, 4, 256, 0, 0);
    ChannelGenerator g = new ChannelGenerator(s);
    ComplexBatch b = batchFor(s);
    Moments m = new Moments();
    for (int slot = 0; slot < 100; slot++) {
      g.generate(0, slot, b);
      for (int x = 0; x < b.doubles().length; x += 2) {
        m.add(b.doubles()[x], b.doubles()[x + 1]);
      }
    }
    // 409,600 samples: the standard error of each moment is about 0.0016.
    assertEquals(1.0, m.power(), 0.01, "E|h|²");
    assertEquals(0.0, m.meanRe(), 0.01, "E[Re h]");
    assertEquals(0.0, m.meanIm(), 0.01, "E[Im h]");
    assertEquals(0.0, m.pseudoRe(), 0.01, "E[h²] vanishes for a circular variable");
    assertEquals(2.0, m.fourth() / (m.power() * m.power()), 0.05, "E|h|⁴ = 2 (E|h|²)² for CN");
  }

  @Test
  void kroneckerCorrelationFollowsTheExponentialModel() {
    double rhoRx = 0.7;
    double rhoTx = 0.4;
    ChannelSpec s = spec(ChannelModel.KRONECKER, 4, 3, 256, rhoRx, rhoTx);
    ChannelGenerator g = new ChannelGenerator(s);
    ComplexBatch b = batchFor(s);
    double[][] rxCorr = new double[4][4];
    double[][] txCorr = new double[3][3];
    long n = 0;
    for (int slot = 0; slot < 200; slot++) {
      g.generate(0, slot, b);
      for (int k = 0; k < b.count(); k++, n++) {
        for (int i = 0; i < 4; i++) {
          for (int i2 = 0; i2 < 4; i2++) {
            for (int j = 0; j < 3; j++) { // E[h_ij conj(h_i'j)] summed over j: tx · R_rx
              rxCorr[i][i2] += b.re(k, i, j) * b.re(k, i2, j) + b.im(k, i, j) * b.im(k, i2, j);
            }
          }
        }
        for (int j = 0; j < 3; j++) {
          for (int j2 = 0; j2 < 3; j2++) {
            for (int i = 0; i < 4; i++) {
              txCorr[j][j2] += b.re(k, i, j) * b.re(k, i, j2) + b.im(k, i, j) * b.im(k, i, j2);
            }
          }
        }
      }
    }
    for (int i = 0; i < 4; i++) {
      for (int i2 = 0; i2 < 4; i2++) {
        assertEquals(Math.pow(rhoRx, Math.abs(i - i2)), rxCorr[i][i2] / (3.0 * n), 0.02, "R_rx[" + i + "][" + i2 + "]");
      }
    }
    for (int j = 0; j < 3; j++) {
      for (int j2 = 0; j2 < 3; j2++) {
        assertEquals(Math.pow(rhoTx, Math.abs(j - j2)), txCorr[j][j2] / (4.0 * n), 0.02, "R_tx[" + j + "][" + j2 + "]");
      }
    }
  }

  @Test
  void exponentialCholeskyFactorsTheCorrelationMatrix() {
    for (double rho : new double[] {0, 0.3, 0.9, 1}) {
      int n = 6;
      double[] l = ChannelGenerator.exponentialCholesky(n, rho);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int c = 0; c < n; c++) {
            s += l[i * n + c] * l[j * n + c];
          }
          assertEquals(Math.pow(rho, Math.abs(i - j)), s, 1e-14, "ρ = " + rho);
          if (j > i) {
            assertEquals(0, l[i * n + j], "lower triangular");
          }
        }
      }
    }
  }

  @Test
  void tdlSubcarriersCarryUnitPowerAndTheProfilesFrequencyCorrelation() {
    int subcarriers = 128;
    ChannelSpec s = spec(ChannelModel.TDL, 2, 2, subcarriers, 0, 0);
    ChannelGenerator g = new ChannelGenerator(s);
    DelayProfile p = g.delayProfile();
    ComplexBatch b = batchFor(s);
    int[] lags = {0, 1, 4, 16, 64};
    double[] cr = new double[lags.length];
    double[] ci = new double[lags.length];
    long[] counts = new long[lags.length];
    for (int slot = 0; slot < 3000; slot++) {
      g.generate(0, slot, b);
      for (int x = 0; x < lags.length; x++) {
        int lag = lags[x];
        for (int k = 0; k + lag < subcarriers; k += 8) {
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) { // h_k · conj(h_{k+lag})
              double ar = b.re(k, i, j);
              double ai = b.im(k, i, j);
              double br = b.re(k + lag, i, j);
              double bi = b.im(k + lag, i, j);
              cr[x] += ar * br + ai * bi;
              ci[x] += ai * br - ar * bi;
              counts[x]++;
            }
          }
        }
      }
    }
    double spacing = 30e3;
    for (int x = 0; x < lags.length; x++) {
      // E[h_k conj(h_{k+Δ})] = Σ_l P_l exp(+j 2π Δ Δf τ_l)
      double er = 0;
      double ei = 0;
      for (int l = 0; l < p.taps(); l++) {
        double angle = 2 * Math.PI * lags[x] * spacing * p.delay(l);
        er += p.power(l) * Math.cos(angle);
        ei += p.power(l) * Math.sin(angle);
      }
      assertEquals(er, cr[x] / counts[x], 0.03, "Re R(" + lags[x] + ")");
      assertEquals(ei, ci[x] / counts[x], 0.03, "Im R(" + lags[x] + ")");
    }
  }

  @Test
  void tdlAHasTheRequestedRmsDelaySpread() {
    // The normalised TR 38.901 table has an RMS delay spread of one unit, up to the table's rounding.
    assertEquals(100e-9, DelayProfile.tdlA(100e-9).rmsDelaySpread(), 1.5e-9);
    double sum = 0;
    DelayProfile p = DelayProfile.tdlA(300e-9);
    for (int l = 0; l < p.taps(); l++) {
      sum += p.power(l);
    }
    assertEquals(1.0, sum, 1e-12);
    assertEquals(23, p.taps());
  }

  @Test
  void exponentialProfileDecaysAtTheDelaySpread() {
    DelayProfile p = DelayProfile.exponential(8, 100e-9, 50e-9);
    for (int l = 1; l < 8; l++) {
      assertEquals(Math.exp(-0.5), p.power(l) / p.power(l - 1), 1e-12);
      assertEquals(l * 50e-9, p.delay(l), 1e-20);
    }
  }

  @Test
  void outOfRangeSpecificationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> spec(ChannelModel.KRONECKER, 2, 2, 4, 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> spec(ChannelModel.RAYLEIGH, 0, 2, 4, 0, 0));
    ChannelSpec s = spec(ChannelModel.RAYLEIGH, 2, 2, 4, 0, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ChannelGenerator(s).generate(0, 0, ComplexBatch.allocate(Precision.DOUBLE, 2, 2, 3)));
    assertEquals(true, e.getMessage().contains("4 subcarriers"), e.getMessage());
  }

  /** Running sums of a complex sample. */
  private static final class Moments {
    private double n;
    private double re;
    private double im;
    private double power;
    private double pseudo;
    private double fourth;

    void add(double r, double i) {
      n++;
      re += r;
      im += i;
      double p = r * r + i * i;
      power += p;
      pseudo += r * r - i * i;
      fourth += p * p;
    }

    double meanRe() {
      return re / n;
    }

    double meanIm() {
      return im / n;
    }

    double power() {
      return power / n;
    }

    double pseudoRe() {
      return pseudo / n;
    }

    double fourth() {
      return fourth / n;
    }
  }
}
