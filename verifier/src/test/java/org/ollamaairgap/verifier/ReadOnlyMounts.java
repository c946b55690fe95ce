package org.ollamaairgap.verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read-only bind mounts for tests: a real EROFS view of a directory, as production Ollama sees the
 * NFS export, while the test changes the writable original as the staging side would. Needs root
 * with CAP_SYS_ADMIN; without, {@link #mount} says false and the caller uses the directory itself.
 */
final class ReadOnlyMounts {
  private ReadOnlyMounts() {}

  /** Mounts {@code source} read-only at {@code target}; false when this user may not mount. */
  static boolean mount(Path source, Path target) throws IOException, InterruptedException {
    if (!run("mount", "--bind", source.toString(), target.toString())) {
      return false;
    }
    if (!run("mount", "-o", "remount,ro,bind", target.toString())) {
      unmount(target);
      return false;
    }
    try {
      Files.createFile(target.resolve("probe"));
      Files.delete(target.resolve("probe"));
      unmount(target);
      throw new IllegalStateException(target + " is writable after remount,ro");
    } catch (java.nio.file.FileSystemException expected) {
      return true;
    }
  }

  static void unmount(Path target) throws IOException, InterruptedException {
    run("umount", "-l", target.toString());
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.waitFor() == 0;
  }
}
