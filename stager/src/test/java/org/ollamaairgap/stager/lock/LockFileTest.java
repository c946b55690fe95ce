package org.ollamaairgap.stager.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;

/** The lock file against the contract, on a real directory, plus what only a file has. */
class LockFileTest extends StoreLockContract {
  private static final Duration STALE = Duration.ofMinutes(2);
  private static final Duration QUICK = Duration.ofMillis(400);
  private static final Duration POLL = Duration.ofMillis(20);

  @TempDir Path store;

  private final ObjectMapper json = new ObjectMapper();

  private LockFile lock(String owner, Duration staleAfter) {
    return new LockFile(
        new StoreLayout(store),
        new Identity(owner, "node-1", 42),
        staleAfter,
        POLL,
        Clock.systemUTC());
  }

  private Path file() {
    return new StoreLayout(store).lockFile();
  }

  @Override
  LockFile lock(String owner) {
    return lock(owner, STALE);
  }

  @Override
  StoreLock quickLock(String owner) {
    return lock(owner, QUICK);
  }

  @Override
  void seedDeadHolder(String owner) throws Exception {
    Instant old = Instant.now().minus(Duration.ofHours(1));
    write(new LockRecord(owner, "node-9", 9, "t", old.toString(), old.toString(), null, null));
  }

  @Override
  Optional<String> storedHolder() throws Exception {
    return Files.exists(file()) ? Optional.of(record().owner()) : Optional.empty();
  }

  @Override
  void takeOverBehindItsBack(String owner) throws Exception {
    String now = Instant.now().toString();
    write(new LockRecord(owner, "node-2", 7, "other", now, now, null, null));
  }

  @Override
  String renewalStamp() throws Exception {
    return record().heartbeat();
  }

  @Override
  String holderText(String owner) {
    return owner + " (host node-1, pid 42)";
  }

  @Override
  void checkHeldMessage(String message, Duration waited) {
    assertThat(message)
        .startsWith(
            "another stager is writing this store: "
                + file()
                + " is held by stager-a (host node-1, pid 42), last heartbeat ")
        .contains("waited " + waited + " (--lock-wait)")
        .endsWith(
            "if it is dead, the lock counts as stale PT2M after its last heartbeat"
                + " (--lock-stale-after) and the next run takes it over.");
  }

  @Override
  String lostText(String owner) {
    return "the lock file "
        + file()
        + " now belongs to "
        + owner
        + " (host node-2, pid 7) (our heartbeat was presumably late by more than "
        + QUICK
        + ")";
  }

  @Override
  int waiters() {
    return 8;
  }

  @Test
  void acquire_freeStore_writesOwnerHostPidAndHeartbeat_andCloseRemovesIt() throws Exception {
    LockFile lock = lock("stager-a");
    try (StoreLock.Held held = lock.acquire(Duration.ZERO)) {
      assertThat(lock.path()).isEqualTo(file());
      LockRecord record = record();
      assertThat(record.owner()).isEqualTo("stager-a");
      assertThat(record.host()).isEqualTo("node-1");
      assertThat(record.pid()).isEqualTo(42);
      assertThat(record.token()).isNotBlank();
      assertThat(Instant.parse(record.heartbeat())).isNotNull();
      assertThat(held.lost()).isEmpty();
    }
    assertThat(file()).doesNotExist();
    assertThat(new StoreLayout(store).blobsDir()).doesNotExist();
    assertThat(new StoreLayout(store).manifestsDir()).doesNotExist();
  }

  @Test
  void acquire_unreadableOldLockFile_isTakenOverByItsAge() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "");
    Files.setLastModifiedTime(
        file(), java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(held.lost()).isEmpty();
    }
  }

  /** A process of ours that has exited: its pid provably names no live process. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private LockFile real(String owner) {
    Identity me = Identity.current(java.util.Map.of("HOSTNAME", "node-1"));
    return new LockFile(
        new StoreLayout(store),
        new Identity(owner, me.host(), me.pid(), me.bootId(), me.pidNamespace()),
        STALE,
        POLL,
        Clock.systemUTC());
  }

  private void seedFresh(long pid, String bootId, String pidNamespace) throws Exception {
    String now = Instant.now().toString();
    write(new LockRecord("gone", "node-1", pid, "t", now, now, bootId, pidNamespace));
  }

  @Test
  void acquire_holderOfThisHostBootAndNamespaceIsGone_isTakenOverAtOnce() throws Exception {
    LockFile lock = real("stager-b");
    Identity me = Identity.current(java.util.Map.of("HOSTNAME", "node-1"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        me.bootId() != null && me.pidNamespace() != null, "no /proc here; skipped");
    seedFresh(deadPid(), me.bootId(), me.pidNamespace());

    try (StoreLock.Held held = lock.acquire(Duration.ZERO)) {
      assertThat(record().owner()).isEqualTo("stager-b");
      assertThat(record().bootId()).isEqualTo(me.bootId());
      assertThat(record().pidNamespace()).isEqualTo(me.pidNamespace());
    }
  }

  @Test
  void acquire_freshHolderThatMayBeAlive_isNotTakenOver() throws Exception {
    LockFile lock = real("stager-b");
    Identity me = Identity.current(java.util.Map.of("HOSTNAME", "node-1"));
    long dead = deadPid();
    // Each differs in one thing from "provably dead": another boot, another PID namespace (a
    // container with the same host name), no boot id recorded, a live process.
    for (LockRecord seen :
        java.util.List.of(
            record("node-1", dead, "another-boot", me.pidNamespace()),
            record("node-1", dead, me.bootId(), "pid:[1]"),
            record("node-1", dead, null, null),
            record("node-2", dead, me.bootId(), me.pidNamespace()),
            record("node-1", ProcessHandle.current().pid(), me.bootId(), me.pidNamespace()))) {
      write(seen);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> lock.acquire(Duration.ZERO))
          .as(seen.toString())
          .isInstanceOf(LockHeldException.class);
      assertThat(record().owner()).isEqualTo("alive?");
    }
  }

  private static LockRecord record(String host, long pid, String bootId, String pidNamespace) {
    String now = Instant.now().toString();
    return new LockRecord("alive?", host, pid, "t", now, now, bootId, pidNamespace);
  }

  private LockRecord record() throws Exception {
    return json.readValue(file().toFile(), LockRecord.class);
  }

  private void write(LockRecord record) throws Exception {
    Files.createDirectories(file().getParent());
    Files.write(file(), json.writeValueAsBytes(record));
  }
}
