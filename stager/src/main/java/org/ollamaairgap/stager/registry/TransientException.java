package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.time.Duration;

/** A request failed in a way another attempt may fix: 5xx, 429, a reset, a short body, a stall. */
class TransientException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What the server asked us to wait ({@code Retry-After}), or null. */
  @SuppressWarnings("serial")
  final Duration retryAfter;

  final boolean stall;

  TransientException(String message, Duration retryAfter, boolean stall, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
    this.stall = stall;
  }

  TransientException(String message, Duration retryAfter) {
    this(message, retryAfter, false, null);
  }
}
