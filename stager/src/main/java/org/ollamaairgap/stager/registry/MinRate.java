package org.ollamaairgap.stager.registry;

import java.time.Duration;
import org.ollamaairgap.stager.progress.ProgressLog;

/**
 * The minimum-rate rule of one connection, like curl's {@code --speed-limit}/{@code --speed-time}:
 * fewer than {@code rate} bytes per second on average over a whole window counts as a stall. A
 * server that drips a byte a second never trips the read timeout; this catches it. Time spent
 * waiting for the run's own bandwidth limit does not count.
 */
final class MinRate {
  private final long bytesPerSecond;
  private final long windowNanos;
  private final Duration window;
  private long windowStart;
  private long bytes;

  /**
   * @param bytesPerSecond the minimum; 0 turns the rule off
   * @param startNanos {@link System#nanoTime()} when the connection started
   */
  MinRate(long bytesPerSecond, Duration window, long startNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.window = window;
    this.windowNanos = window.toNanos();
    this.windowStart = startNanos;
  }

  /** Waiting for our own bandwidth limit: the window moves on by that long. */
  void paused(long nanos) {
    windowStart += nanos;
  }

  /**
   * Counts {@code n} bytes received at {@code nowNanos}; once a window is full, checks its average.
   *
   * @throws TooSlowException when the window's average was below the minimum
   */
  void received(long n, long nowNanos) throws TooSlowException {
    bytes += n;
    long elapsed = nowNanos - windowStart;
    if (bytesPerSecond <= 0 || elapsed < windowNanos) {
      return;
    }
    double seconds = elapsed / 1e9;
    if (bytes < bytesPerSecond * seconds) {
      throw new TooSlowException(
          "slower than the minimum rate: "
              + bytes
              + " bytes in "
              + String.format(java.util.Locale.ROOT, "%.1f", seconds)
              + " s ("
              + ProgressLog.bytes((long) (bytes / seconds))
              + "/s), below --min-rate "
              + ProgressLog.bytes(bytesPerSecond)
              + "/s over --min-rate-window "
              + (window.toMillis() % 1000 == 0
                  ? window.toSeconds() + "s"
                  : window.toMillis() + "ms")
              + " (STAGER_MIN_RATE, STAGER_MIN_RATE_WINDOW)");
    }
    windowStart = nowNanos;
    bytes = 0;
  }

  /** A transfer below the minimum rate: retried like a stall, and progress does not excuse it. */
  static final class TooSlowException extends TransientException {
    private static final long serialVersionUID = 1L;

    TooSlowException(String message) {
      super(message, null, true, null);
    }
  }
}
