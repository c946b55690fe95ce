package org.ollamaairgap.common.inventory;

/**
 * An inventory file that cannot be trusted: missing, unreadable, not the pinned one, or not a valid
 * inventory. The {@link Reason} is what callers branch on; the message names the file and what is
 * wrong with it.
 */
public class InventoryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the file was refused. */
  public enum Reason {
    /** There is no inventory file. */
    MISSING,
    /** It exists but cannot be read. */
    UNREADABLE,
    /** Its SHA-256 is not the digest it was pinned to. */
    NOT_PINNED,
    /** Not JSON, a field missing or of the wrong type, an unknown field, a repeated key. */
    MALFORMED,
    /** A {@code version} this program does not know. */
    UNSUPPORTED_VERSION,
    /** A blob has fewer chunk digests than its size needs. */
    TRUNCATED_CHUNKS,
    /** A blob's chunk size and size do not give the number of chunk digests listed. */
    BAD_CHUNKING,
    /** The same model or blob listed twice. */
    DUPLICATE
  }

  private final Reason reason;

  public InventoryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public InventoryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
