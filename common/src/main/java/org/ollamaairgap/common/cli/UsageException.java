package org.ollamaairgap.common.cli;

/** The command line or the configuration is wrong; the apps exit 2 and touch nothing. */
public class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
