package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ollamaairgap.common.digest.Sha256;

/** A directory tree as relative path to SHA-256, to compare stores byte for byte. */
final class Trees {
  private Trees() {}

  /** Every regular file under {@code root} but our own {@code .ollama-airgap/}. */
  static Map<String, String> of(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isRegularFile(p) && !rel.startsWith(".ollama-airgap")) {
          files.put(rel, Sha256.file(p, n -> {}).digest().toString());
        }
      }
    }
    return files;
  }
}
