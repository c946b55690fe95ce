package org.ollamaairgap.stager.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A driver for tests that writes real synthetic models into a real store the way a real driver
 * must: each blob through a temp file in our work directory, renamed into {@code blobs/}, the
 * manifest last. Behaviour is chosen by words in the model part of the name, so that the app tests
 * (which cannot hand objects to the app) control it too:
 *
 * <ul>
 *   <li>{@code missing}: the registry has no such model (resolve fails, NOT_FOUND)
 *   <li>{@code broken}: the transfer fails after the first chunk (TRANSFER_FAILED)
 *   <li>{@code retry}: reports two retries on the way
 *   <li>{@code big}: a 2 MiB weights layer instead of 256 KiB
 *   <li>{@code unsized}: resolve cannot tell the size before pulling (like the ollama driver)
 *   <li>{@code gated}: before chunk {@code i > 0} of the weights, waits until the file {@code
 *       release-<i>} exists in the gate directory (the store root's sibling {@code gates/}), so a
 *       test can look at a pull in the middle without timing
 * </ul>
 *
 * Writing errors are mapped as a real driver maps them: no space left is NO_SPACE, a read-only file
 * system is NOT_WRITABLE.
 */
public final class FakeDriver implements Driver {
  public static final long SMALL = 256 * 1024;
  public static final long BIG = 2 * 1024 * 1024;
  public static final int CHUNKS = 4;

  private final StoreLayout layout;
  private final Path gates;

  public FakeDriver(StoreLayout layout) {
    this.layout = layout;
    this.gates = gates(layout);
  }

  /** Where a test drops {@code release-<i>} files for {@code gated} models. */
  public static Path gates(StoreLayout layout) {
    return layout.root().resolveSibling("gates");
  }

  /** The synthetic model the fake serves for this name. */
  public static SyntheticModel model(ModelName name) {
    long size = has(name, "big") ? BIG : SMALL;
    return SyntheticModel.typical(name.toString(), name.key().hashCode(), size);
  }

  @Override
  public Optional<Manifest> resolve(ModelName name) throws StageException {
    if (has(name, "missing")) {
      throw new StageException(
          StageException.Reason.NOT_FOUND,
          "pull model manifest: file does not exist (" + name.displayShortest() + ")");
    }
    if (has(name, "unsized")) {
      return Optional.empty();
    }
    return Optional.of(model(name).manifest());
  }

  @Override
  public Manifest stage(ModelName name, Optional<Manifest> resolved, PullListener listener)
      throws StageException {
    SyntheticModel model = model(name);
    try {
      Files.createDirectories(layout.blobsDir());
      Files.createDirectories(layout.stagingDir());
      for (var entry : model.blobs().entrySet()) {
        listener.blob(name, entry.getKey(), entry.getValue().size());
      }
      if (has(name, "retry")) {
        listener.retry(name, "503 from the fake");
        listener.retry(name, "connection reset by the fake");
      }
      for (var entry : model.blobs().entrySet()) {
        pull(name, entry.getKey(), entry.getValue(), listener);
      }
      Path temp = Files.createTempFile(layout.stagingDir(), "manifest-", ".tmp");
      Files.write(temp, model.manifestBytes());
      Path target = layout.manifest(name);
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return model.manifest();
    } catch (IOException e) {
      throw mapped(e);
    }
  }

  private void pull(ModelName name, Digest digest, SyntheticBlob blob, PullListener listener)
      throws IOException, StageException {
    Path target = layout.blob(digest);
    if (Files.exists(target)) {
      // Like Ollama: an existing blob is trusted here; the run re-hashes it afterwards.
      listener.blobCompleted(name, digest, blob.size());
      return;
    }
    boolean weights = blob.size() >= SMALL;
    long chunk = weights ? blob.size() / CHUNKS : blob.size();
    Path temp = Files.createTempFile(layout.stagingDir(), digest.fileName() + "-", ".tmp");
    try {
      try (InputStream in = blob.open();
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[(int) chunk];
        long done = 0;
        for (int i = 0; done < blob.size(); i++) {
          if (weights && i > 0) {
            if (has(name, "gated")) {
              hold(i);
            }
            if (has(name, "broken")) {
              throw new StageException(
                  StageException.Reason.TRANSFER_FAILED,
                  "max retries exceeded: connection reset by the fake after " + done + " bytes");
            }
          }
          int n = in.readNBytes(buffer, 0, (int) Math.min(chunk, blob.size() - done));
          out.write(buffer, 0, n);
          out.flush();
          done += n;
          listener.transferred(name, n);
          listener.blobCompleted(name, digest, done);
        }
      }
      // The content is right by construction; a real driver compares the digest before this.
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Says where the pull is held (for the test to wait on), then waits for the test to release it.
   */
  private void hold(int chunk) throws IOException, StageException {
    Files.createDirectories(gates);
    Path held = gates.resolve("held-" + chunk);
    if (!Files.exists(held)) {
      Files.createFile(held);
    }
    await(gates.resolve("release-" + chunk));
  }

  private static void await(Path gate) throws StageException {
    // Waits for the test, not for time: the deadline only keeps a broken test from hanging.
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(gate)) {
      if (System.nanoTime() > deadline) {
        throw new StageException(StageException.Reason.STALLED, "test gate never opened: " + gate);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StageException(StageException.Reason.INTERRUPTED, "interrupted at " + gate);
      }
    }
  }

  private static StageException mapped(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No space left")) {
      return new StageException(StageException.Reason.NO_SPACE, "out of space: " + message, e);
    }
    if (message.contains("Read-only file system")) {
      return new StageException(StageException.Reason.NOT_WRITABLE, "read-only: " + message, e);
    }
    return new StageException(StageException.Reason.TRANSFER_FAILED, e.toString(), e);
  }

  static boolean has(ModelName name, String word) {
    for (String part : name.model().toLowerCase(Locale.ROOT).split("-", -1)) {
      if (part.equals(word)) {
        return true;
      }
    }
    return false;
  }
}
