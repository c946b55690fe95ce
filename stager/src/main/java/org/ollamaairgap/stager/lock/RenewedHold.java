package org.ollamaairgap.stager.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * A store lock we hold and keep alive from a background thread: what the lock file and the Lease
 * share. Subclasses say how to renew and how to release; this class runs the renewals, records the
 * first loss, and stops renewing before it releases, so a late renewal cannot re-take a lock just
 * given up.
 *
 * <p>A stager stopped by SIGTERM or Ctrl-C (a deleted Job, a developer) releases the lock from a
 * shutdown hook, so the next run does not wait for it to go stale. SIGKILL leaves it behind; then
 * {@link LockFile} takes it over at once when it can prove the holder dead.
 */
abstract class RenewedHold implements StoreLock.Held {
  private static final Logger LOG = Logger.getLogger(RenewedHold.class);

  private final AtomicReference<String> lost = new AtomicReference<>();
  private final ScheduledExecutorService renewal;
  private final Thread onShutdown;
  private boolean closed;

  RenewedHold(String threadName) {
    renewal =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, threadName);
              thread.setDaemon(true);
              return thread;
            });
    onShutdown = new Thread(this::closeOnShutdown, threadName + "-release");
  }

  /** Starts renewing every {@code every}; called once the subclass is fully built. */
  final void startRenewing(Duration every) {
    long millis = every.toMillis();
    renewal.scheduleWithFixedDelay(
        () -> {
          if (lost.get() == null) {
            renew();
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    try {
      Runtime.getRuntime().addShutdownHook(onShutdown);
    } catch (IllegalStateException e) {
      // SIGTERM came while the lock was being taken: give it back now, nobody will later.
      lose("the stager is stopping");
      close();
    }
  }

  private void closeOnShutdown() {
    LOG.info("stopping: releasing the store lock");
    close();
  }

  /** One heartbeat or Lease renewal; called only while the lock has not been lost. */
  abstract void renew();

  /** Gives the lock up if it is still ours; renewal has stopped when this runs. */
  abstract void release();

  /** Records that the lock is no longer ours; only the first reason counts. */
  final void lose(String why) {
    if (lost.compareAndSet(null, why)) {
      LOG.errorf("lost the store lock: %s", why);
    }
  }

  @Override
  public final Optional<String> lost() {
    return Optional.ofNullable(lost.get());
  }

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != onShutdown) {
      try {
        Runtime.getRuntime().removeShutdownHook(onShutdown);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook runs and finds us closed.
      }
    }
    renewal.shutdownNow();
    try {
      renewal.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    release();
  }
}
