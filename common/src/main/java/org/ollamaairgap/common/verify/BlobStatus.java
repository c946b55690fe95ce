package org.ollamaairgap.common.verify;

/** The outcome of checking one blob file against the digest and size a manifest gives. */
public enum BlobStatus {
  /** Present, a regular file inside the store, right size and (when hashed) right SHA-256. */
  OK,
  /** No file under {@code blobs/sha256-<hex>}. */
  MISSING,
  /** A directory, FIFO, socket or device: never opened, so a FIFO cannot hang the check. */
  NOT_REGULAR_FILE,
  /** A symbolic link whose target lies outside the store root. */
  OUTSIDE_STORE,
  /** The file's length differs from the manifest's size. */
  SIZE_MISMATCH,
  /** The content's SHA-256 differs from the digest. */
  DIGEST_MISMATCH,
  /** Reading failed (permissions, I/O error). */
  UNREADABLE
}
