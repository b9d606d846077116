package org.mimobatch.jobs.config;

import org.mimobatch.jobs.io.Limits;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import org.mimobatch.pipeline.refine.AdamMatch;
import org.mimobatch.pipeline.refine.CovarianceAscent;
import org.mimobatch.pipeline.refine.GdInverse;
import org.mimobatch.pipeline.refine.MixedPrecision;
import org.mimobatch.pipeline.refine.NewtonSchulz;
import org.mimobatch.pipeline.refine.RefineMethod;
import org.mimobatch.pipeline.refine.RefineSpec;

/** Reads the {@code refine} section into a {@link RefineSpec}; every error names its key. */
final class RefineSettings {
  private RefineSettings() {}

  static RefineSpec read(ConfigReader c) {
    List<RefineMethod> methods = c.choices("refine.methods", RefineMethod.class, true);
    int historySample = c.intBetween("refine.history-sample", 0, 100_000);
    return new RefineSpec(methods, historySample, gdInverse(c), adamMatch(c), newtonSchulz(c), mixedPrecision(c),
        covarianceAscent(c));
  }

  private static GdInverse.Params gdInverse(ConfigReader c) {
    String p = "refine.gd-inverse.";
    GdInverse.Variant variant = c.choice(p + "variant", GdInverse.Variant.class);
    GdInverse.Init init = c.choice(p + "init", GdInverse.Init.class);
    double momentum = c.doubleBetween(p + "momentum", 0, 0.999999);
    ConfigValue lr = c.value(p + "lr");
    GdInverse.Step step;
    double rate = 0;
    if (lr.valueType() == ConfigValueType.NUMBER) {
      step = GdInverse.Step.FIXED;
      rate = c.positive(p + "lr");
    } else {
      String word = String.valueOf(lr.unwrapped());
      step = switch (word) {
        case "auto" -> GdInverse.Step.AUTO;
        case "optimal" -> GdInverse.Step.OPTIMAL;
        case "text" -> GdInverse.Step.FIXED;
        default -> throw new SettingsException(p + "lr: '" + word + "' is not allowed; allowed: optimal, auto, text,"
            + " or a positive number such as 0.5");
      };
      if (!word.equals("auto") && momentum != 0) {
        throw new SettingsException(p + "momentum: lr = " + word + " sets the momentum itself; leave momentum at 0"
            + " or give lr a number");
      }
      if (word.equals("text")) {
        rate = GdInverse.TEXT_LR;
        momentum = GdInverse.TEXT_MOMENTUM;
      }
    }
    return new GdInverse.Params(variant, init, step, rate, momentum, c.positive(p + "tolerance"),
        c.intBetween(p + "max-iterations", 1, 10_000_000));
  }

  private static AdamMatch.Params adamMatch(ConfigReader c) {
    String p = "refine.adam-match.";
    return new AdamMatch.Params(c.choice(p + "target", AdamMatch.Target.class),
        c.choice(p + "optimizer", AdamMatch.Optimizer.class), c.choice(p + "objective", AdamMatch.Objective.class),
        c.positive(p + "lr"), c.doubleBetween(p + "beta1", 0, 0.999999), c.doubleBetween(p + "beta2", 0, 0.999999999),
        c.positive(p + "epsilon"), c.positive(p + "tolerance"), c.intBetween(p + "max-iterations", 1, 10_000_000),
        c.intBetween(p + "start-rank", 0, Limits.MAX_ANTENNAS));
  }

  private static NewtonSchulz.Params newtonSchulz(ConfigReader c) {
    String p = "refine.newton-schulz.";
    return new NewtonSchulz.Params(c.positive(p + "tolerance"), c.intBetween(p + "max-iterations", 1, 100_000));
  }

  private static MixedPrecision.Params mixedPrecision(ConfigReader c) {
    String p = "refine.mixed-precision.";
    MixedPrecision.Mode mode = c.choice(p + "mode", MixedPrecision.Mode.class);
    ConfigValue tol = c.value(p + "tolerance");
    double tolerance;
    if (tol.valueType() == ConfigValueType.NUMBER) {
      tolerance = c.positive(p + "tolerance");
    } else if ("auto".equals(tol.unwrapped())) {
      tolerance = Double.NaN;
    } else {
      throw new SettingsException(p + "tolerance: '" + tol.unwrapped() + "' is not allowed; allowed: auto or a positive"
          + " number");
    }
    return new MixedPrecision.Params(mode, tolerance, c.intBetween(p + "max-iterations", 1, 1000));
  }

  private static CovarianceAscent.Params covarianceAscent(ConfigReader c) {
    String p = "refine.covariance-ascent.";
    return new CovarianceAscent.Params(c.doubleBetween(p + "snr-db", -100, 100), c.positive(p + "tolerance"),
        c.intBetween(p + "max-iterations", 1, 10_000_000));
  }
}
