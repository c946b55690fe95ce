package org.ollamaairgap.common.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The nearest part of a path that exists: what a file that is not there yet will be written under,
 * so its file system (free space, type, mount) and its real location can be told before writing.
 */
public final class ExistingAncestor {
  private ExistingAncestor() {}

  /**
   * {@code path} itself when it exists, else its nearest existing ancestor; null when none does.
   */
  public static Path of(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }
}
