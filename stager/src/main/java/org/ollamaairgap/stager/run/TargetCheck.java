package org.ollamaairgap.stager.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;

/**
 * Proves the store is a directory we can write to, by writing: {@code FileStore.isReadOnly()} says
 * false on a read-only bind mount, and root ignores permission bits, so only a real write tells.
 * Creates our working directory and nothing under {@code manifests/} or {@code blobs/}.
 */
final class TargetCheck {
  private TargetCheck() {}

  static void writable(StoreLayout layout) throws StageException {
    Path root = layout.root();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new StageException(
          StageException.Reason.NOT_WRITABLE,
          "the models directory "
              + root
              + " is not a directory; point --models-dir / OLLAMA_MODELS at the store");
    }
    Path probe = null;
    try {
      Files.createDirectories(layout.workDir());
      probe = Files.createTempFile(layout.workDir(), "write-check-", ".tmp");
      Files.write(probe, new byte[] {1});
    } catch (IOException e) {
      throw new StageException(
          StageException.Reason.NOT_WRITABLE,
          "cannot write to the models directory "
              + root
              + " ("
              + why(e)
              + "): the stager needs it read-write. Check that the volume is not mounted"
              + " readOnly, that the NFS export is rw, and that this user (uid "
              + uid()
              + ") may write there.",
          e);
    } finally {
      if (probe != null) {
        try {
          Files.deleteIfExists(probe);
        } catch (IOException e) {
          // A probe we cannot delete is harmless: it lives in our own directory.
        }
      }
    }
  }

  private static String why(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied on " + ((FileSystemException) e).getFile();
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason() + " at " + fse.getFile();
    }
    return e.toString();
  }

  private static String uid() {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return System.getProperty("user.name");
    }
  }
}
