package org.mimobatch.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import org.mimobatch.pipeline.ConfigName;

/**
 * Typed reads of one configuration, each of whose errors names the key and what it allows: the
 * one reader every section of {@link Settings} and a command's own section ({@link CommandSection}) share. Names of
 * enum constants are parsed, and listed in errors, by {@link ConfigName}.
 */
public final class ConfigReader {
  private final Config c;

  ConfigReader(Config c) {
    this.c = c;
  }

  /** The configuration itself, for the sections read as a whole (spark). */
  Config config() {
    return c;
  }

  /** A value of any type, for keys that take a number or a word; null is refused. */
  ConfigValue value(String key) {
    try {
      return c.getValue(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a number or a word: " + e.getMessage());
    }
  }

  public String string(String key) {
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a string: " + e.getMessage());
    }
  }

  public String nonEmptyString(String key) {
    String s = string(key).trim();
    if (s.isEmpty()) {
      throw new SettingsException(key + ": must not be empty");
    }
    return s;
  }

  /** A path or URI that Hadoop reads (a glob too); empty where {@code optional} and not set. */
  public String path(String key, boolean optional) {
    String s = optional ? string(key).trim() : nonEmptyString(key);
    if (!s.isEmpty()) {
      try {
        new org.apache.hadoop.fs.Path(s);
      } catch (IllegalArgumentException e) {
        throw new SettingsException(key + ": '" + s + "' is no path or URI: " + e.getMessage()
            + " (a URI names its scheme, as in hdfs:///data or file:/tmp/x)");
      }
    }
    return s;
  }

  public Number number(String key) {
    try {
      return c.getNumber(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a number: " + e.getMessage());
    }
  }

  public boolean bool(String key) {
    try {
      return c.getBoolean(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected true or false: " + e.getMessage());
    }
  }

  public int intBetween(String key, int min, int max) {
    Number n = number(key);
    double d = n.doubleValue();
    if (d != Math.rint(d) || d < min || d > max) {
      throw new SettingsException(key + ": " + n + " is not allowed; expected an integer from " + min + " to " + max);
    }
    return n.intValue();
  }

  public int intAtLeast(String key, int min) {
    return intBetween(key, min, Integer.MAX_VALUE);
  }

  public double doubleBetween(String key, double min, double max) {
    double d = number(key).doubleValue();
    if (!(d >= min && d <= max)) {
      throw new SettingsException(key + ": " + d + " is not allowed; expected a number from " + min + " to " + max);
    }
    return d;
  }

  public double positive(String key) {
    double d = number(key).doubleValue();
    if (!(d > 0) || Double.isInfinite(d)) {
      throw new SettingsException(key + ": " + d + " is not allowed; expected a positive number");
    }
    return d;
  }

  public List<Double> doubleList(String key) {
    try {
      return c.getDoubleList(key);
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a list of numbers such as [0, 10, 20]: " + e.getMessage());
    }
  }

  /** A list of strings; {@code example} shows one in the error, e.g. "[subcarrier]". */
  public List<String> stringList(String key, String example) {
    try {
      return new ArrayList<>(c.getStringList(key));
    } catch (ConfigException e) {
      throw new SettingsException(key + ": expected a list such as " + example + ": " + e.getMessage());
    }
  }

  /** The constant of {@code type} that the key names. */
  <E extends Enum<E> & ConfigName> E choice(String key, Class<E> type) {
    return parse(key, type, string(key));
  }

  /** The constants of {@code type} that the key lists, in order; {@code distinct}: each at most once. */
  <E extends Enum<E> & ConfigName> List<E> choices(String key, Class<E> type, boolean distinct) {
    List<E> out = new ArrayList<>();
    List<String> names = stringList(key, "[" + type.getEnumConstants()[0].configName() + "]");
    for (String name : names) {
      E e = parse(key, type, name);
      if (distinct && out.contains(e)) {
        throw new SettingsException(key + ": '" + name + "' is listed twice");
      }
      out.add(e);
    }
    return out;
  }

  private static <E extends Enum<E> & ConfigName> E parse(String key, Class<E> type, String name) {
    try {
      return ConfigName.parse(type, name);
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key + ": " + e.getMessage());
    }
  }
}
