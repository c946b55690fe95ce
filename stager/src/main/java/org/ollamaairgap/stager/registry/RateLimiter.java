package org.ollamaairgap.stager.registry;

/**
 * Caps bytes per second over all threads with a token bucket of one second's worth, so a brief
 * burst is allowed but the average stays at the limit.
 */
final class RateLimiter {
  private final long bytesPerSecond;
  private long available;
  private long last = System.nanoTime();

  RateLimiter(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Takes {@code n} bytes' worth, waiting as long as that needs. No-op without a limit. */
  void acquire(int n) throws InterruptedException {
    if (bytesPerSecond <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      available =
          Math.min(bytesPerSecond, available + (now - last) * bytesPerSecond / 1_000_000_000L);
      last = now;
      available -= n;
      waitNanos = available >= 0 ? 0 : -available * 1_000_000_000L / bytesPerSecond;
    }
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
