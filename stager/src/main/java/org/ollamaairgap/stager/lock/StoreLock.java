package org.ollamaairgap.stager.lock;

import java.time.Duration;
import java.util.Optional;

/** Exclusive right to write one store, held by at most one stager at a time. */
public interface StoreLock {

  /**
   * Takes the lock, waiting up to {@code wait} while another stager holds it, and keeps it renewed
   * in the background until {@link Held#close()}.
   *
   * @throws LockHeldException when another stager still holds it after {@code wait}
   * @throws LockException when the lock cannot be taken for another reason (no permission, API
   *     down)
   */
  Held acquire(Duration wait) throws LockHeldException, LockException;

  /** What this lock protects and where it lives, for log lines. */
  String describe();

  /** A taken lock. Closing it stops the renewal and releases it; closing twice is harmless. */
  interface Held extends AutoCloseable {

    /**
     * Why the lock is no longer ours (another stager took it over after we failed to renew it), or
     * empty while it is. Checked between models: a run that lost its lock must stop writing.
     */
    Optional<String> lost();

    @Override
    void close();
  }
}
