package org.ollamaairgap.stager.lock;

/** The lock could not be taken or checked, for a reason other than another holder. */
public class LockException extends Exception {
  private static final long serialVersionUID = 1L;

  public LockException(String message) {
    super(message);
  }

  public LockException(String message, Throwable cause) {
    super(message, cause);
  }
}
