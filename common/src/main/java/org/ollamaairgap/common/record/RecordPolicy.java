package org.ollamaairgap.common.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.ollamaairgap.common.model.Digest;

/**
 * Decides, blob by blob, whether the record stands in for hashing: only when the file's metadata is
 * exactly what it was when it was hashed and that hash is younger than {@code --reverify-after}.
 * Everything else is hashed. Pure: the caller reads the stamp and the clock is injected.
 *
 * <p>Devices are compared relative to the store root's: a blob recorded on the root's device must
 * now be on the root's current device (NFS gives each new mount a new device number), and a blob
 * recorded on another device (a separate mount inside the store) must still be on that one.
 *
 * <p>A trusted inventory (pinned or signed) is never overridden: under one, only blobs recorded as
 * matching <em>that</em> inventory's chunk digests are accepted, so the record can only repeat a
 * verdict the same inventory gave, never replace it by a weaker or older one. Without one, only
 * blobs whose whole-file SHA-256 was computed are accepted, never a chunk match that relied on an
 * inventory no longer trusted.
 */
public final class RecordPolicy {
  /** {@code --reverify-after}'s default. */
  public static final Duration DEFAULT_REVERIFY_AFTER = Duration.ofDays(7);

  private final VerificationRecord record;
  private final StoreIdentity current;
  private final Duration reverifyAfter;
  private final Clock clock;

  /**
   * @param record the record read at start, or null when there is none usable
   * @param current the store as it is now
   * @param reverifyAfter a blob hashed longer ago than this is hashed again; zero hashes all
   * @param clock the time now
   */
  public RecordPolicy(
      VerificationRecord record, StoreIdentity current, Duration reverifyAfter, Clock clock) {
    if (reverifyAfter.isNegative()) {
      throw new IllegalArgumentException("reverifyAfter must not be negative: " + reverifyAfter);
    }
    // Defence in depth: the reader already drops a record of another store.
    this.record = record != null && record.store().sameStore(current) ? record : null;
    this.current = Objects.requireNonNull(current, "current");
    this.reverifyAfter = reverifyAfter;
    this.clock = clock;
  }

  /** Whether there is a record to consult at all. */
  public boolean hasRecord() {
    return record != null;
  }

  /**
   * Decides for one blob.
   *
   * @param digest the digest the manifest names
   * @param expectedSize the size the manifest (and the inventory, when trusted) gives
   * @param now the file's stamp, read just now; null when it could not be read
   * @param trustedInventory the digest of the trusted inventory in force, or null for none
   */
  public Decision decide(Digest digest, long expectedSize, FileStamp now, Digest trustedInventory) {
    if (record == null) {
      return hash(Decision.Reason.NO_RECORD, null, "");
    }
    RecordedBlob recorded = record.blob(digest);
    if (recorded == null) {
      return hash(Decision.Reason.NOT_RECORDED, null, "");
    }
    Duration age = Duration.between(recorded.hashedAt(), clock.instant());
    if (!Objects.equals(recorded.inventory(), trustedInventory)) {
      return hash(Decision.Reason.INVENTORY_DISAGREES, age, how(recorded, trustedInventory));
    }
    if (now == null) {
      return hash(Decision.Reason.NO_STAMP, age, "");
    }
    FileStamp then = recorded.stamp();
    if (now.size() != expectedSize || then.size() != expectedSize) {
      return hash(
          Decision.Reason.SIZE_CHANGED,
          age,
          "recorded " + then.size() + ", now " + now.size() + ", expected " + expectedSize);
    }
    if (now.inode() != then.inode()) {
      return hash(Decision.Reason.INODE_CHANGED, age, then.inode() + " -> " + now.inode());
    }
    long device = then.device() == record.store().device() ? current.device() : then.device();
    if (now.device() != device) {
      return hash(
          Decision.Reason.DEVICE_CHANGED, age, "expected " + device + ", now " + now.device());
    }
    if (now.mtimeNanos() != then.mtimeNanos()) {
      return hash(
          Decision.Reason.MTIME_CHANGED,
          age,
          time(then.mtimeNanos()) + " -> " + time(now.mtimeNanos()));
    }
    if (now.ctimeNanos() != then.ctimeNanos()) {
      return hash(
          Decision.Reason.CTIME_CHANGED,
          age,
          time(then.ctimeNanos()) + " -> " + time(now.ctimeNanos()));
    }
    if (age.isNegative()) {
      return hash(Decision.Reason.HASHED_IN_FUTURE, age, "recorded " + recorded.hashedAt());
    }
    if (age.compareTo(reverifyAfter) >= 0) {
      return hash(
          Decision.Reason.EXPIRED,
          age,
          Decision.ago(age)
              + " ago, --reverify-after / VERIFIER_REVERIFY_AFTER is "
              + reverifyAfter);
    }
    return new Decision(Decision.Reason.ACCEPTED, age, "");
  }

  /** The recorded blob, to carry into the next record when it was accepted. */
  public RecordedBlob recorded(Digest digest) {
    return record == null ? null : record.blob(digest);
  }

  private static String how(RecordedBlob recorded, Digest trusted) {
    String then =
        recorded.inventory() == null
            ? "recorded from a whole-file hash"
            : "recorded against inventory " + recorded.inventory().shortHex();
    String now =
        trusted == null
            ? "no inventory is trusted now"
            : "inventory " + trusted.shortHex() + " is trusted now";
    return then + ", " + now;
  }

  private static String time(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).toString();
  }

  private static Decision hash(Decision.Reason reason, Duration age, String detail) {
    return new Decision(reason, age, detail);
  }
}
