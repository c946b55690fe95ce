package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ollamaairgap.common.model.Digest;

class Sha256Test {
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  /** FIPS 180-2 appendix B.2, 448 bits. */
  private static final String TWO_BLOCKS =
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

  @TempDir Path tmp;

  @Test
  void emptyFile() throws IOException {
    Path file = Files.createFile(tmp.resolve("empty"));
    List<Long> chunks = new ArrayList<>();

    HashResult result = Sha256.file(file, chunks::add);

    assertThat(result).isEqualTo(new HashResult(new Digest(EMPTY), 0));
    assertThat(chunks).isEmpty();
    assertThat(Sha256.of(new byte[0]).hex()).isEqualTo(EMPTY);
  }

  @Test
  void knownVectors() throws IOException {
    Path abc = Files.writeString(tmp.resolve("abc"), "abc", StandardCharsets.US_ASCII);
    Path two =
        Files.writeString(
            tmp.resolve("two"),
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            StandardCharsets.US_ASCII);

    assertThat(Sha256.file(abc, n -> {})).isEqualTo(new HashResult(new Digest(ABC), 3));
    assertThat(Sha256.file(two, n -> {}).digest().hex()).isEqualTo(TWO_BLOCKS);
    assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
  }

  /** Sizes around the read buffer, and a multi-MB file, against an independent computation. */
  @ParameterizedTest
  @ValueSource(
      ints = {
        1,
        Sha256.BUFFER_SIZE - 1,
        Sha256.BUFFER_SIZE,
        Sha256.BUFFER_SIZE + 1,
        5 * Sha256.BUFFER_SIZE + 12345,
        Sha256.MAX_PIECE - 1,
        Sha256.MAX_PIECE,
        3 * Sha256.MAX_PIECE + 4097
      })
  void matchesMessageDigestAndReportsEveryByte(int size) throws Exception {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    Path file = Files.write(tmp.resolve("blob"), content);
    List<Long> chunks = new ArrayList<>();

    HashResult result = Sha256.file(file, chunks::add);

    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    assertThat(result.digest().hex()).isEqualTo(expected);
    assertThat(result.size()).isEqualTo(size);
    assertThat(chunks.stream().mapToLong(Long::longValue).sum()).isEqualTo(size);
    assertThat(chunks).allSatisfy(n -> assertThat(n).isBetween(1L, (long) Sha256.MAX_PIECE));
  }

  /** The thread-local buffer is reused: a second, smaller file must not see the first's bytes. */
  @Test
  void successiveFilesOnOneThreadAreIndependent() throws Exception {
    byte[] big = new byte[Sha256.BUFFER_SIZE + 7];
    new Random(1).nextBytes(big);
    Path first = Files.write(tmp.resolve("first"), big);
    Path second = Files.writeString(tmp.resolve("second"), "abc", StandardCharsets.US_ASCII);

    Sha256.file(first, n -> {});

    assertThat(Sha256.file(second, n -> {}).digest().hex()).isEqualTo(ABC);
  }

  @Test
  void missingFileAndDirectoryFail() {
    assertThatThrownBy(() -> Sha256.file(tmp.resolve("missing"), n -> {}))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> Sha256.file(tmp, n -> {})).isInstanceOf(IOException.class);
  }
}
