package org.ollamaairgap.stager.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;

class LockFileTest {
  private static final Duration STALE = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path store;

  private final ObjectMapper json = new ObjectMapper();

  private LockFile lock(String owner) {
    return new LockFile(
        new StoreLayout(store), new Identity(owner, "node-1", 42), STALE, POLL, Clock.systemUTC());
  }

  @Test
  void acquire_freeStore_writesOwnerHostPidAndHeartbeat_andCloseRemovesIt() throws Exception {
    LockFile lock = lock("stager-a");
    Path file = new StoreLayout(store).lockFile();
    try (StoreLock.Held held = lock.acquire(Duration.ZERO)) {
      assertThat(lock.path()).isEqualTo(file);
      LockRecord record = json.readValue(file.toFile(), LockRecord.class);
      assertThat(record.owner()).isEqualTo("stager-a");
      assertThat(record.host()).isEqualTo("node-1");
      assertThat(record.pid()).isEqualTo(42);
      assertThat(record.token()).isNotBlank();
      assertThat(Instant.parse(record.heartbeat())).isNotNull();
      assertThat(held.lost()).isEmpty();
    }
    assertThat(file).doesNotExist();
    assertThat(store.resolve("blobs")).doesNotExist();
    assertThat(store.resolve("manifests")).doesNotExist();
  }

  @Test
  void acquire_heldByAnother_failsNamingTheHolder() throws Exception {
    try (StoreLock.Held held = lock("stager-a").acquire(Duration.ZERO)) {
      assertThatThrownBy(() -> lock("stager-b").acquire(Duration.ofMillis(100)))
          .isInstanceOfSatisfying(
              LockHeldException.class,
              e -> assertThat(e.holder()).isEqualTo("stager-a (host node-1, pid 42)"))
          .hasMessageStartingWith(
              "another stager is writing this store: "
                  + new StoreLayout(store).lockFile()
                  + " is held by stager-a (host node-1, pid 42), last heartbeat ")
          .hasMessageContaining("waited PT0.1S (--lock-wait)")
          .hasMessageEndingWith(
              "if it is dead, the lock counts as stale PT2M after its last heartbeat"
                  + " (--lock-stale-after) and the next run takes it over.");
    }
  }

  @Test
  void acquire_afterRelease_succeeds() throws Exception {
    lock("stager-a").acquire(Duration.ZERO).close();
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(json.readValue(lock("x").path().toFile(), LockRecord.class).owner())
          .isEqualTo("stager-b");
    }
  }

  @Test
  void acquire_waitsForTheHolderToRelease() throws Exception {
    StoreLock.Held first = lock("stager-a").acquire(Duration.ZERO);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<StoreLock.Held> second =
          pool.submit(() -> lock("stager-b").acquire(Duration.ofMinutes(1)));
      first.close();
      try (StoreLock.Held held = second.get()) {
        assertThat(held.lost()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void acquire_staleLock_isTakenOver() throws Exception {
    writeStale("dead-pod");
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(json.readValue(lock("x").path().toFile(), LockRecord.class).owner())
          .isEqualTo("stager-b");
    }
  }

  @Test
  void acquire_unreadableOldLockFile_isTakenOverByItsAge() throws Exception {
    Path file = lock("x").path();
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(held.lost()).isEmpty();
    }
  }

  /** Every waiter sees the same stale lock at once; the takeover file lets exactly one win. */
  @Test
  void acquire_manyWaitersOnOneStaleLock_exactlyOneWins() throws Exception {
    writeStale("dead-pod");
    int waiters = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(waiters);
    List<Future<StoreLock.Held>> results = new ArrayList<>();
    for (int i = 0; i < waiters; i++) {
      LockFile lock = lock("stager-" + i);
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
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(LockHeldException.class);
        holders.add(((LockHeldException) e.getCause()).holder());
      }
    }
    pool.shutdownNow();
    assertThat(winners).hasSize(1);
    String winner = json.readValue(lock("x").path().toFile(), LockRecord.class).describe();
    assertThat(holders).hasSize(waiters - 1).allMatch(winner::equals);
    assertThat(winner).doesNotContain("dead-pod");
    winners.get(0).close();
  }

  @Test
  void held_lockReplacedBySomeoneElse_reportsItLost() throws Exception {
    LockFile lock =
        new LockFile(
            new StoreLayout(store),
            new Identity("stager-a", "node-1", 42),
            Duration.ofMillis(400),
            POLL,
            Clock.systemUTC());
    try (StoreLock.Held held = lock.acquire(Duration.ZERO)) {
      LockRecord other =
          new LockRecord(
              "stager-b", "node-2", 7, "other", Instant.now().toString(), Instant.now().toString());
      Files.write(lock.path(), json.writeValueAsBytes(other));
      Instant until = Instant.now().plusSeconds(30);
      while (held.lost().isEmpty() && Instant.now().isBefore(until)) {
        Thread.sleep(20);
      }
      assertThat(held.lost())
          .hasValue(
              "the lock file "
                  + lock.path()
                  + " now belongs to stager-b (host node-2, pid 7) (our heartbeat was presumably"
                  + " late by more than PT0.4S)");
    }
    assertThat(lock.path()).exists(); // someone else's lock is left alone
  }

  private void writeStale(String owner) throws Exception {
    Path file = lock("x").path();
    Files.createDirectories(file.getParent());
    Instant old = Instant.now().minus(Duration.ofHours(1));
    Files.write(
        file,
        json.writeValueAsBytes(
            new LockRecord(owner, "node-9", 9, "t", old.toString(), old.toString())));
  }
}
