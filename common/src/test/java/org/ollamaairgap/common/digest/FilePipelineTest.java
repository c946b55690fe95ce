package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Digest;

/**
 * The read pipeline on real files, on each of its paths: resident data read in the caller's thread,
 * data said to be cold read ahead with O_DIRECT (the test directory is on a disk file system), and
 * the page-cache fallback where O_DIRECT is refused (tmpfs).
 */
class FilePipelineTest {
  private static final FilePipeline.Residence WARM = (ch, pos, len) -> true;
  private static final FilePipeline.Residence COLD = (ch, pos, len) -> false;
  private static final int MIB = 1 << 20;

  @TempDir Path tmp;

  static Path write(Path file, long size, long seed) throws IOException {
    byte[] block = new byte[MIB];
    Random random = new Random(seed);
    try (FileChannel ch =
        FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; ) {
        random.nextBytes(block);
        int n = (int) Math.min(block.length, size - written);
        ch.write(ByteBuffer.wrap(block, 0, n));
        written += n;
      }
    }
    return file;
  }

  static Digest expected(Path file, long from, long length) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer b = ByteBuffer.allocate(MIB);
      long end = length < 0 ? ch.size() : Math.min(ch.size(), from + length);
      for (long p = from; p < end; ) {
        b.clear().limit((int) Math.min(MIB, end - p));
        int n = ch.read(b, p);
        b.flip();
        md.update(b);
        p += n;
      }
    }
    return Digest.of(md.digest());
  }

  private static long hash(
      Path file, long from, long length, FilePipeline.Residence residence, MessageDigest md)
      throws IOException {
    List<Long> offsets = new ArrayList<>();
    long[] next = {from};
    long n =
        FilePipeline.read(
            file,
            from,
            length,
            List.of(
                (bytes, offset) -> {
                  // Bytes arrive in order, each exactly once.
                  assertThat(offset).isEqualTo(next[0]);
                  next[0] += bytes.remaining();
                  offsets.add(offset);
                  md.update(bytes);
                }),
            residence);
    assertThat(next[0] - from).isEqualTo(n);
    return n;
  }

  /** Sizes around the buffer, the segment and the O_DIRECT block, on both paths. */
  @ParameterizedTest
  @CsvSource({
    "4194303, cold",
    "4194304, cold",
    "4194305, cold",
    "67108864, cold",
    "71309313, cold",
    "71309313, warm",
    "12583000, warm"
  })
  void wholeFileOnEachPath(long size, String path) throws Exception {
    Path file = write(tmp.resolve("blob"), size, size);
    MessageDigest md = Sha256.newDigest();

    long n = hash(file, 0, -1, path.equals("cold") ? COLD : WARM, md);

    assertThat(n).isEqualTo(size);
    assertThat(Digest.of(md.digest())).isEqualTo(expected(file, 0, -1));
    assertThat(BufferPool.SHARED.free()).isEqualTo(BufferPool.SHARED.size());
  }

  /** Ranges: aligned chunk starts, an unaligned start (no O_DIRECT), a range past the end. */
  @ParameterizedTest
  @CsvSource({
    "0, 8388608",
    "8388608, 8388608",
    "67108864, -1",
    "12345, 9000000",
    "20971520, 100000000"
  })
  void rangesMatchTheirBytes(long from, long length) throws Exception {
    long size = 71_309_313;
    Path file = write(tmp.resolve("blob"), size, 7);
    for (FilePipeline.Residence residence : List.of(COLD, WARM)) {
      MessageDigest md = Sha256.newDigest();
      long n = hash(file, from, length, residence, md);
      long end = length < 0 ? size : Math.min(size, from + length);
      assertThat(n).isEqualTo(end - from);
      assertThat(Digest.of(md.digest())).isEqualTo(expected(file, from, length));
    }
  }

  /** Two sinks see the same bytes; resident data also goes through the buffers then. */
  @Test
  void twoSinksSeeTheSameBytes() throws Exception {
    Path file = write(tmp.resolve("blob"), 3L * FilePipeline.SEGMENT / 2 + 3, 11);
    for (FilePipeline.Residence residence : List.of(COLD, WARM)) {
      MessageDigest first = Sha256.newDigest();
      MessageDigest second = Sha256.newDigest();
      long n =
          FilePipeline.read(
              file,
              0,
              -1,
              List.of(
                  (bytes, offset) -> first.update(bytes), (bytes, offset) -> second.update(bytes)),
              residence);
      Digest want = expected(file, 0, -1);
      assertThat(n).isEqualTo(Files.size(file));
      assertThat(Digest.of(first.digest())).isEqualTo(want);
      assertThat(Digest.of(second.digest())).isEqualTo(want);
    }
  }

  /**
   * tmpfs: before Linux 6.6 it refuses O_DIRECT and cold data is read through the page cache;
   * since, it takes O_DIRECT. Either way the bytes are right.
   */
  @Test
  void fileSystemWithoutDirectIo() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm");
    Path dir = Files.createTempDirectory(shm, "pipeline-test");
    Path file = write(dir.resolve("blob"), 9 * MIB + 5, 3);
    try {
      MessageDigest md = Sha256.newDigest();
      assertThat(hash(file, 0, -1, COLD, md)).isEqualTo(9 * MIB + 5);
      assertThat(Digest.of(md.digest())).isEqualTo(expected(file, 0, -1));
    } finally {
      Files.delete(file);
      Files.delete(dir);
    }
  }

  @Test
  void directIoOnTheTestDisk() throws Exception {
    Path file = write(tmp.resolve("blob"), 5 * MIB, 5);
    try (FilePipeline.DirectReads direct = FilePipeline.DirectReads.open(file)) {
      assertThat(direct.aligned(0)).as("O_DIRECT on %s", Files.getFileStore(file).type()).isTrue();
      assertThat(direct.aligned(1)).isFalse();
    }
  }

  /** A sink's failure reaches the caller and every buffer goes back to the pool. */
  @Test
  void sinkFailureStopsTheRun() throws Exception {
    Path file = write(tmp.resolve("blob"), 40 * MIB, 9);
    for (FilePipeline.Residence residence : List.of(COLD, WARM)) {
      int[] calls = {0};
      assertThatThrownBy(
              () ->
                  FilePipeline.read(
                      file,
                      0,
                      -1,
                      List.of(
                          (bytes, offset) -> {
                            if (++calls[0] == 3) {
                              throw new IOException("sink broke");
                            }
                          },
                          (bytes, offset) -> {}),
                      residence))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("sink broke");
      assertThat(BufferPool.SHARED.free()).isEqualTo(BufferPool.SHARED.size());
    }
  }

  /** More pipelines than the pool has buffers for: each still gets one, all finish correctly. */
  @Test
  void manyConcurrentPipelinesShareThePool() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      files.add(write(tmp.resolve("blob" + i), 9 * MIB + i * 4099L, i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(files.size());
    try {
      List<Future<Digest>> results = new ArrayList<>();
      for (Path f : files) {
        results.add(
            pool.submit(
                () -> {
                  MessageDigest md = Sha256.newDigest();
                  hash(f, 0, -1, COLD, md);
                  return Digest.of(md.digest());
                }));
      }
      for (int i = 0; i < files.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(expected(files.get(i), 0, -1));
      }
    } finally {
      pool.shutdown();
    }
    assertThat(BufferPool.SHARED.free()).isEqualTo(BufferPool.SHARED.size());
  }

  @Test
  void missingFileFails() {
    assertThatThrownBy(() -> FilePipeline.read(tmp.resolve("missing"), 0, -1, List.of(), COLD))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void poolSizeFollowsTheHeap() {
    assertThat(BufferPool.count(64L << 20)).isEqualTo(4);
    assertThat(BufferPool.count(16L << 20)).isEqualTo(2);
    assertThat(BufferPool.count(8L << 30)).isEqualTo(8);
  }
}
