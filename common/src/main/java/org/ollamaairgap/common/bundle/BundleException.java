package org.ollamaairgap.common.bundle;

/**
 * A bundle that cannot be read as a whole: no OCI layout, a broken {@code index.json}, a tar stream
 * in the wrong order. Problems of one model are reported per model instead, so the others still
 * import.
 */
public final class BundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
