package org.ollamaairgap.common.digest;

import java.util.List;
import java.util.Objects;
import org.ollamaairgap.common.model.Digest;

/**
 * A file's whole SHA-256 and the SHA-256 of each of its fixed-size chunks, all computed from the
 * same bytes in one read. Chunk {@code i} covers {@code [i * chunkSize, min(size, (i + 1) *
 * chunkSize))}: every chunk is {@code chunkSize} long but the last, which may be shorter; an empty
 * file has no chunk.
 */
public record ChunkedHash(Digest digest, long size, long chunkSize, List<Digest> chunks) {
  /** 64 MiB: a 65 GB blob has about 1000 chunks, enough to keep every core busy to the end. */
  public static final long DEFAULT_CHUNK_SIZE = FilePipeline.SEGMENT;

  public ChunkedHash {
    Objects.requireNonNull(digest, "digest");
    chunks = List.copyOf(chunks);
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
    }
    if (chunks.size() != chunkCount(size, chunkSize)) {
      throw new IllegalArgumentException(
          size
              + " bytes in chunks of "
              + chunkSize
              + " make "
              + chunkCount(size, chunkSize)
              + " chunks, got "
              + chunks.size()
              + " chunk digests");
    }
  }

  /** How many chunks a file of {@code size} bytes has. */
  public static long chunkCount(long size, long chunkSize) {
    return size == 0 ? 0 : (size - 1) / chunkSize + 1;
  }

  public HashResult whole() {
    return new HashResult(digest, size);
  }

  public long offset(int index) {
    return index * chunkSize;
  }

  public long length(int index) {
    return Math.min(chunkSize, size - offset(index));
  }
}
