package org.mimobatch.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  static RefineSpec read(Config c) {
    List<RefineMethod> methods = new ArrayList<>();
    for (String name : strings(c, "refine.methods")) {
      RefineMethod m;
      try {
        m = RefineMethod.fromConfigName(name);
      } catch (IllegalArgumentException e) {
        throw new SettingsException("refine.methods: '" + name + "' is not allowed; allowed: " + RefineMethod.allowed());
      }
      if (methods.contains(m)) {
        throw new SettingsException("refine.methods: '" + name + "' is listed twice");
      }
      methods.add(m);
    }
    int historySample = integer(c, "refine.history-sample", 0, 100_000);
    return new RefineSpec(methods, historySample, gdInverse(c), adamMatch(c), newtonSchulz(c), mixedPrecision(c),
        covarianceAscent(c));
  }

  private static GdInverse.Params gdInverse(Config c) {
    String p = "refine.gd-inverse.";
    GdInverse.Variant variant = choice(c, p + "variant", GdInverse.Variant.class);
    GdInverse.Init init = choice(c, p + "init", GdInverse.Init.class);
    double momentum = number(c, p + "momentum", 0, 0.999999);
    ConfigValue lr = c.getValue(p + "lr");
    GdInverse.Step step;
    double rate = 0;
    if (lr.valueType() == ConfigValueType.NUMBER) {
      step = GdInverse.Step.FIXED;
      rate = number(c, p + "lr", 0, Double.MAX_VALUE);
      if (rate <= 0) {
        throw new SettingsException(p + "lr: must be positive, or optimal, auto or text");
      }
    } else {
      String word = String.valueOf(lr.unwrapped());
      step = switch (word) {
        case "auto" -> GdInverse.Step.AUTO;
        case "optimal", "text" -> word.equals("text") ? GdInverse.Step.FIXED : GdInverse.Step.OPTIMAL;
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
    return new GdInverse.Params(variant, init, step, rate, momentum, positive(c, p + "tolerance"),
        integer(c, p + "max-iterations", 1, 10_000_000));
  }

  private static AdamMatch.Params adamMatch(Config c) {
    String p = "refine.adam-match.";
    return new AdamMatch.Params(choice(c, p + "target", AdamMatch.Target.class),
        choice(c, p + "optimizer", AdamMatch.Optimizer.class), choice(c, p + "objective", AdamMatch.Objective.class),
        positive(c, p + "lr"), number(c, p + "beta1", 0, 0.999999), number(c, p + "beta2", 0, 0.999999999),
        positive(c, p + "epsilon"), positive(c, p + "tolerance"), integer(c, p + "max-iterations", 1, 10_000_000),
        integer(c, p + "start-rank", 0, Settings.MAX_ANTENNAS));
  }

  private static NewtonSchulz.Params newtonSchulz(Config c) {
    String p = "refine.newton-schulz.";
    return new NewtonSchulz.Params(positive(c, p + "tolerance"), integer(c, p + "max-iterations", 1, 100_000));
  }

  private static MixedPrecision.Params mixedPrecision(Config c) {
    String p = "refine.mixed-precision.";
    MixedPrecision.Mode mode = choice(c, p + "mode", MixedPrecision.Mode.class);
    ConfigValue tol = c.getValue(p + "tolerance");
    double tolerance;
    if (tol.valueType() == ConfigValueType.NUMBER) {
      tolerance = positive(c, p + "tolerance");
    } else if ("auto".equals(tol.unwrapped())) {
      tolerance = Double.NaN;
    } else {
      throw new SettingsException(p + "tolerance: '" + tol.unwrapped() + "' is not allowed; allowed: auto or a positive"
          + " number");
    }
    return new MixedPrecision.Params(mode, tolerance, integer(c, p + "max-iterations", 1, 1000));
  }

  private static CovarianceAscent.Params covarianceAscent(Config c) {
    String p = "refine.covariance-ascent.";
    return new CovarianceAscent.Params(number(c, p + "snr-db", -100, 100), positive(c, p + "tolerance"),
        integer(c, p + "max-iterations", 1, 10_000_000));
  }

  /** An enum constant from its configuration spelling: lower case, '-' for '_'. */
  private static <E extends Enum<E>> E choice(Config c, String key, Class<E> type) {
    String value = string(c, key);
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String spelled = e.name().toLowerCase(Locale.ROOT).replace('_', '-');
      allowed.add(spelled);
      if (spelled.equals(value)) {
        return e;
      }
    }
    throw new SettingsException(key + ": '" + value + "' is not allowed; allowed: " + String.join(", ", allowed));
  }

  private static String string(Config c, String key) {
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a string: " + e.getMessage());
    }
  }

  private static List<String> strings(Config c, String key) {
    try {
      return c.getStringList(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a list of names such as [newton-schulz, gd-inverse]: "
          + e.getMessage());
    }
  }

  private static double number(Config c, String key, double min, double max) {
    double d;
    try {
      d = c.getDouble(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a number: " + e.getMessage());
    }
    if (!(d >= min && d <= max)) {
      throw new SettingsException(key + ": " + d + " is not allowed; expected a number from " + min + " to " + max);
    }
    return d;
  }

  private static double positive(Config c, String key) {
    double d = number(c, key, 0, Double.MAX_VALUE);
    if (d <= 0) {
      throw new SettingsException(key + ": " + d + " is not allowed; expected a positive number");
    }
    return d;
  }

  private static int integer(Config c, String key, int min, int max) {
    double d = number(c, key, min, max);
    if (d != Math.rint(d)) {
      throw new SettingsException(key + ": " + d + " is not allowed; expected an integer from " + min + " to " + max);
    }
    return (int) d;
  }
}
