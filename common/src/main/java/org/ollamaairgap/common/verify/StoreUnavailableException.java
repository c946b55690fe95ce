package org.ollamaairgap.common.verify;

/**
 * The store root is missing, not a directory or unreadable: an environment problem (a wrong mount
 * or path, missing permissions), not a problem with the models. The verifier exits 3.
 */
public class StoreUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
