package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ollamaairgap.common.digest.ChunkVerdict.Status;
import org.ollamaairgap.common.model.Digest;

/** Chunk-parallel verification of real files against chunk digests taken from them. */
class ChunkVerifierTest {
  private static final long CHUNK = 1 << 20;

  @TempDir Path tmp;

  private ChunkVerifier.Blob blob(String name, int size) throws Exception {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    Path file = Files.write(tmp.resolve(name), content);
    return new ChunkVerifier.Blob(file, Sha256.fileChunked(file, CHUNK, n -> {}));
  }

  private static void flipByte(Path file, long offset) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x01);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void goodBlobsPassAndEveryByteIsHashed(int parallelism) throws Exception {
    List<ChunkVerifier.Blob> blobs =
        List.of(blob("a", 9 * (int) CHUNK + 17), blob("b", 3), blob("c", 0), blob("d", 5 << 20));
    AtomicLong hashed = new AtomicLong();

    Map<Digest, ChunkVerdict> verdicts =
        new ChunkVerifier(parallelism).verify(blobs, hashed::addAndGet);

    assertThat(verdicts.keySet())
        .containsExactly(blobs.stream().map(ChunkVerifier.Blob::digest).toArray(Digest[]::new));
    assertThat(verdicts.values()).allSatisfy(v -> assertThat(v.ok()).as(v.detail()).isTrue());
    assertThat(hashed.get()).isEqualTo(9 * CHUNK + 17 + 3 + (5 << 20));
  }

  /** One flipped byte: the verdict names the blob, the chunk index and its byte offset. */
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 1048575, 1048576, 4194304 + 99, 9437200})
  void aDamagedByteNamesItsChunk(long damagedAt) throws Exception {
    ChunkVerifier.Blob good = blob("good", 3 * (int) CHUNK);
    ChunkVerifier.Blob bad = blob("bad", 9 * (int) CHUNK + 17);
    flipByte(bad.file(), damagedAt);

    Map<Digest, ChunkVerdict> verdicts = new ChunkVerifier(2).verify(List.of(good, bad), n -> {});

    assertThat(verdicts.get(good.digest()).ok()).isTrue();
    ChunkVerdict v = verdicts.get(bad.digest());
    int index = (int) (damagedAt / CHUNK);
    assertThat(v.status()).isEqualTo(Status.CHUNK_MISMATCH);
    assertThat(v.blob()).isEqualTo(bad.digest());
    assertThat(v.chunk()).isEqualTo(index);
    assertThat(v.offset()).isEqualTo(index * CHUNK);
    assertThat(v.expected()).isEqualTo(bad.expected().chunks().get(index));
    assertThat(v.actual()).isNotEqualTo(v.expected());
    assertThat(v.detail())
        .contains(bad.digest().toString(), "chunk " + index, "bytes " + index * CHUNK + "-");
  }

  @Test
  void wrongSizesAndMissingFiles() throws Exception {
    ChunkVerifier.Blob shorter = blob("shorter", 3 * (int) CHUNK);
    try (RandomAccessFile f = new RandomAccessFile(shorter.file().toFile(), "rw")) {
      f.setLength(3 * CHUNK - 1);
    }
    ChunkVerifier.Blob longer = blob("longer", 2 * (int) CHUNK + 5);
    Files.write(longer.file(), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    ChunkVerifier.Blob missing = blob("missing", 10);
    Files.delete(missing.file());

    Map<Digest, ChunkVerdict> verdicts =
        new ChunkVerifier(2).verify(List.of(shorter, longer, missing), n -> {});

    assertThat(verdicts.get(shorter.digest()).status()).isEqualTo(Status.SIZE_MISMATCH);
    assertThat(verdicts.get(shorter.digest()).actualSize()).isEqualTo(3 * CHUNK - 1);
    assertThat(verdicts.get(shorter.digest()).detail())
        .contains("has " + (3 * CHUNK - 1) + " bytes, expected " + 3 * CHUNK);
    assertThat(verdicts.get(longer.digest()).status()).isEqualTo(Status.SIZE_MISMATCH);
    assertThat(verdicts.get(missing.digest()).status()).isEqualTo(Status.UNREADABLE);
    assertThat(verdicts.get(missing.digest()).detail()).contains(missing.file().toString());
  }

  /** Chunks are queued largest blob first, each blob's chunks in order. */
  @Test
  void largestBlobsAreQueuedFirst() throws Exception {
    List<ChunkVerifier.Blob> blobs =
        new ArrayList<>(List.of(blob("s", 10), blob("l", 3 * (int) CHUNK), blob("m", 2 << 20)));
    Collections.shuffle(blobs, new Random(3));

    List<String> order = new ArrayList<>();
    for (ChunkVerifier.Task t : ChunkVerifier.schedule(blobs)) {
      order.add(t.blob().file().getFileName() + "#" + t.index());
    }

    assertThat(order).containsExactly("l#0", "l#1", "l#2", "m#0", "m#1", "s#0");
  }
}
