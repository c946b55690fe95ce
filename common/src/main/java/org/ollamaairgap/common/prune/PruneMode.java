package org.ollamaairgap.common.prune;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code --prune}: off, print the plan only, or carry it out. */
public enum PruneMode {
  OFF("off"),
  DRY_RUN("dry-run"),
  ON("on");

  private final String word;

  PruneMode(String word) {
    this.word = word;
  }

  /** The word used on the command line, in the summary and in the chart's values. */
  public String word() {
    return word;
  }

  /**
   * Reads {@code off}, {@code dry-run} or {@code on}; {@code true}/{@code false} too, because a
   * bare {@code --prune} flag and a Helm boolean mean on and off.
   */
  public static PruneMode parse(String text) {
    String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "true":
        return ON;
      case "false":
        return OFF;
      default:
        for (PruneMode mode : values()) {
          if (mode.word.equals(value)) {
            return mode;
          }
        }
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is not one of: "
                + Arrays.stream(values()).map(PruneMode::word).collect(Collectors.joining(", ")));
    }
  }

  @Override
  public String toString() {
    return word;
  }
}
