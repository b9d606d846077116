package org.mimobatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.analysis.MatrixKey;
import org.mimobatch.pipeline.batch.ComplexBatch;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.ChannelGenerator;
import org.mimobatch.pipeline.channel.ChannelModel;
import org.mimobatch.pipeline.channel.ChannelSpec;
import org.mimobatch.pipeline.channel.DelayProfile;
import org.mimobatch.pipeline.util.SplitMix;
import org.mimobatch.pipeline.util.Ziggurat;

/**
 * The values every generated channel and every per-matrix draw rest on, pinned: a change to the
 * random streams, the stream derivation, the matrix key or the channel models changes what a rerun
 * of an old configuration produces, and must fail here rather than pass silently.
 */
class PinnedValuesTest {
  @Test
  void splitMixStreams() {
    SplitMix r = new SplitMix(1);
    assertArrayEquals(new long[] {-7995527694508729151L, -4689498862643123097L, -534904783426661026L},
        new long[] {r.nextLong(), r.nextLong(), r.nextLong()});
    r = new SplitMix(1);
    assertEquals(0.5665615751722809, r.nextDouble());
    assertEquals(0.7457817572627011, r.nextDouble());
    assertEquals(3167113054431629415L, SplitMix.streamSeed(1, 2, 3, 4));
    assertEquals(-1876352751979827974L, SplitMix.streamSeed(1, 2, 3, 4, 5));
  }

  @Test
  void normalDraws() {
    double[] d = new double[4];
    Ziggurat.complexNormal(new SplitMix(7), d, 0, 2, 1.0);
    assertArrayEquals(new double[] {-0.19035545349779248, -1.4368239388529322, 1.8267194806236695, 0.16243638421245377},
        d, 1e-15);
    new SplitMix(7).complexNormal(d, 0, 2, 1.0);
    assertArrayEquals(new double[] {-0.029515714240081776, -0.12945725736220007, 0.6197659903845733,
        0.1282495456230815}, d, 1e-15);
  }

  @Test
  void matrixKeysAndTheHistorySampleHash() {
    assertEquals(7024145194087279605L, MatrixKey.of(0, 0, 0));
    assertEquals(-3175704390901486049L, MatrixKey.of(1, 2, 3));
    assertEquals(-2897267565147983260L, MatrixKey.of(-1, 5, 1023));
    assertEquals(7052362675136362333L, MatrixKey.sampleHash(1, MatrixKey.of(1, 2, 3)));
  }

  @Test
  void generatedChannelsOfEveryModel() {
    // (model, H[0](0,0), H[7](1,2)) for seed 42, link 3, slot 4 of a 2x3 grid with 8 subcarriers.
    Object[][] pinned = {
        {ChannelModel.RAYLEIGH, 0.5084885018915887, 0.44313026852584114, -0.9198508774773815, -0.2232573436969279},
        {ChannelModel.KRONECKER, 0.5084885018915887, 0.44313026852584114, -0.4846450245446082, -0.5335910469349611},
        {ChannelModel.TDL, 0.30091316289318976, -1.031518408844922, -0.12856500550325708, -1.3180198049436012}};
    for (Object[] p : pinned) {
      ChannelModel model = (ChannelModel) p[0];
      ChannelSpec s = new ChannelSpec(model, 2, 3, 4, 5, 8, Precision.DOUBLE, 42, 0.5, 0.3,
          new ChannelSpec.Tdl(DelayProfile.Kind.TDL_A, 100, 30, 16));
      ComplexBatch b = ComplexBatch.allocate(Precision.DOUBLE, 2, 3, 8);
      new ChannelGenerator(s).generate(3, 4, b);
      // Bit for bit: the TDL phases come from StrictMath, the same on every JVM.
      double tol = 0;
      assertEquals((double) p[1], b.get(b.index(0, 0, 0)), tol, model + " H[0](0,0)");
      assertEquals((double) p[2], b.get(b.index(0, 0, 0) + 1), tol, model + " H[0](0,0)");
      assertEquals((double) p[3], b.get(b.index(7, 1, 2)), tol, model + " H[7](1,2)");
      assertEquals((double) p[4], b.get(b.index(7, 1, 2) + 1), tol, model + " H[7](1,2)");
    }
  }
}
