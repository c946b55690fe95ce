package org.ollamaairgap.stager.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real read-only and size-limited directories for tests, through {@code mount}. Needs root and a
 * kernel that allows it; otherwise the test is skipped with the reason. Each mount is undone by
 * {@link Mount#close()}.
 */
public final class Mounts {
  private Mounts() {}

  /** A mount to undo. */
  public record Mount(Path dir) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        run("umount", "-l", dir.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Makes {@code dir} a read-only bind mount of itself (EROFS on write, even for root). */
  public static Mount readOnly(Path dir) throws IOException, InterruptedException {
    assumeMounted(run("mount", "--bind", dir.toString(), dir.toString()), "bind mount");
    Result remount = run("mount", "-o", "remount,ro,bind", dir.toString());
    if (remount.code() != 0) {
      run("umount", "-l", dir.toString());
    }
    assumeMounted(remount, "read-only remount");
    return new Mount(dir);
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code 1m}) on {@code dir}: writes beyond it fail. */
  public static Mount tmpfs(Path dir, String size) throws IOException, InterruptedException {
    assumeMounted(
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()), "tmpfs");
    return new Mount(dir);
  }

  private record Result(int code, String output) {}

  private static void assumeMounted(Result result, String what) {
    assumeTrue(
        result.code() == 0,
        () -> "skipped: cannot make a " + what + " here (needs root): " + result.output());
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.waitFor(), output.strip());
  }
}
