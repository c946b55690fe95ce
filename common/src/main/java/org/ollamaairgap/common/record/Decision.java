package org.ollamaairgap.common.record;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a blob may be accepted from the record instead of being hashed, and why.
 *
 * @param reason why; only {@link Reason#ACCEPTED} skips the hash
 * @param age how long ago the blob was hashed, or null when it is not in the record
 * @param detail for people: what changed (e.g. {@code mtime 2026-12-01T10:00:00Z ->
 *     2026-12-02T07:00:00Z})
 */
public record Decision(Reason reason, Duration age, String detail) {
  /** Why a blob is accepted or hashed. */
  public enum Reason {
    /** Metadata unchanged, hashed recently enough. */
    ACCEPTED("accepted from the record"),
    /** No usable record at all (none, unreadable, another store, another version). */
    NO_RECORD("no usable record"),
    /** The record does not hold this digest. */
    NOT_RECORDED("not in the record"),
    /** The file's metadata could not be read, so nothing can be compared. */
    NO_STAMP("metadata unreadable"),
    /** The size differs from the recorded one or from what the manifest or inventory says. */
    SIZE_CHANGED("size changed"),
    /** Another file (a rename over the blob, a copy). */
    INODE_CHANGED("inode changed"),
    /** The blob is on another filesystem than the one recorded (relative to the store root). */
    DEVICE_CHANGED("device changed"),
    /** Written to since it was hashed. */
    MTIME_CHANGED("mtime changed"),
    /** Written to, or its metadata changed, since it was hashed. */
    CTIME_CHANGED("ctime changed"),
    /** Hashed longer ago than {@code --reverify-after}. */
    EXPIRED("hashed too long ago"),
    /** The record says it was hashed in the future: the clock moved, so the age is unknown. */
    HASHED_IN_FUTURE("hashed in the future"),
    /** A trusted inventory describes the blob otherwise than the record. */
    INVENTORY_DISAGREES("the trusted inventory describes it otherwise");

    private final String words;

    Reason(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  public Decision {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  /** True only when the blob need not be hashed. */
  public boolean accepted() {
    return reason == Reason.ACCEPTED;
  }

  /**
   * For the log: {@code accepted from the record: hashed 2h ago}, or {@code hashed: mtime changed
   * (...)}.
   */
  public String describe() {
    if (accepted()) {
      return reason.words() + ": hashed " + ago(age) + " ago";
    }
    return "hashed: " + reason.words() + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** {@code 45s}, {@code 12m}, {@code 2h}, {@code 3d}: the largest whole unit. */
  static String ago(Duration age) {
    long seconds = age.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86_400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86_400 + "d";
  }
}
