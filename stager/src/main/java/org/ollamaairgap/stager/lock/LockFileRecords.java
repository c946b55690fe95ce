package org.ollamaairgap.stager.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The lock file's content on disk: created whole and exclusively, read back tolerantly, and its
 * heartbeat replaced atomically. {@link LockFile} decides what to do with what it reads.
 */
final class LockFileRecords {
  private final StoreLayout layout;
  private final Path file;
  private final Identity me;
  private final ObjectMapper json = new ObjectMapper();

  LockFileRecords(StoreLayout layout, Identity me) {
    this.layout = layout;
    this.file = layout.lockFile();
    this.me = me;
  }

  /**
   * Creates the lock file exclusively, with its whole content at once; false when it exists. The
   * record is written to a private temp file first and then hard-linked into place: {@code link} is
   * atomic and fails if the name exists, also on NFS, so no waiter ever reads a lock file that is
   * still being written. Filesystems without hard links fall back to an exclusive create.
   */
  boolean create(byte[] content) throws IOException {
    Path temp = layout.lockCandidate(UUID.randomUUID().toString());
    try {
      writeSynced(temp, content, StandardOpenOption.CREATE_NEW);
      try {
        Files.createLink(file, temp);
        return true;
      } catch (UnsupportedOperationException e) {
        return createDirectly(content);
      }
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private boolean createDirectly(byte[] content) throws IOException {
    try {
      writeSynced(file, content, StandardOpenOption.CREATE_NEW);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  private static void writeSynced(Path path, byte[] content, StandardOpenOption create)
      throws IOException {
    try (FileChannel channel = FileChannel.open(path, create, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  byte[] record(String token, Instant acquired, Instant heartbeat) throws IOException {
    return json.writeValueAsBytes(
        new LockRecord(
            me.owner(),
            me.host(),
            me.pid(),
            token,
            acquired.toString(),
            heartbeat.toString(),
            me.bootId(),
            me.pidNamespace()));
  }

  /**
   * The lock file as it is now, or null when there is none. A file that is empty or not our JSON
   * (being written this instant, or damaged) counts with its modification time as heartbeat.
   */
  Seen read() throws IOException {
    byte[] raw;
    Instant modified;
    try {
      raw = Files.readAllBytes(file);
      modified = Files.getLastModifiedTime(file).toInstant();
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      LockRecord record = json.readValue(raw, LockRecord.class);
      return new Seen(raw, record, Instant.parse(record.heartbeat()));
    } catch (IOException | DateTimeParseException | NullPointerException e) {
      return new Seen(raw, null, modified);
    }
  }

  /**
   * Rewrites the heartbeat: a temp file renamed over the lock, so a reader never sees half a
   * record.
   */
  void replace(String token, byte[] content) throws IOException {
    Path temp = layout.lockHeartbeatTemp(token);
    Files.write(temp, content);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes a heartbeat temp file a failed renewal may have left. */
  void clean(String token) throws IOException {
    Files.deleteIfExists(layout.lockHeartbeatTemp(token));
  }

  /** One reading of the lock file. */
  record Seen(byte[] raw, LockRecord record, Instant heartbeat) {
    String holder() {
      return record == null ? "an unreadable lock file" : record.describe();
    }

    String token() {
      return record == null ? null : record.token();
    }
  }
}
