package org.ollamaairgap.common.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ollamaairgap.common.model.Digest;

/**
 * Collects, during a check, the blobs the next record will hold. Thread-safe: blobs are checked in
 * parallel.
 *
 * <p>Two kinds of blob are left out, because their stamp may not describe what was hashed: one
 * whose metadata changed while it was read, and one changed less than {@code settle} before the
 * hash started. The second is the "racy" case: timestamps have a granularity (a kernel tick, a
 * second on some NFS servers), so a second write within the same tick as the one before it, during
 * or after the hash, would leave mtime and ctime unchanged; {@code settle} must exceed that
 * granularity plus any skew between the NFS server's clock and ours. Such a blob is simply hashed
 * again next time.
 */
public final class RecordCollector {
  /** Settle time of the apps: above any timestamp granularity and an NTP-synced clock's skew. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(10);

  /** What became of a checked blob. */
  public enum Outcome {
    RECORDED,
    /** Its metadata changed between the first and the last byte. */
    CHANGED_WHILE_READ,
    /** Changed less than the settle time before the hash started. */
    TOO_RECENT
  }

  private final StoreIdentity store;
  private final Clock clock;
  private final long settleNanos;
  private final Map<Digest, RecordedBlob> blobs = new HashMap<>();

  public RecordCollector(StoreIdentity store, Clock clock, Duration settle) {
    if (settle.isNegative()) {
      throw new IllegalArgumentException("settle must not be negative: " + settle);
    }
    this.store = store;
    this.clock = clock;
    this.settleNanos = settle.toNanos();
  }

  /**
   * A blob was checked and found intact.
   *
   * @param digest its digest
   * @param before its stamp read before the first byte
   * @param after its stamp read after the last byte
   * @param startedAt when reading started
   * @param inventory the trusted inventory whose chunk digests it matched, or null when the whole
   *     file's SHA-256 matched {@code digest}
   */
  public Outcome hashed(
      Digest digest, FileStamp before, FileStamp after, Instant startedAt, Digest inventory) {
    if (before == null || !before.equals(after)) {
      return Outcome.CHANGED_WHILE_READ;
    }
    long started = TimeUnit.SECONDS.toNanos(startedAt.getEpochSecond()) + startedAt.getNano();
    if (Math.max(before.ctimeNanos(), before.mtimeNanos()) > started - settleNanos) {
      return Outcome.TOO_RECENT;
    }
    put(new RecordedBlob(digest, before, startedAt, inventory));
    return Outcome.RECORDED;
  }

  /** A blob accepted from the record: it keeps the time it was really hashed. */
  public void carried(RecordedBlob previous) {
    put(previous);
  }

  private synchronized void put(RecordedBlob blob) {
    blobs.put(blob.digest(), blob);
  }

  public synchronized int size() {
    return blobs.size();
  }

  /** The record to write, stamped now. */
  public synchronized VerificationRecord build() {
    return new VerificationRecord(store, clock.instant(), blobs);
  }
}
