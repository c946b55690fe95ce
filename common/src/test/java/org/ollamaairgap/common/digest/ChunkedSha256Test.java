package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Digest;

/**
 * Whole and chunk digests in one read, from a file and from a stream, against slices hashed alone.
 */
class ChunkedSha256Test {
  @TempDir Path tmp;

  private static List<Digest> sliceDigests(byte[] content, long chunkSize) {
    List<Digest> chunks = new ArrayList<>();
    for (long off = 0; off < content.length; off += chunkSize) {
      int len = (int) Math.min(chunkSize, content.length - off);
      byte[] slice = new byte[len];
      System.arraycopy(content, (int) off, slice, 0, len);
      chunks.add(Sha256.of(slice));
    }
    return chunks;
  }

  /** size, chunk size: empty, smaller than a chunk, exact multiples, a short last chunk. */
  @ParameterizedTest
  @CsvSource({
    "0, 1048576",
    "1, 1048576",
    "1048576, 1048576",
    "5767169, 1048576",
    "9437184, 1048576",
    "12583000, 4194304",
    "12583000, 999999",
    "70000000, 67108864"
  })
  void fileAndStreamAgreeWithSlices(int size, long chunkSize) throws Exception {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    Path file = Files.write(tmp.resolve("blob"), content);
    long[] reported = {0};

    ChunkedHash fromFile = Sha256.fileChunked(file, chunkSize, n -> reported[0] += n);

    ChunkedSha256 stream = new ChunkedSha256(chunkSize);
    Random pieces = new Random(1);
    for (int off = 0; off < size; ) {
      int n = Math.min(size - off, 1 + pieces.nextInt(3 << 20));
      stream.update(ByteBuffer.wrap(content, off, n));
      off += n;
    }
    ChunkedHash fromStream = stream.finish();

    ChunkedHash want =
        new ChunkedHash(Sha256.of(content), size, chunkSize, sliceDigests(content, chunkSize));
    assertThat(fromFile).isEqualTo(want);
    assertThat(fromStream).isEqualTo(want);
    assertThat(reported[0]).isEqualTo(size);
    assertThat(fromFile.whole()).isEqualTo(Sha256.file(file, n -> {}));
  }

  @Test
  void geometry() {
    Digest d = Sha256.of(new byte[0]);
    ChunkedHash h = new ChunkedHash(d, 10, 4, List.of(d, d, d));
    assertThat(h.offset(2)).isEqualTo(8);
    assertThat(h.length(2)).isEqualTo(2);
    assertThat(h.length(0)).isEqualTo(4);
    assertThat(ChunkedHash.chunkCount(0, 4)).isZero();
    assertThat(ChunkedHash.chunkCount(8, 4)).isEqualTo(2);
    assertThat(ChunkedHash.chunkCount(9, 4)).isEqualTo(3);
    assertThatThrownBy(() -> new ChunkedHash(d, 10, 4, List.of(d, d)))
        .hasMessageContaining("make 3 chunks, got 2");
    assertThatThrownBy(() -> new ChunkedHash(d, 10, 0, List.of()))
        .hasMessageContaining("chunk size must be positive");
  }
}
