package org.ollamaairgap.common.verify;

/**
 * Progress events of a verification, for the app to render (the engine does no logging). Called
 * from the hashing threads: implementations must be thread-safe and cheap.
 */
public interface VerifyListener {
  /** Nothing is reported. */
  VerifyListener NONE = new VerifyListener() {};

  /** The store was walked; hashing starts. */
  default void planned(VerificationPlan plan) {}

  /** {@code bytes} more bytes were read and hashed (or, in size mode, checked). */
  default void bytesChecked(long bytes) {}

  /** One distinct blob is done. */
  default void blobChecked(BlobCheck check) {}

  /** A problem was found (also in the final report). */
  default void found(Finding finding) {}
}
