package org.ollamaairgap.common.bundle;

import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * What happened to one model of an export or import.
 *
 * @param name canonical name
 * @param manifest its manifest digest (the model ID), or null when no manifest could be read
 * @param size config plus layers, 0 when unknown
 * @param error why it failed, naming the file; null when it is complete
 */
public record ModelOutcome(ModelName name, Digest manifest, long size, String error) {
  public boolean ok() {
    return error == null;
  }

  static ModelOutcome failed(ModelName name, Digest manifest, String error) {
    return new ModelOutcome(name, manifest, 0, error);
  }
}
