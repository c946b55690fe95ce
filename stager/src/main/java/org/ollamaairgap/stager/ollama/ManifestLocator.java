package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * Finds the manifest Ollama wrote for a name. Ollama's {@code getExistingName} reuses the spelling
 * of an existing manifest whose parts match case-insensitively, so a pull of {@code Llama3.2} may
 * write {@code manifests/registry.ollama.ai/library/llama3.2/latest}.
 */
final class ManifestLocator {
  private ManifestLocator() {}

  /** The exact path if it exists, else a case-insensitive match, part by part. */
  static Optional<Path> find(StoreLayout layout, ModelName name) throws IOException {
    Path exact = layout.manifest(name);
    if (Files.isRegularFile(exact)) {
      return Optional.of(exact);
    }
    List<Path> level = List.of(layout.manifestsDir());
    String[] parts = {name.host(), name.namespace(), name.model(), name.tag()};
    for (int i = 0; i < parts.length; i++) {
      boolean last = i == parts.length - 1;
      List<Path> next = new ArrayList<>();
      for (Path dir : level) {
        next.addAll(matching(dir, parts[i], last));
      }
      if (next.isEmpty()) {
        return Optional.empty();
      }
      level = next;
    }
    return Optional.of(level.get(0));
  }

  /** Entries of {@code dir} named {@code part} in any case, sorted so the choice is stable. */
  private static List<Path> matching(Path dir, String part, boolean file) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (entry.getFileName().toString().equalsIgnoreCase(part)
            && (file ? Files.isRegularFile(entry) : Files.isDirectory(entry))) {
          found.add(entry);
        }
      }
    }
    found.sort(null);
    return found;
  }

  /**
   * The manifest Ollama wrote for {@code model} after its pull reported success, as found in the
   * store (in any letter case) and parsed strictly.
   */
  static Manifest read(StoreLayout layout, ModelName model, URI server) throws StageException {
    Path path;
    byte[] bytes;
    try {
      Optional<Path> found = find(layout, model);
      if (found.isEmpty()) {
        throw new StageException(
            Reason.OLLAMA_UNAVAILABLE,
            "Ollama reported success for "
                + model.displayShortest()
                + " but there is no manifest at "
                + layout.manifest(model)
                + " (in any letter case): the Ollama server at "
                + server
                + " stores models somewhere else than "
                + layout.root()
                + "; give it the same OLLAMA_MODELS as --models-dir");
      }
      path = found.get();
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new StageException(
          Reason.NOT_WRITABLE,
          "cannot read the manifest of " + model.displayShortest() + ": " + e,
          e);
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(bytes);
    } catch (StoreException e) {
      throw new StageException(
          Reason.MANIFEST_INVALID,
          "the manifest Ollama wrote for "
              + model.displayShortest()
              + " at "
              + path
              + " is invalid: "
              + e.getMessage(),
          e);
    }
    return manifest;
  }
}
