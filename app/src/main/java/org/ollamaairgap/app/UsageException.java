package org.ollamaairgap.app;

/**
 * The command line or the configuration is wrong; the programs exit 2 and touch nothing. The
 * message is for the operator: it names the flag and its environment variable and says what to do.
 */
public class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
