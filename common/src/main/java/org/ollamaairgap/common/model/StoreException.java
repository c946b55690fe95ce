package org.ollamaairgap.common.model;

/**
 * A problem with a model name, a digest, a manifest or a blob. The {@link Reason} is what callers
 * branch on; the message is for people and says what was found, what was expected and, where it
 * helps, what to do next.
 */
public class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The categories callers branch on; never parse the message. */
  public enum Reason {
    INVALID_NAME,
    INVALID_DIGEST,
    MANIFEST_INVALID,
    BLOB_MISSING,
    NOT_REGULAR_FILE,
    SIZE_MISMATCH,
    DIGEST_MISMATCH
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
