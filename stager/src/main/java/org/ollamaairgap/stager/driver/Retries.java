package org.ollamaairgap.stager.driver;

import java.time.Duration;
import org.ollamaairgap.app.output.Formats;

/** How a driver words a retry, so that every retry's log line reads the same. */
public final class Retries {
  private Retries() {}

  /**
   * {@code what; attempt 2 of 7 failed, next in 4s}.
   *
   * @param what what failed and why, e.g. {@code manifest of llama3:8b: connection refused}
   * @param failedAttempt the attempt that just failed, from 1
   * @param retries the retries allowed after the first attempt ({@code --retries})
   * @param wait how long until the next attempt
   */
  public static String note(String what, int failedAttempt, int retries, Duration wait) {
    return what
        + "; attempt "
        + failedAttempt
        + " of "
        + (retries + 1)
        + " failed, next in "
        + Formats.duration(wait);
  }
}
