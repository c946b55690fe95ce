package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;

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
}
