package org.ollamaairgap.stager.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ollamaairgap.common.store.OutsideStoreException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;

/**
 * Proves the store is a directory we can write to, by writing ({@link StoreWriter#probeWrite()}),
 * and says what to do when it is not.
 */
public final class TargetCheck {
  private TargetCheck() {}

  public static void writable(StoreLayout layout) throws StageException {
    Path root = layout.root();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new StageException(
          StageException.Reason.NOT_WRITABLE,
          "the models directory "
              + root
              + " is not a directory; point --models-dir / OLLAMA_MODELS at the store");
    }
    try {
      new StoreWriter(layout).probeWrite();
    } catch (OutsideStoreException e) {
      throw new StageException(StageException.Reason.NOT_WRITABLE, e.getMessage(), e);
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
