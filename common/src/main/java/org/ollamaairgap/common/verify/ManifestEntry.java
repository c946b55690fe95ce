package org.ollamaairgap.common.verify;

import java.nio.file.Path;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;

/**
 * A manifest file the walk found, valid or not.
 *
 * @param name null when the path names no valid model
 * @param manifest null when the file is not a valid manifest
 */
record ManifestEntry(Path file, ModelName name, Manifest manifest) {
  /** The short model name, or the file when it names no model. */
  String display() {
    return name == null ? file.toString() : name.displayShortest();
  }
}
