package org.ollamaairgap.common.sign;

/**
 * A signed inventory that cannot be trusted, or a key file that cannot be used. The {@link Reason}
 * is what callers branch on; the message names the file, what was found and what to do.
 */
public final class SignatureCheckException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the envelope or key was refused. */
  public enum Reason {
    /** No envelope file where one must be. */
    MISSING,
    /** Not a DSSE envelope (bad JSON, bad base64, missing field), or not an in-toto Statement. */
    MALFORMED,
    /** An envelope with no signature at all. */
    UNSIGNED,
    /** Signed by a key that is none of the trusted ones. */
    WRONG_KEY,
    /** Signed by a trusted key, but the payload (or the signature) changed since. */
    TAMPERED,
    /** Correctly signed, but the payload is not an in-toto Statement of the expected kind. */
    UNKNOWN_PAYLOAD_TYPE,
    /** A key file that is unreadable, not PEM, encrypted, or not Ed25519. */
    BAD_KEY
  }

  private final Reason reason;

  public SignatureCheckException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SignatureCheckException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
