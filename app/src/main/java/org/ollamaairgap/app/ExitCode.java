package org.ollamaairgap.app;

import java.util.Locale;

/**
 * How a run of either program ends, as the process exit code and the word the JSON summary and
 * report carry ({@code "outcome": "usage"}). The contract of both programs (DESIGN §3).
 */
public enum ExitCode {
  /** Everything staged or verified; warnings allowed. */
  OK(0),
  /** A model failed to stage or verify. */
  FAILED(1),
  /** Bad usage or configuration; nothing was touched. */
  USAGE(2),
  /** The environment: store missing or not writable, out of space, lock held, port taken. */
  ENVIRONMENT(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process exit code. */
  public int code() {
    return code;
  }

  /** The outcome word: {@code ok}, {@code failed}, {@code usage}, {@code environment}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two outcomes: a report that cannot be written turns OK into ENVIRONMENT. */
  public ExitCode or(ExitCode other) {
    return this == OK ? other : this;
  }

  /** The exit code for a process status; anything unknown counts as an environment problem. */
  public static ExitCode of(int code) {
    for (ExitCode exit : values()) {
      if (exit.code == code) {
        return exit;
      }
    }
    return ENVIRONMENT;
  }
}
