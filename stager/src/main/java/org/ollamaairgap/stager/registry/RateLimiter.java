package org.ollamaairgap.stager.registry;

import java.util.function.LongSupplier;

/**
 * Caps bytes per second over all threads with a token bucket of one second's worth, so a brief
 * burst is allowed but the average stays at the limit.
 */
final class RateLimiter {
  /** Waits this many nanoseconds. */
  @FunctionalInterface
  interface Pause {
    void nanos(long nanos) throws InterruptedException;
  }

  private final long bytesPerSecond;
  private final LongSupplier clock;
  private final Pause pause;
  private long available;
  private long last;

  RateLimiter(long bytesPerSecond) {
    this(
        bytesPerSecond,
        System::nanoTime,
        nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  /**
   * @param clock {@link System#nanoTime()} or a test's
   * @param pause how to wait
   */
  RateLimiter(long bytesPerSecond, LongSupplier clock, Pause pause) {
    this.bytesPerSecond = bytesPerSecond;
    this.clock = clock;
    this.pause = pause;
    this.last = clock.getAsLong();
  }

  /** Takes {@code n} bytes' worth, waiting as long as that needs. No-op without a limit. */
  void acquire(int n) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      long now = clock.getAsLong();
      available =
          Math.min(bytesPerSecond, available + (now - last) * bytesPerSecond / 1_000_000_000L);
      last = now;
      available -= n;
      waitNanos = available >= 0 ? 0 : -available * 1_000_000_000L / bytesPerSecond;
    }
    if (waitNanos > 0) {
      pause.nanos(waitNanos);
    }
  }
}
