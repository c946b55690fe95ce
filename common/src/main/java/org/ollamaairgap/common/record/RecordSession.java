package org.ollamaairgap.common.record;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.verify.BlobCheck;
import org.ollamaairgap.common.verify.BlobShortcut;

/**
 * One check with a record: asks {@link RecordPolicy} about each blob before it is read, says so in
 * the log, and collects what the next record holds: the blobs hashed now, with the stamps seen
 * before and after the read, and the accepted ones with the time they were really hashed. Blobs a
 * trusted inventory describes never come here (they are checked against it), so a record made from
 * whole-file hashes can never stand in for an inventory's verdict.
 */
public final class RecordSession implements BlobShortcut {
  /** Blobs and bytes accepted from the record, and read and hashed, in this check. */
  public record Counts(
      long acceptedBlobs, long acceptedBytes, long hashedBlobs, long hashedBytes) {}

  private final RecordPolicy policy;
  private final RecordCollector collector;
  private final Clock clock;
  private final Consumer<String> log;
  private final LongAdder acceptedBlobs = new LongAdder();
  private final LongAdder acceptedBytes = new LongAdder();
  private final LongAdder hashedBlobs = new LongAdder();
  private final LongAdder hashedBytes = new LongAdder();

  /**
   * @param policy what the record read at start allows
   * @param collector gathers the next record
   * @param clock when each hash starts
   * @param log one line per blob decided by a record (none when there is no record)
   */
  public RecordSession(
      RecordPolicy policy, RecordCollector collector, Clock clock, Consumer<String> log) {
    this.policy = policy;
    this.collector = collector;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public Attempt start(Digest digest, long size, Path file) {
    FileStamp before = stamp(file);
    Decision decision = policy.decide(digest, size, before, null);
    if (policy.hasRecord()) {
      log.accept("blob " + digest + ": " + decision.describe());
    }
    if (decision.accepted()) {
      RecordedBlob recorded = policy.recorded(digest);
      return new Attempt() {
        @Override
        public boolean accepted() {
          return true;
        }

        @Override
        public void done(BlobCheck check) {
          if (check.ok()) {
            acceptedBlobs.increment();
            acceptedBytes.add(size);
            collector.carried(recorded);
          }
        }
      };
    }
    Instant startedAt = clock.instant();
    return check -> {
      if (check.actualDigest() == null) {
        return; // not read: missing, not a file, outside the store, wrong size, unreadable
      }
      hashedBlobs.increment();
      hashedBytes.add(size);
      if (check.ok()) {
        collector.hashed(digest, before, stamp(file), startedAt, null);
      }
    };
  }

  public Counts counts() {
    return new Counts(
        acceptedBlobs.sum(), acceptedBytes.sum(), hashedBlobs.sum(), hashedBytes.sum());
  }

  /** The record to write after a clean check. */
  public VerificationRecord next() {
    return collector.build();
  }

  private static FileStamp stamp(Path file) {
    try {
      return FileStamp.read(file);
    } catch (IOException e) {
      return null; // no stamp: hashed, and not recorded
    }
  }
}
