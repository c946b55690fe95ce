package org.ollamaairgap.stager.lock;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The lock outside a cluster: {@code <store>/.ollama-airgap/lock}, a small JSON file (owner, host,
 * pid, heartbeat) created with {@code O_CREAT|O_EXCL}, which NFSv3 and v4 perform atomically on the
 * server, so exactly one of two racing stagers creates it. {@code flock}/{@code fcntl} locks are
 * not used: on NFS they go through a separate lock manager (NLM for v3) that is often not running
 * or not reachable across the staging and production networks, and a lock that silently did not
 * lock is worse than none.
 *
 * <p>The holder rewrites the heartbeat every quarter of {@code staleAfter}. A waiter treats the
 * lock as stale when its heartbeat is older than {@code staleAfter} by the waiter's clock, or has
 * not changed for {@code staleAfter} while the waiter watched (which copes with clock skew between
 * hosts). Taking over a stale lock happens under a second, short-lived file, {@code lock.takeover},
 * also created exclusively: of several waiters that all see the same stale lock, only the one
 * holding {@code lock.takeover} re-reads, deletes and re-creates it; the others then see a fresh
 * lock and keep waiting.
 *
 * <p>A holder that is provably dead is taken over at once, without waiting for {@code staleAfter}:
 * one that ran on this host, in this boot and PID namespace (all recorded in the file), whose
 * process no longer exists. That is the common case of a stager killed on a developer machine or a
 * node, and waiting two minutes for it helps nobody.
 */
public final class LockFile implements StoreLock {
  private static final Logger LOG = Logger.getLogger(LockFile.class);
  private static final Duration LOG_EVERY = Duration.ofSeconds(30);
  private static final Duration BUSY_TAKEOVER_PAUSE = Duration.ofMillis(10);
  private static final int MAX_BUSY_TAKEOVERS = 100;

  private final StoreLayout layout;
  private final Path file;
  private final Path takeover;
  private final Identity me;
  private final Duration staleAfter;
  private final Duration poll;
  private final Clock clock;
  private final LockFileRecords records;

  /**
   * @param staleAfter a holder silent this long is presumed dead
   * @param poll how often a waiter looks again
   */
  public LockFile(
      StoreLayout layout, Identity me, Duration staleAfter, Duration poll, Clock clock) {
    this.layout = layout;
    this.file = layout.lockFile();
    this.takeover = layout.lockTakeover();
    this.records = new LockFileRecords(layout, me);
    this.me = me;
    this.staleAfter = staleAfter;
    this.poll = poll;
    this.clock = clock;
  }

  /** Where the lock file lives. */
  public Path path() {
    return file;
  }

  @Override
  public String describe() {
    return "lock file " + file;
  }

  @Override
  public Held acquire(Duration wait) throws LockHeldException, LockException {
    Instant deadline = clock.instant().plus(wait);
    String token = UUID.randomUUID().toString();
    Watch watch = new Watch();
    Instant lastLog = null;
    int busyTakeovers = 0;
    try {
      Files.createDirectories(layout.workDir());
      while (true) {
        Instant now = clock.instant();
        if (records.create(records.record(token, now, now))) {
          LOG.infof("took the store lock %s as %s", file, me.describe());
          return new FileHeld(token, now);
        }
        LockFileRecords.Seen seen = records.read();
        if (seen == null) {
          continue; // released between our create and read: try again at once
        }
        watch.observe(seen, now);
        if (stale(seen, watch, now)) {
          if (takeOver(seen)) {
            continue;
          }
          // Another waiter is replacing the stale lock this instant: look again shortly, even at
          // the deadline, so that a failure names the new holder rather than the dead one.
          if (busyTakeovers++ < MAX_BUSY_TAKEOVERS) {
            sleep(BUSY_TAKEOVER_PAUSE);
            continue;
          }
        }
        if (!now.isBefore(deadline)) {
          throw held(seen, wait);
        }
        if (lastLog == null || !now.isBefore(lastLog.plus(LOG_EVERY))) {
          lastLog = now;
          LOG.warnf(
              "the store is locked by %s, heartbeat %s ago (%s); waiting up to %s more",
              seen.holder(), age(seen, now), file, Duration.between(now, deadline).withNanos(0));
        }
        sleep(
            Duration.between(now, deadline).compareTo(poll) < 0
                ? Duration.between(now, deadline)
                : poll);
      }
    } catch (IOException e) {
      throw new LockException(
          "cannot create the store lock "
              + file
              + ": "
              + e
              + "; the store must be writable for the stager's user",
          e);
    }
  }

