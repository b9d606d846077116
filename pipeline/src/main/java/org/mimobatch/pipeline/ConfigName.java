package org.mimobatch.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants configuration files, command lines and datasets spell in lower case with
 * '-' for '_' (TDL_A is tdl-a). Parsing and the list of allowed names are derived from the enum, so
 * a new constant is accepted, and named in every error, everywhere at once.
 */
public interface ConfigName {
  /** The constant's own name ({@link Enum#name()}). */
  String name();

  /** How configuration spells this constant. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant of {@code type} spelled {@code name}; an IllegalArgumentException names the allowed ones. */
  static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String name) {
    for (E e : type.getEnumConstants()) {
      if (e.configName().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not allowed; allowed: " + allowed(type));
  }

  /** Every constant of {@code type} as configuration spells it, comma-separated, in declared order. */
  static <E extends Enum<E> & ConfigName> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).collect(Collectors.joining(", "));
  }
}
