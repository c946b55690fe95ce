package org.ollamaairgap.common.verify;

/** How much a finding matters to a production Ollama on a read-only mount. */
public enum Severity {
  /** Ollama would serve broken or missing models, or fail to start: the verifier exits 1. */
  ERROR,
  /** Harmless with {@code OLLAMA_NOPRUNE=1}, or wasted space: reported, exit stays 0. */
  WARNING,
  /** Something Ollama ignores, mentioned so that nobody wonders why a file is not used. */
  INFO
}
