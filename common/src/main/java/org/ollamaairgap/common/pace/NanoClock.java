package org.ollamaairgap.common.pace;

/** Monotonic time and sleeping, injected so that pacing can be tested without waiting. */
public interface NanoClock {
  /** The system's monotonic clock and {@link Thread#sleep}. */
  NanoClock SYSTEM =
      new NanoClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
      };

  /** Like {@link System#nanoTime()}: only differences mean anything. */
  long nanoTime();

  /** Waits about {@code nanos} nanoseconds. */
  void sleep(long nanos) throws InterruptedException;
}
