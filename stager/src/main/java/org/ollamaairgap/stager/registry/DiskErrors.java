package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ollamaairgap.common.store.ExistingAncestor;
import org.ollamaairgap.common.store.OutsideStoreException;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * Turns a failed write into the environment problem it is (exit 3), with the numbers and what to
 * do. Java has no typed exception for ENOSPC or EROFS: the kernel's message is what there is.
 */
final class DiskErrors {
  private DiskErrors() {}

  static boolean isNoSpace(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left on device") || m.contains("Disk quota exceeded");
  }

  static StageException of(IOException e, Path fallback, long needed) {
    String m = String.valueOf(e.getMessage());
    Path path = fallback;
    if (e instanceof FileSystemException f && f.getFile() != null) {
      path = Path.of(f.getFile());
    }
    if (e instanceof OutsideStoreException) {
      return new StageException(Reason.NOT_WRITABLE, e.getMessage(), e);
    }
    if (m.contains("File too large")) {
      return new StageException(
          Reason.NOT_WRITABLE,
          "cannot write "
              + path
              + ": the file is larger than "
              + fileSystem(path)
              + " allows, or than this process's file-size limit (ulimit -f) allows (File too"
              + " large); put the store on a file system that holds files this big (ext4, xfs,"
              + " NFS; not FAT), or raise the limit",
          e);
    }
    if (isNoSpace(e)) {
      return new StageException(
          Reason.NO_SPACE,
          "out of space writing "
              + path
              + ": the model still needs "
              + needed
              + " bytes, "
              + free(path)
              + "; free space on the target or stage fewer models",
          e);
    }
    if (e instanceof AccessDeniedException
        || m.contains("Read-only file system")
        || m.contains("Permission denied")) {
      return new StageException(
          Reason.NOT_WRITABLE,
          "cannot write "
              + path
              + " ("
              + reason(e)
              + "); mount the models directory read-write and give the stager's user write"
              + " access to it",
          e);
    }
    String why = reason(e);
    return new StageException(
        Reason.NOT_WRITABLE,
        "cannot write "
            + path
            + ": "
            + why
            + (why.contains(" is in the way ") ? "" : "; check the target"),
        e);
  }

  private static String reason(IOException e) {
    String m =
        e instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : e.getMessage();
    if (m != null && m.contains("Read-only file system")) {
      return "read-only file system";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return m == null ? "an input/output error" : m;
  }

  /** "the file system ext4 mounted at /data", as far as it can be told. */
  private static String fileSystem(Path path) {
    Path p = ExistingAncestor.of(path);
    try {
      FileStore store = p == null ? null : Files.getFileStore(p);
      return store == null
          ? "its file system"
          : "the file system " + store.type() + " (" + store + ")";
    } catch (IOException e) {
      return "its file system";
    }
  }

  /** "N bytes free on <store> (<mount>)". */
  static String free(Path path) {
    Path p = ExistingAncestor.of(path);
    if (p == null) {
      return "free space unknown";
    }
    try {
      FileStore store = Files.getFileStore(p);
      return store.getUsableSpace() + " bytes free on " + store;
    } catch (IOException e) {
      return "free space unknown";
    }
  }
}
