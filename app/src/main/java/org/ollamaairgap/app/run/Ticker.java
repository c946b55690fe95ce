package org.ollamaairgap.app.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at a fixed interval on a daemon thread until closed. {@link #close} returns only
 * after a run in flight has finished, so nothing the task prints can come after what the caller
 * prints next (the stager's JSON summary must be the last line of stdout; the verifier's verdict
 * the last line of its log).
 */
public final class Ticker implements AutoCloseable {
  /** A bound on waiting for a tick in flight; a tick takes milliseconds, this only stops a hang. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final ScheduledExecutorService executor;
  private final ScheduledFuture<?> ticks;

  private Ticker(ScheduledExecutorService executor, ScheduledFuture<?> ticks) {
    this.executor = executor;
    this.ticks = ticks;
  }

  /** Starts running {@code task} every {@code interval}, the first time after one interval. */
  public static Ticker every(Duration interval, String threadName, Runnable task) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
    long millis = Math.max(1, interval.toMillis());
    return new Ticker(
        executor, executor.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS));
  }

  /** Stops the ticks and waits for one in flight to finish. */
  @Override
  public void close() {
    // cancel(false) and shutdown() let a run in flight finish; shutdownNow() would interrupt it
    // mid-line and return at once, and the line could then come after the summary.
    ticks.cancel(false);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
