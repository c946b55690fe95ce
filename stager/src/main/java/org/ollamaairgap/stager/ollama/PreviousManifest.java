package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * What the store showed for a model before Ollama pulled it. Ollama writes the new manifest itself
 * once its own downloads verified, but it never re-hashes blobs that were already there; when the
 * run's re-hash then fails one, this puts the previous manifest back (or removes the new one when
 * there was none), so a failed pull never replaces a good model by a broken one.
 */
final class PreviousManifest {
  private final StoreLayout layout;
  private final ModelName model;
  private final Path path;
  private final byte[] bytes;

  private PreviousManifest(StoreLayout layout, ModelName model, Path path, byte[] bytes) {
    this.layout = layout;
    this.model = model;
    this.path = path;
    this.bytes = bytes;
  }

  /** Reads the model's manifest as it is now, in whatever letter case Ollama will reuse. */
  static PreviousManifest of(StoreLayout layout, ModelName model) throws StageException {
    try {
      Optional<Path> found = ManifestLocator.find(layout, model);
      if (found.isEmpty()) {
        return new PreviousManifest(layout, model, null, null);
      }
      return new PreviousManifest(layout, model, found.get(), Files.readAllBytes(found.get()));
    } catch (IOException e) {
      throw new StageException(
          Reason.NOT_WRITABLE,
          "cannot read the current manifest of "
              + model.displayShortest()
              + " before pulling it: "
              + e.getMessage()
              + "; check that the store is readable",
          e);
    }
  }

  /** Puts the previous manifest back atomically, or removes the one Ollama wrote. */
  void restore() throws StageException {
    StoreWriter writer = new StoreWriter(layout);
    Path written = null;
    try {
      if (path != null) {
        // Ollama never made our staging directory, where the atomic replacement is written.
        writer.confineWorkingDirs();
        StoreWriter.mkdirs(layout.stagingDir());
        writer.replaceDurably(path, bytes);
        return;
      }
      Optional<Path> found = ManifestLocator.find(layout, model);
      if (found.isPresent()) {
        written = found.get();
        Files.deleteIfExists(written);
      }
    } catch (IOException e) {
      throw new StageException(
          Reason.NOT_WRITABLE,
          "cannot put back the previous manifest of "
              + model.displayShortest()
              + " at "
              + (path != null ? path : written)
              + ": "
              + e.getMessage()
              + "; the store may now list it with a blob that failed its re-hash: remove that"
              + " manifest by hand or run the stager again",
          e);
    }
  }
}
