package org.ollamaairgap.common.store;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A directory the writer was about to write into is, or passes through, a symbolic link that leads
 * out of the store. Nothing was written or deleted there; the message names the link, where it
 * leads and what to do.
 */
public final class OutsideStoreException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  OutsideStoreException(Path link, Path target, Path root) {
    super(
        link.toString(),
        target.toString(),
        link
            + " is a symbolic link to "
            + target
            + ", outside the store "
            + root
            + "; the stager writes only inside the store and wrote nothing there. Replace the"
            + " link by a real directory inside the store, or point --models-dir (OLLAMA_MODELS)"
            + " at the store it should be");
  }

  @Override
  public String getMessage() {
    return getReason();
  }
}
