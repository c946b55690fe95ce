package org.ollamaairgap.stager.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delays between attempts: exponential from the base with +-50% jitter (so parallel parts do not
 * retry in lock step), capped; a server's {@code Retry-After} wins when it asks for longer.
 */
final class Backoff {
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  Backoff(Duration base, Duration max) {
    this(base, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random a uniform value in [0, 1) per call, for the jitter
   */
  Backoff(Duration base, Duration max, DoubleSupplier random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The wait before attempt {@code attempt + 1}, where {@code attempt >= 1} failed. */
  Duration delay(int attempt, Duration retryAfter) {
    long baseMs = base.toMillis();
    long exp = baseMs << Math.min(attempt - 1, 20);
    long capped = Math.min(exp, max.toMillis());
    double jitter = 0.5 + random.getAsDouble();
    long ms = Math.min(max.toMillis(), (long) (capped * jitter));
    if (retryAfter != null) {
      ms = Math.max(ms, Math.min(retryAfter.toMillis(), max.toMillis()));
    }
    return Duration.ofMillis(Math.max(0, ms));
  }

  /** Parses {@code Retry-After}: seconds or an HTTP date; null when absent or unreadable. */
  static Duration parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
