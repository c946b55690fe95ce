package org.ollamaairgap.common.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.common.model.Digest;

/** The SHA-256 of each fixed-size chunk of a byte stream fed in order. Not thread-safe. */
final class ChunkDigests {
  private final long chunkSize;
  private final MessageDigest md = Sha256.newDigest();
  private final List<Digest> chunks = new ArrayList<>();
  private long inChunk;
  private long size;

  ChunkDigests(long chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
    }
    this.chunkSize = chunkSize;
  }

  /** Consumes every remaining byte of {@code bytes}. */
  void update(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      int n = (int) Math.min(bytes.remaining(), chunkSize - inChunk);
      md.update(bytes.slice(bytes.position(), n));
      bytes.position(bytes.position() + n);
      inChunk += n;
      size += n;
      if (inChunk == chunkSize) {
        chunks.add(Digest.of(md.digest()));
        inChunk = 0;
      }
    }
  }

  long size() {
    return size;
  }

  /** The digests; a last, shorter chunk is closed here. Call once. */
  List<Digest> finish() {
    if (inChunk > 0) {
      chunks.add(Digest.of(md.digest()));
      inChunk = 0;
    }
    return List.copyOf(chunks);
  }
}
