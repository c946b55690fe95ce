package org.ollamaairgap.app.cli;

import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one raw value against the type its property has in the mapping, and says what is wrong in
 * the operator's words: {@code 'fast' is not one of: full, size}. SmallRye still converts the
 * value; this only words the refusal (and refuses a switch value that is neither true nor false,
 * which SmallRye would read as false).
 */
final class ValueCheck {
  private static final Set<String> TRUE = Set.of("true", "yes", "y", "on", "1");
  private static final Set<String> FALSE = Set.of("false", "no", "n", "off", "0");

  private ValueCheck() {}

  /** What is wrong with {@code raw} for {@code type}, if anything. */
  static Optional<String> problem(
      SmallRyeConfig config, String property, String raw, Class<?> type) {
    for (String value : type == String.class ? List.of(raw) : split(raw)) {
      Optional<String> problem = one(config, property, value.strip(), type);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> one(
      SmallRyeConfig config, String property, String value, Class<?> type) {
    String quoted = "'" + value + "'";
    if (type.isEnum()) {
      List<String> words = new ArrayList<>();
      for (Object constant : type.getEnumConstants()) {
        String word = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (word.equalsIgnoreCase(value.replace('_', '-'))) {
          return Optional.empty();
        }
        words.add(word);
      }
      return Optional.of(quoted + " is not one of: " + String.join(", ", words));
    }
    if (type == boolean.class || type == Boolean.class) {
      String word = value.toLowerCase(Locale.ROOT);
      return TRUE.contains(word) || FALSE.contains(word)
          ? Optional.empty()
          : Optional.of(quoted + " is not true or false");
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      try {
        Long.parseLong(value);
        return Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.of(quoted + " is not a whole number");
      }
    }
    try {
      config.getConverter(type).ifPresent(converter -> converter.convert(value));
      return Optional.empty();
    } catch (RuntimeException e) { // converters throw what they like; all mean "not this type"
      if (type == Duration.class) {
        return Optional.of(quoted + " is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d)");
      }
      if (type.getSimpleName().equals("MemorySize")) {
        return Optional.of(quoted + " is not a size (e.g. 512K, 100M, 2G)");
      }
      String why = Messages.plain(e.getMessage());
      return Optional.of(quoted + " cannot be used" + (why.isEmpty() ? "" : ": " + why));
    }
  }

  private static List<String> split(String raw) {
    List<String> values = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      if (!part.isBlank()) {
        values.add(part);
      }
    }
    return values;
  }
}
