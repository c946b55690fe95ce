package org.ollamaairgap.stager.driver;

/**
 * Staging a model failed. The {@link Reason} decides what happens next: environment problems (exit
 * 3) stop the whole run, anything else fails only this model (exit 1 at the end).
 */
public class StageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why staging failed; callers branch on this, never on the message. */
  public enum Reason {
    /** The registry has no such model or tag. */
    NOT_FOUND(false),
    /** The registry or Ollama answered with an error that retrying did not fix. */
    REMOTE_ERROR(false),
    /** Transfers kept failing (resets, short bodies, 5xx) until the retries ran out. */
    TRANSFER_FAILED(false),
    /** No byte arrived for the stall timeout, and retries ran out. */
    STALLED(false),
    /** What arrived does not match its digest or size. */
    DIGEST_MISMATCH(false),
    /** The manifest could not be parsed. */
    MANIFEST_INVALID(false),
    /** The target filesystem is full. */
    NO_SPACE(true),
    /** The target is read-only or not writable for us. */
    NOT_WRITABLE(true),
    /** The Ollama server is missing, died or never became ready. */
    OLLAMA_UNAVAILABLE(true),
    /** The run was asked to stop. */
    INTERRUPTED(true),
    /** Another stager holds the store's lock, or took it over from this one. */
    LOCKED(true),
    /** {@code --prune} could not read the store or delete what it planned to. */
    PRUNE_FAILED(true);

    private final boolean environment;

    Reason(boolean environment) {
      this.environment = environment;
    }

    /** Whether this is a problem of the environment (exit 3) rather than of one model. */
    public boolean environment() {
      return environment;
    }
  }

  private final Reason reason;

  public StageException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public StageException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
