package org.ollamaairgap.stager.lock;

/** Another stager held the lock for the whole wait; the message names it (exit 3). */
public class LockHeldException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String holder;

  public LockHeldException(String holder, String message) {
    super(message);
    this.holder = holder;
  }

  /** The holder's identity as the lock records it (pod name, or user@host pid N). */
  public String holder() {
    return holder;
  }
}
