package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Writes {@link SyntheticModel}s into a real Ollama store directory, then damages it in every way
 * the verifier must notice: missing, truncated or corrupt blobs, a FIFO or a directory named like a
 * blob, a symlink out of the store, legacy names, empty manifest directories, leftovers,
 * unreferenced blobs, invalid manifests and manifests at the wrong depth.
 */
public final class StoreBuilder {
  private final StoreLayout layout;

  private StoreBuilder(Path root) throws IOException {
    this.layout = new StoreLayout(root);
    Files.createDirectories(layout.blobsDir());
    Files.createDirectories(layout.manifestsDir());
  }

  /** A store at {@code root} with empty {@code blobs/} and {@code manifests/}. */
  public static StoreBuilder at(Path root) throws IOException {
    return new StoreBuilder(root);
  }

  public StoreLayout layout() {
    return layout;
  }

  public Path root() {
    return layout.root();
  }

  /** Writes the model's blobs (unless present) and then its manifest, as a pull would. */
  public StoreBuilder add(SyntheticModel model) throws IOException {
    for (SyntheticBlob blob : model.blobs().values()) {
      Path path = layout.blob(blob.digest());
      if (!Files.exists(path)) {
        blob.writeTo(path);
      }
    }
    Path manifest = layout.manifest(model.name());
    Files.createDirectories(manifest.getParent());
    Files.write(manifest, model.manifestBytes());
    return this;
  }

  /** Writes a blob that no manifest references. */
  public StoreBuilder addUnreferenced(SyntheticBlob blob) throws IOException {
    blob.writeTo(layout.blob(blob.digest()));
    return this;
  }

  public Path blob(Digest digest) {
    return layout.blob(digest);
  }

  public Path manifest(String name) {
    return layout.manifest(parse(name));
  }

  public StoreBuilder deleteBlob(Digest digest) throws IOException {
    Files.delete(blob(digest));
    return this;
  }

  /** Cuts the blob to {@code size} bytes. */
  public StoreBuilder truncate(Digest digest, long size) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(blob(digest).toFile(), "rw")) {
      file.setLength(size);
    }
    return this;
  }

  /** Inverts one byte: same size, different SHA-256. */
  public StoreBuilder flipByte(Digest digest, long offset) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(blob(digest).toFile(), "rw")) {
      file.seek(offset);
      int b = file.read();
      file.seek(offset);
      file.write(~b & 0xff);
    }
    return this;
  }

  /** Replaces the blob by a FIFO of the same name: opening it for reading would block forever. */
  public StoreBuilder fifoInsteadOf(Digest digest) throws IOException, InterruptedException {
    Path path = blob(digest);
    Files.delete(path);
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    if (mkfifo.waitFor() != 0) {
      throw new IOException("mkfifo " + path + " failed");
    }
    return this;
  }

  /** Replaces the blob by a directory of the same name. */
  public StoreBuilder directoryInsteadOf(Digest digest) throws IOException {
    Path path = blob(digest);
    Files.delete(path);
    Files.createDirectory(path);
    return this;
  }

  /** Moves the blob to {@code outside} (a directory outside the store) and links to it. */
  public StoreBuilder symlinkOutside(Digest digest, Path outside) throws IOException {
    Path path = blob(digest);
    Path target = outside.resolve(digest.fileName());
    Files.move(path, target);
    Files.createSymbolicLink(path, target);
    return this;
  }

  /** Renames the blob to the legacy {@code sha256:<hex>} form Ollama used before 0.1.30. */
  public StoreBuilder legacyName(Digest digest) throws IOException {
    Files.move(blob(digest), layout.blobsDir().resolve("sha256:" + digest.hex()));
    return this;
  }

  /** Creates an empty directory under {@code manifests/}, e.g. {@code registry.ollama.ai/x}. */
  public StoreBuilder emptyManifestDir(String relative) throws IOException {
    Files.createDirectories(layout.manifestsDir().resolve(relative));
    return this;
  }

  /** Writes a file at {@code manifests/<relative>} (invalid manifests, wrong depths). */
  public StoreBuilder manifestFile(String relative, String content) throws IOException {
    Path path = layout.manifestsDir().resolve(relative);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content, StandardCharsets.UTF_8);
    return this;
  }

  /** Writes a file in {@code blobs/} ({@code sha256-<hex>-partial}, {@code .tmp}, ...). */
  public StoreBuilder blobsFile(String name, int size) throws IOException {
    Files.write(layout.blobsDir().resolve(name), new byte[size]);
    return this;
  }

  public StoreBuilder deleteBlobsDir() throws IOException {
    deleteTree(layout.blobsDir());
    return this;
  }

  public StoreBuilder deleteManifestsDir() throws IOException {
    deleteTree(layout.manifestsDir());
    return this;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static ModelName parse(String name) {
    try {
      return ModelName.parse(name);
    } catch (org.ollamaairgap.common.model.StoreException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
