package org.ollamaairgap.common.verify;

import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * A model that must be in the store ({@code --require name}), optionally pinned to the exact
 * manifest bytes ({@code --expect name@sha256:<hex>}, the SHA-256 of the manifest file, i.e. the
 * model ID {@code ollama list} shows the start of).
 *
 * @param name the model, matched case-insensitively as Ollama does
 * @param manifestDigest the pinned manifest digest, or null when any manifest will do
 */
public record Requirement(ModelName name, Digest manifestDigest) {

  /**
   * Parses {@code name} or {@code name@sha256:<64 hex>} (for {@code --require}), as {@code
   * /api/pull} reads the name: a pinned entry means the same as {@code --expect}, so one model list
   * with pins serves the stager and the verifier.
   */
  public static Requirement require(String text) throws StoreException {
    if (ModelName.trimSpace(text).indexOf('@') > 0) {
      return expect(text);
    }
    return new Requirement(ModelName.parse(text), null);
  }

  /**
   * Parses {@code name@sha256:<64 hex>} (for {@code --expect}); the name as {@code /api/pull} reads
   * it, whitespace around the whole entry trimmed the same way.
   */
  public static Requirement expect(String text) throws StoreException {
    String trimmed = ModelName.trimSpace(text);
    int at = trimmed.lastIndexOf('@');
    if (at <= 0) {
      throw new StoreException(
          StoreException.Reason.INVALID_DIGEST,
          "'"
              + trimmed
              + "' is not name@sha256:<64 hex>: --expect pins a model to the SHA-256 of its"
              + " manifest file");
    }
    return new Requirement(
        ModelName.parse(trimmed.substring(0, at)), Digest.parse(trimmed.substring(at + 1)));
  }
}
