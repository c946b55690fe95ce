package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Checks one blob file: present, a regular file inside the store, the right size and, when asked,
 * the right SHA-256. It only reads, so it works on a read-only mount, and it never opens anything
 * but a regular file. Thread-safe: blobs may be checked in parallel.
 */
public final class BlobChecker {
  private final StoreLayout layout;
  private volatile Path realRoot;

  public BlobChecker(StoreLayout layout) {
    this.layout = layout;
  }

  /**
   * Checks the blob {@code digest} against {@code expectedSize}; with {@code hash} also its
   * content, passing each chunk's length to {@code hashed} as it is read.
   */
  public BlobCheck check(Digest digest, long expectedSize, boolean hash, LongConsumer hashed) {
    return check(digest, expectedSize, hash ? file -> Sha256.file(file, hashed) : null);
  }

  /**
   * Checks the blob as {@link #check} does with hashing, computing its chunk digests from the same
   * read ({@link Sha256#fileChunked}); {@code chunks} hears of them only when the blob is OK, so
   * the chunk digests kept are always of bytes whose whole SHA-256 matched the blob's name.
   */
  public BlobCheck checkChunked(
      Digest digest,
      long expectedSize,
      long chunkSize,
      LongConsumer hashed,
      Consumer<ChunkedHash> chunks) {
    ChunkedHash[] computed = new ChunkedHash[1];
    BlobCheck check =
        check(
            digest,
            expectedSize,
            file -> {
              computed[0] = Sha256.fileChunked(file, chunkSize, hashed);
              return computed[0].whole();
            });
    if (check.ok()) {
      chunks.accept(computed[0]);
    }
    return check;
  }

  /** How a blob's content is hashed. */
  @FunctionalInterface
  private interface Hasher {
    HashResult hash(Path file) throws IOException;
  }

  /** With {@code hasher} null, checks presence, kind and size only. */
  private BlobCheck check(Digest digest, long expectedSize, Hasher hasher) {
    Path path = layout.blob(digest);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        Path target = path.toRealPath();
        if (!target.startsWith(realRoot())) {
          return problem(
              digest,
              expectedSize,
              BlobStatus.OUTSIDE_STORE,
              -1,
              path + " is a symbolic link to " + target + ", outside the store " + layout.root());
        }
        attributes = Files.readAttributes(target, BasicFileAttributes.class);
      }
    } catch (NoSuchFileException e) {
      return problem(digest, expectedSize, BlobStatus.MISSING, -1, path + " does not exist");
    } catch (IOException e) {
      return problem(
          digest, expectedSize, BlobStatus.UNREADABLE, -1, path + ": " + ManifestWalk.why(e));
    }
    if (!attributes.isRegularFile()) {
      return problem(
          digest,
          expectedSize,
          BlobStatus.NOT_REGULAR_FILE,
          -1,
          path + " is not a regular file (" + kind(attributes) + ")");
    }
    long size = attributes.size();
    if (size != expectedSize) {
      return problem(
          digest,
          expectedSize,
          BlobStatus.SIZE_MISMATCH,
          size,
          path + " has " + size + " bytes, the manifest says " + expectedSize);
    }
    if (hasher == null) {
      return new BlobCheck(digest, expectedSize, BlobStatus.OK, size, null, "");
    }
    HashResult result;
    try {
      result = hasher.hash(path);
    } catch (IOException e) {
      return problem(
          digest, expectedSize, BlobStatus.UNREADABLE, size, path + ": " + ManifestWalk.why(e));
    }
    if (result.size() != expectedSize) {
      // The file changed while it was read: as wrong as a bad length.
      return new BlobCheck(
          digest,
          expectedSize,
          BlobStatus.SIZE_MISMATCH,
          result.size(),
          result.digest(),
          path + " had " + result.size() + " bytes when read, the manifest says " + expectedSize);
    }
    if (!result.digest().equals(digest)) {
      return new BlobCheck(
          digest,
          expectedSize,
          BlobStatus.DIGEST_MISMATCH,
          size,
          result.digest(),
          path + " has SHA-256 " + result.digest() + ", expected " + digest);
    }
    return new BlobCheck(digest, expectedSize, BlobStatus.OK, size, result.digest(), "");
  }

  private Path realRoot() throws IOException {
    Path root = realRoot;
    if (root == null) {
      root = layout.root().toRealPath();
      realRoot = root;
    }
    return root;
  }

  private static String kind(BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    return attributes.isOther() ? "a FIFO, socket or device" : "not a file";
  }

  private static BlobCheck problem(
      Digest digest, long expectedSize, BlobStatus status, long actualSize, String detail) {
    return new BlobCheck(digest, expectedSize, status, actualSize, null, detail);
  }
}
