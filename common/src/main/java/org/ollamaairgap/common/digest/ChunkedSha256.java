package org.ollamaairgap.common.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.ollamaairgap.common.model.Digest;

/**
 * Whole SHA-256 and chunk SHA-256s of a stream fed in order, in the caller's thread: for a download
 * that hashes as bytes arrive, so the chunk digests come from the very bytes whose whole digest is
 * checked against the registry's, and no second pass is needed. Not thread-safe.
 */
public final class ChunkedSha256 {
  private final long chunkSize;
  private final MessageDigest whole = Sha256.newDigest();
  private final ChunkDigests chunks;

  public ChunkedSha256(long chunkSize) {
    this.chunkSize = chunkSize;
    this.chunks = new ChunkDigests(chunkSize);
  }

  /** Consumes every remaining byte of {@code bytes}. */
  public void update(ByteBuffer bytes) {
    whole.update(bytes.duplicate());
    chunks.update(bytes);
  }

  public void update(byte[] bytes, int offset, int length) {
    update(ByteBuffer.wrap(bytes, offset, length));
  }

  public long size() {
    return chunks.size();
  }

  /** The result; call once, after the last byte. */
  public ChunkedHash finish() {
    return new ChunkedHash(Digest.of(whole.digest()), chunks.size(), chunkSize, chunks.finish());
  }
}
