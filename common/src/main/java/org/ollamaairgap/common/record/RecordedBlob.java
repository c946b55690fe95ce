package org.ollamaairgap.common.record;

import java.time.Instant;
import java.util.Objects;
import org.ollamaairgap.common.model.Digest;

/**
 * One blob the verifier checked and found intact.
 *
 * @param digest the blob's digest
 * @param stamp the file's metadata, unchanged from before the check to after it
 * @param hashedAt when the check started (the age counts from there, to be conservative)
 * @param inventory the trusted inventory whose chunk digests the content matched, or null when the
 *     SHA-256 of the whole file matched {@code digest}
 */
public record RecordedBlob(Digest digest, FileStamp stamp, Instant hashedAt, Digest inventory) {
  public RecordedBlob {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(stamp, "stamp");
    Objects.requireNonNull(hashedAt, "hashedAt");
  }
}
