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
    write(new LockRecord(owner, "node-9", 9, "t", old.toString(), old.toString()));
  }

  @Override
  Optional<String> storedHolder() throws Exception {
    return Files.exists(file()) ? Optional.of(record().owner()) : Optional.empty();
  }

  @Override
  void takeOverBehindItsBack(String owner) throws Exception {
    String now = Instant.now().toString();
    write(new LockRecord(owner, "node-2", 7, "other", now, now));
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

  private LockRecord record() throws Exception {
    return json.readValue(file().toFile(), LockRecord.class);
  }

  private void write(LockRecord record) throws Exception {
    Files.createDirectories(file().getParent());
    Files.write(file(), json.writeValueAsBytes(record));
  }
}
