package org.ollamaairgap.common.bundle;

import org.ollamaairgap.common.model.Digest;

/** Progress of an export or import, as data; the apps turn it into lines and metrics. */
public interface BundleListener {
  BundleListener NONE = new BundleListener() {};

  /** {@code n} more bytes were hashed (copied or checked). */
  default void bytes(long n) {}

  /** A blob is in place, hashed: copied now, or found complete from an earlier run. */
  default void blobDone(Digest digest, long size, boolean alreadyThere) {}

  /** Something that needs no action but should be said (a skipped unknown file). */
  default void warning(String message) {}
}