  private LockHeldException held(LockFileRecords.Seen seen, Duration wait) {
    return new LockHeldException(
        seen.holder(),
        "another stager is writing this store: "
            + file
            + " is held by "
            + seen.holder()
            + ", last heartbeat "
            + age(seen, clock.instant())
            + " ago; waited "
            + wait
            + " (--lock-wait). Let it finish; if it is dead, the lock counts as stale "
            + staleAfter
            + " after its last heartbeat (--lock-stale-after) and the next run takes it over.");
  }

  private String age(LockFileRecords.Seen seen, Instant now) {
    return Duration.between(seen.heartbeat(), now).withNanos(0).toString();
  }

  private static void sleep(Duration duration) throws LockException {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockException("interrupted while waiting for the store lock", e);
    }
  }

  private boolean stale(LockFileRecords.Seen seen, Watch watch, Instant now) {
    boolean old = seen.heartbeat().plus(staleAfter).isBefore(now);
    boolean unchanged = watch.since != null && watch.since.plus(staleAfter).isBefore(now);
    return old || unchanged || dead(seen);
  }

  /** The holder ran here, in this boot and PID namespace, and its process is gone. */
  private boolean dead(LockFileRecords.Seen seen) {
    LockRecord r = seen.record();
    return r != null && me.outlived(r.host(), r.bootId(), r.pidNamespace(), r.pid());
  }

  /**
   * Replaces the stale lock {@code seen} by ours, under {@code lock.takeover}. Returns true when
   * the stale lock is gone (ours or someone's new one may now be there), false when another waiter
   * is taking over right now.
   */
  private boolean takeOver(LockFileRecords.Seen seen) throws IOException {
    try {
      Files.write(
          takeover,
          me.describe().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      clearAbandonedTakeover();
      return false;
    }
    try {
      LockFileRecords.Seen again = records.read();
      if (again == null || !Arrays.equals(again.raw(), seen.raw())) {
        return again == null; // changed meanwhile: renewed or already replaced
      }
      Files.deleteIfExists(file);
      if (dead(seen)) {
        LOG.warnf(
            "took over the store lock of %s at once: it ran on this host in this boot and its"
                + " process is gone (%s)",
            seen.holder(), file);
      } else {
        LOG.warnf(
            "took over the stale store lock of %s: no heartbeat for more than %s (%s)",
            seen.holder(), staleAfter, file);
      }
      return true;
    } finally {
      Files.deleteIfExists(takeover);
    }
  }

  /** A takeover lasts milliseconds; one older than staleAfter belongs to a crashed process. */
  private void clearAbandonedTakeover() throws IOException {
    try {
      Instant modified = Files.getLastModifiedTime(takeover).toInstant();
      if (modified.plus(staleAfter).isBefore(clock.instant())) {
        LOG.warnf("removing an abandoned %s from %s", takeover, modified);
        Files.deleteIfExists(takeover);
      }
    } catch (NoSuchFileException e) {
      // finished meanwhile
    }
  }

  /** Since when the waiter has seen the same lock content, on its own clock. */
  private static final class Watch {
    byte[] raw;
    Instant since;

    void observe(LockFileRecords.Seen seen, Instant now) {
      if (raw == null || !Arrays.equals(raw, seen.raw())) {
        raw = seen.raw();
        since = now;
      }
    }
  }

  /** Our lock, with its heartbeat thread. */
  private final class FileHeld extends RenewedHold {
    private final String token;
    private final Instant acquired;

    FileHeld(String token, Instant acquired) {
      super("stager-lock-heartbeat");
      this.token = token;
      this.acquired = acquired;
      startRenewing(Duration.ofMillis(Math.max(100, staleAfter.toMillis() / 4)));
    }

    /**
     * Rewrites the heartbeat: a temp file renamed over the lock, so a reader never sees half a
     * record. Only while the file still carries our token; otherwise the lock was taken over.
     */
    @Override
    void renew() {
      try {
        LockFileRecords.Seen seen = records.read();
        if (seen == null || !token.equals(seen.token())) {
          String why =
              seen == null
                  ? "the lock file " + file + " disappeared"
                  : "the lock file " + file + " now belongs to " + seen.holder();
          lose(why + " (our heartbeat was presumably late by more than " + staleAfter + ")");
          return;
        }
        records.replace(token, records.record(token, acquired, clock.instant()));
      } catch (IOException | RuntimeException e) {
        // NFS may be briefly away; the lock only goes stale after staleAfter, so keep trying.
        LOG.warnf("could not renew the store lock %s: %s", file, e);
      }
    }

    @Override
    void release() {
      try {
        LockFileRecords.Seen seen = records.read();
        if (seen != null && token.equals(seen.token())) {
          Files.delete(file);
          LOG.infof("released the store lock %s", file);
        }
        records.clean(token);
      } catch (IOException e) {
        LOG.warnf(
            "could not remove the store lock %s (%s); the next run takes it over once it is stale",
            file, e);
      }
    }
  }
}
