package org.ollamaairgap.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  /** SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  private static final String EXPECTED = "': expected sha256:<64 lowercase hex>";

  @ParameterizedTest
  @ValueSource(strings = {"sha256:" + ABC, "sha256-" + ABC})
  void parsesBothForms(String text) throws StoreException {
    Digest digest = Digest.parse(text);

    assertThat(digest.hex()).isEqualTo(ABC);
    assertThat(digest).hasToString("sha256:" + ABC);
    assertThat(digest.fileName()).isEqualTo("sha256-" + ABC);
    assertThat(digest.shortHex()).isEqualTo("ba7816bf8f01");
    assertThat(digest).isEqualTo(new Digest(ABC)).hasSameHashCodeAs(new Digest(ABC));
  }

  static Stream<Arguments> invalidDigests() {
    String hex63 = ABC.substring(1);
    String hex65 = ABC + "0";
    return Stream.of(
        arguments("sha256:" + hex63, "sha256:" + hex63),
        arguments("sha256:" + hex65, "sha256:" + hex65),
        arguments("sha256:" + ABC.toUpperCase(java.util.Locale.ROOT), null),
        arguments("sha256:" + "A" + ABC.substring(1), null),
        arguments("SHA256:" + ABC, null),
        arguments("sha512:" + ABC, null),
        arguments("sha256_" + ABC, null),
        arguments("sha256 " + ABC, null),
        arguments("sha256:" + "g" + ABC.substring(1), null),
        arguments("sha256:" + "-" + ABC.substring(1), null),
        arguments("sha256:" + " " + ABC.substring(1), null),
        arguments("md5:d41d8cd98f00b204e9800998ecf8427e", null),
        arguments(ABC, null),
        arguments("sha256:", null),
        arguments("sha256", null),
        arguments(" sha256:" + ABC.substring(1), null),
        arguments(" sha256:" + ABC, null),
        arguments("sha256:" + ABC + " ", null),
        arguments("sha256:" + ABC + "\n", "sha256:" + ABC + "\\u000A"),
        arguments("sha256:" + ABC.substring(1) + "\n", "sha256:" + ABC.substring(1) + "\\u000A"),
        arguments("sha256::" + ABC.substring(1), null),
        arguments(
            "sha256:" + ABC.substring(0, 63) + "\u0430",
            "sha256:" + ABC.substring(0, 63) + "\\u0430"),
        arguments("x".repeat(1000), "x".repeat(100) + "...(1000 chars)"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidDigests")
  void rejectsAnythingElseNamingTheValue(String text, String shown) {
    String expectedShown = shown == null ? text : shown;
    assertThatThrownBy(() -> Digest.parse(text))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_DIGEST))
        .hasMessage("invalid digest '" + expectedShown + EXPECTED);
  }

  @Test
  void rejectsEmptyAndNullAsMissing() {
    for (String text : new String[] {"", null}) {
      assertThatThrownBy(() -> Digest.parse(text))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID_DIGEST))
          .hasMessage("missing digest");
    }
  }

  @Test
  void constructorInsistsOnLowerHex() {
    assertThatThrownBy(() -> new Digest(ABC.toUpperCase(java.util.Locale.ROOT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not 64 lowercase hex characters: BA7816BF");
    assertThatThrownBy(() -> new Digest("sha256:" + ABC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Digest(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ofHashBytes() throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest("abc".getBytes(StandardCharsets.US_ASCII));

    assertThat(Digest.of(hash)).isEqualTo(Digest.parse("sha256:" + ABC));
    assertThat(Digest.of(new byte[32]).hex()).isEqualTo("0".repeat(64));
    assertThatThrownBy(() -> Digest.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a SHA-256 hash has 32 bytes, got 31");
    assertThatThrownBy(() -> Digest.of(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a SHA-256 hash has 32 bytes, got 33");
  }

  @Test
  void ordersByHexLikeTheBlobFileNames() {
    List<Digest> digests = new ArrayList<>();
    for (String first : new String[] {"f", "0", "a", "9"}) {
      digests.add(new Digest(first + ABC.substring(1)));
    }
    Collections.sort(digests);

    assertThat(digests).extracting(d -> d.hex().charAt(0)).containsExactly('0', '9', 'a', 'f');
    assertThat(digests).isSortedAccordingTo((a, b) -> a.fileName().compareTo(b.fileName()));
    Digest same = new Digest(ABC);
    assertThat(same.compareTo(new Digest(ABC))).isZero();
  }
}
