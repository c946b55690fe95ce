package org.ollamaairgap.common.record;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ollamaairgap.common.model.Digest;

/**
 * What the verifier recorded after a clean full check: per blob, its digest, file metadata and when
 * it was hashed, for one store.
 *
 * @param store the store the blobs are in
 * @param writtenAt when the record was written
 * @param blobs the recorded blobs by digest
 */
public record VerificationRecord(
    StoreIdentity store, Instant writtenAt, Map<Digest, RecordedBlob> blobs) {
  /** The format version this code reads and writes; a record of another version is ignored. */
  public static final int VERSION = 1;

  public VerificationRecord {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(writtenAt, "writtenAt");
    blobs = Collections.unmodifiableMap(new TreeMap<>(blobs));
    for (Map.Entry<Digest, RecordedBlob> e : blobs.entrySet()) {
      if (!e.getKey().equals(e.getValue().digest())) {
        throw new IllegalArgumentException(
            "blob recorded under " + e.getKey() + " is " + e.getValue().digest());
      }
    }
  }

  /** A record that holds nothing: every blob is hashed. */
  public static VerificationRecord empty(StoreIdentity store) {
    return new VerificationRecord(store, Instant.EPOCH, Map.of());
  }

  /** The recorded blob, or null when this digest is not in the record. */
  public RecordedBlob blob(Digest digest) {
    return blobs.get(digest);
  }
}
