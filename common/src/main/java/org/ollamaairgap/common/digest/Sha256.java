package org.ollamaairgap.common.digest;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.model.Digest;

/**
 * Streaming SHA-256 with bounded memory. The JDK's {@code MessageDigest} uses the CPU's SHA
 * instructions through a HotSpot intrinsic, which is what makes it as fast as {@code openssl dgst}.
 *
 * <p>Files are read by {@link FilePipeline}: data in the page cache is read and hashed in the
 * calling thread (a plain loop into a reused heap array, the fastest way on cached data when other
 * blobs hash on the other cores); data that is not is read ahead with {@code O_DIRECT} by a reader
 * thread while this thread hashes, so a cold file streams at the storage's speed instead of
 * alternating between waiting for the disk and hashing. Memory is fixed: {@link #BUFFER_SIZE} per
 * hashing thread and the shared buffer pool (a quarter of the heap, at most 32 MiB).
 */
public final class Sha256 {
  /** The plain loop's read size: large enough to amortise system calls, small enough for L2. */
  public static final int BUFFER_SIZE = 256 * 1024;

  /** The largest piece a progress callback is told of (one pipeline buffer). */
  public static final int MAX_PIECE = BufferPool.BUFFER_SIZE;

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The digest of these bytes. */
  public static Digest of(byte[] bytes) {
    return Digest.of(newDigest().digest(bytes));
  }

  /**
   * Hashes a file, passing the length of each piece hashed to {@code progress}. The caller decides
   * whether the file may be opened (regular file, inside the store); this only reads it.
   */
  public static HashResult file(Path file, LongConsumer progress) throws IOException {
    MessageDigest md = newDigest();
    long size = FilePipeline.read(file, 0, -1, List.of(whole(md, progress)));
    return new HashResult(Digest.of(md.digest()), size);
  }

  /** The sink that feeds the whole-file digest and reports each piece to {@code progress}. */
  private static FilePipeline.Sink whole(MessageDigest md, LongConsumer progress) {
    return (bytes, offset) -> {
      int n = bytes.remaining();
      md.update(bytes);
      progress.accept(n);
    };
  }

  /**
   * Hashes a file whole and in chunks of {@code chunkSize} in one read: the whole digest in this
   * thread, the chunk digests in another, both from the same buffers (so two cores hash and the
   * file is read once). {@code progress} hears of each piece once.
   */
  public static ChunkedHash fileChunked(Path file, long chunkSize, LongConsumer progress)
      throws IOException {
    MessageDigest md = newDigest();
    ChunkDigests chunks = new ChunkDigests(chunkSize);
    long size =
        FilePipeline.read(
            file, 0, -1, List.of(whole(md, progress), (bytes, offset) -> chunks.update(bytes)));
    if (chunks.size() != size) {
      throw new IOException(file + ": read " + size + " bytes but chunked " + chunks.size());
    }
    return new ChunkedHash(Digest.of(md.digest()), size, chunkSize, chunks.finish());
  }

  /**
   * Hashes {@code length} bytes of a file from {@code offset} (to the end when {@code length} is
   * negative); the result's size is how many bytes there were.
   */
  public static HashResult range(Path file, long offset, long length, LongConsumer progress)
      throws IOException {
    MessageDigest md = newDigest();
    long size =
        FilePipeline.read(
            file,
            offset,
            length,
            List.of(
                (bytes, at) -> {
                  int n = bytes.remaining();
                  md.update(bytes);
                  progress.accept(n);
                }));
    return new HashResult(Digest.of(md.digest()), size);
  }
}
