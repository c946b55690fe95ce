package org.ollamaairgap.app.output;

import java.time.Duration;
import java.util.Locale;
import org.ollamaairgap.common.verify.StoreVerifier;

/**
 * Numbers for people, one rule each for both programs: bytes in binary units ({@code 1.5 GiB}),
 * rates ({@code 850.0 MiB/s}), durations as an operator would type them ({@code 4m59s}, never
 * {@code PT4M59S}) and counted nouns ({@code 1 model}, {@code 2 models}).
 */
public final class Formats {
  private Formats() {}

  /** {@code 512 B}, {@code 2.9 KiB}, {@code 1.5 GiB}: the store model's rule. */
  public static String bytes(long bytes) {
    return StoreVerifier.human(bytes);
  }

  /** {@code 850.0 MiB/s}. */
  public static String rate(double bytesPerSecond) {
    return bytes((long) Math.max(0, bytesPerSecond)) + "/s";
  }

  /**
   * {@code 0s}, {@code 250ms}, {@code 4.2s} under a minute, then {@code 4m59s}, {@code 1h02m},
   * {@code 2d03h}: the units the flags take, at most two of them; a negative one with a {@code -}.
   */
  public static String duration(Duration duration) {
    if (duration.isNegative()) {
      return "-" + duration(duration.negated());
    }
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long s = millis / 1000;
    if (s < 60) {
      return millis % 1000 == 0
          ? s + "s"
          : String.format(Locale.ROOT, "%.1fs", Math.floor(millis / 100.0) / 10);
    }
    if (s < 3600) {
      return s % 60 == 0 ? s / 60 + "m" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      long m = (s % 3600) / 60;
      return m == 0 ? s / 3600 + "h" : String.format(Locale.ROOT, "%dh%02dm", s / 3600, m);
    }
    long h = (s % 86_400) / 3600;
    return h == 0 ? s / 86_400 + "d" : String.format(Locale.ROOT, "%dd%02dh", s / 86_400, h);
  }

  /** {@code 1 model}, {@code 2 models}, {@code 0 errors}. */
  public static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : plural(noun));
  }

  private static String plural(String noun) {
    if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh")) {
      return noun + "es";
    }
    return noun + "s";
  }
}
