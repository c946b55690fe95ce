package org.ollamaairgap.common.pace;

import java.util.function.LongConsumer;

/**
 * A read budget in bytes per second over a pass: after each chunk read, the reader waits until the
 * bytes read since the pass started are no more than the budget allows for the time elapsed. Shared
 * by all hashing threads, so the limit holds for the pass, not per blob.
 *
 * <p>Idle time (while a reader is slower than the budget, or stops) earns at most a tenth of a
 * second's budget plus one chunk of credit, and {@link #startPass} forgets it, so the pause between
 * passes never becomes a burst: the average over a pass stays at the budget.
 */
public final class ReadLimiter {
  /** Credit that idle time may earn: a tenth of a second's budget. */
  private static final long BURST_NANOS = 100_000_000L;

  private static final double NANOS_PER_SECOND = 1e9;

  private final long bytesPerSecond;
  private final NanoClock clock;
  private final long burstNanos;

  /** The time at which everything read so far is paid for. */
  private long paidUntil;

  private boolean started;

  /**
   * @param bytesPerSecond the budget; 0 for no limit
   * @param clock the clock to measure and wait with
   */
  public ReadLimiter(long bytesPerSecond, NanoClock clock) {
    this(bytesPerSecond, clock, BURST_NANOS);
  }

  ReadLimiter(long bytesPerSecond, NanoClock clock, long burstNanos) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "bytesPerSecond must be 0 (no limit) or more, got " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.clock = clock;
    this.burstNanos = burstNanos;
  }

  /** No limit: {@link #acquire} never waits. */
  public static ReadLimiter unlimited() {
    return new ReadLimiter(0, NanoClock.SYSTEM);
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Starts a pass: credit earned before now is forgotten, so the pause between passes does not
   * become a burst at the start of the next.
   */
  public synchronized void startPass() {
    paidUntil = clock.nanoTime();
    started = true;
  }

  /**
   * Accounts for {@code bytes} just read and waits as long as the budget needs.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void acquire(long bytes) throws InterruptedException {
    if (bytesPerSecond == 0 || bytes <= 0) {
      return;
    }
    long wait;
    synchronized (this) {
      long now = clock.nanoTime();
      if (!started) {
        paidUntil = now;
        started = true;
      }
      // The chunk was read since the last call: charge it, then forget credit beyond the burst
      // (a reader slower than the budget is never held, but cannot save up for later either).
      paidUntil =
          Math.max(
              paidUntil + (long) (bytes * NANOS_PER_SECOND / bytesPerSecond), now - burstNanos);
      wait = paidUntil - now;
    }
    if (wait > 0) {
      clock.sleep(wait);
    }
  }

  /**
   * Wraps a progress callback of a hash loop (called with each chunk's length as it is read) so
   * that it first waits for the budget. When interrupted while waiting, it stops waiting and leaves
   * the thread's interrupt flag set for the reader to notice.
   */
  public LongConsumer pacing(LongConsumer progress) {
    if (bytesPerSecond == 0) {
      return progress;
    }
    return bytes -> {
      progress.accept(bytes);
      try {
        acquire(bytes);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }
}
