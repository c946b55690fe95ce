package org.ollamaairgap.stager.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StoreLock} promises, run against each implementation (the lock file, the Lease)
 * on real storage of its kind. The subclasses add what only their medium has (the file's record,
 * the Lease's fields) and their exact messages.
 */
abstract class StoreLockContract {

  /** A lock for this owner that counts a silent holder as dead only after minutes. */
  abstract StoreLock lock(String owner) throws Exception;

  /** A lock for this owner that renews (and notices a takeover) within a second. */
  abstract StoreLock quickLock(String owner) throws Exception;

  /** Leaves the lock held by {@code owner}, silent for an hour: a dead stager. */
  abstract void seedDeadHolder(String owner) throws Exception;

  /** The owner the lock's storage names now, or empty when it is free. */
  abstract Optional<String> storedHolder() throws Exception;

  /** Another stager takes the lock over behind the holder's back. */
  abstract void takeOverBehindItsBack(String owner) throws Exception;

  /** What changes at each renewal (heartbeat, renew time). */
  abstract String renewalStamp() throws Exception;

  /** How a {@link LockHeldException} names {@code owner}. */
  abstract String holderText(String owner);

  /** Checks the whole message of the failure to take a lock {@code stager-a} holds. */
  abstract void checkHeldMessage(String message, Duration waited);

  /** Why a holder lost its lock to {@code owner}, as {@link StoreLock.Held#lost()} says it. */
  abstract String lostText(String owner);

  /** How many stagers race for a dead holder's lock. */
  int waiters() {
    return 6;
  }

  @Test
  void acquire_free_holdsIt_andCloseFreesIt() throws Exception {
    try (StoreLock.Held held = lock("stager-a").acquire(Duration.ZERO)) {
      assertThat(storedHolder()).hasValue("stager-a");
      assertThat(held.lost()).isEmpty();
    }
    assertThat(storedHolder()).isEmpty();
  }

  @Test
  void acquire_heldByAnother_failsNamingTheHolder_andLeavesItAlone() throws Exception {
    try (StoreLock.Held held = lock("stager-a").acquire(Duration.ZERO)) {
      assertThatThrownBy(() -> lock("stager-b").acquire(Duration.ofMillis(100)))
          .isInstanceOfSatisfying(
              LockHeldException.class,
              e -> {
                assertThat(e.holder()).isEqualTo(holderText("stager-a"));
                checkHeldMessage(e.getMessage(), Duration.ofMillis(100));
              });
      assertThat(storedHolder()).hasValue("stager-a");
      assertThat(held.lost()).isEmpty();
    }
  }

  @Test
  void acquire_afterRelease_succeedsAtOnce() throws Exception {
    lock("stager-a").acquire(Duration.ZERO).close();
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(storedHolder()).hasValue("stager-b");
    }
  }

  @Test
  void acquire_waitsForTheHolderToRelease() throws Exception {
    StoreLock.Held first = lock("stager-a").acquire(Duration.ZERO);
    StoreLock second = lock("stager-b");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<StoreLock.Held> waiting = pool.submit(() -> second.acquire(Duration.ofMinutes(1)));
      first.close();
      try (StoreLock.Held held = waiting.get()) {
        assertThat(held.lost()).isEmpty();
        assertThat(storedHolder()).hasValue("stager-b");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void acquire_deadHolder_isTakenOver() throws Exception {
    seedDeadHolder("dead-pod");
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(storedHolder()).hasValue("stager-b");
      assertThat(held.lost()).isEmpty();
    }
  }

  /** Every waiter sees the same dead holder at once; exactly one may replace it. */
  @Test
  void acquire_manyWaitersOnOneDeadHolder_exactlyOneWins() throws Exception {
    seedDeadHolder("dead-pod");
    int waiters = waiters();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(waiters);
    List<Future<StoreLock.Held>> results = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      StoreLock lock = lock("stager-" + i);
      Callable<StoreLock.Held> task =
          () -> {
            start.await();
            return lock.acquire(Duration.ZERO);
          };
      results.add(pool.submit(task));
    }
    start.countDown();
    List<StoreLock.Held> winners = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    for (Future<StoreLock.Held> result : results) {
      try {
        winners.add(result.get());
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LockHeldException.class);
        holders.add(((LockHeldException) e.getCause()).holder());
      }
    }
    pool.shutdownNow();
    assertThat(winners).hasSize(1);
    String winner = storedHolder().orElseThrow();
    assertThat(winner).isNotEqualTo("dead-pod");
    assertThat(holders).hasSize(waiters - 1).containsOnly(holderText(winner));
    winners.get(0).close();
  }

  @Test
  void held_isRenewedWhileRunning() throws Exception {
    try (StoreLock.Held held = quickLock("stager-a").acquire(Duration.ZERO)) {
      String acquired = renewalStamp();
      Instant until = Instant.now().plusSeconds(30);
      while (renewalStamp().equals(acquired) && Instant.now().isBefore(until)) {
        Thread.sleep(20);
      }
      assertThat(renewalStamp()).isNotEqualTo(acquired);
      assertThat(held.lost()).isEmpty();
      assertThat(storedHolder()).hasValue("stager-a");
    }
  }

  /** A holder that lost its lock says so, and leaves the new holder's lock alone on close. */
  @Test
  void held_takenOverBehindItsBack_reportsItLost() throws Exception {
    StoreLock.Held held = quickLock("stager-a").acquire(Duration.ZERO);
    try {
      takeOverBehindItsBack("stager-b");
      Instant until = Instant.now().plusSeconds(30);
      while (held.lost().isEmpty() && Instant.now().isBefore(until)) {
        Thread.sleep(20);
      }
      assertThat(held.lost()).hasValue(lostText("stager-b"));
    } finally {
      held.close();
    }
    assertThat(storedHolder()).hasValue("stager-b");
  }
}
