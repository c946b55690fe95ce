package org.ollamaairgap.common.progress;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How staging one model ended, in the summary, the report and the inventory: the JSON word is the
 * lower-case name ({@code done}, {@code failed}, {@code skipped}).
 */
public enum Outcome {
  /** Staged, and every blob of its manifest re-hashed in this run. */
  DONE,
  /** Not staged, or staged but a blob failed its re-hash. */
  FAILED,
  /** Not attempted: the run stopped first. */
  SKIPPED;

  /** The word in JSON and log lines. */
  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
