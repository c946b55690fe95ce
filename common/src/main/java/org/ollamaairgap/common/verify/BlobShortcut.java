package org.ollamaairgap.common.verify;

import java.nio.file.Path;
import org.ollamaairgap.common.model.Digest;

/**
 * Lets an earlier check stand in for hashing a blob (the verification record, see {@code
 * org.ollamaairgap.common.record}). Consulted only when hashing, for blobs hashed whole: a blob a
 * trusted inventory describes is always checked against the inventory. An accepted blob is still
 * checked for presence, file type, place and size; only its content is not read again. Called from
 * the hashing threads: implementations must be thread-safe.
 */
public interface BlobShortcut {
  /** Every blob is hashed. */
  BlobShortcut NONE = (digest, size, file) -> Attempt.HASH;

  /**
   * Called before a blob is checked.
   *
   * @param digest the digest the manifests name
   * @param size the size they give
   * @param file where the blob is
   */
  Attempt start(Digest digest, long size, Path file);

  /** One blob's check. */
  interface Attempt {
    /** Hash it, and hear nothing of the result. */
    Attempt HASH = check -> {};

    /** True to skip reading the content: the earlier check vouches for it. */
    default boolean accepted() {
      return false;
    }

    /** The check is done (by size only when accepted); called once, also when it failed. */
    void done(BlobCheck check);
  }
}
