package org.ollamaairgap.common.progress;

import java.util.Locale;

/** Where a model is in a staging run; the {@code state} label of {@code stager_model_state}. */
public enum ModelState {
  PENDING,
  PULLING,
  VERIFYING,
  DONE,
  FAILED;

  /** The metric label value: {@code pending}, {@code pulling}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
