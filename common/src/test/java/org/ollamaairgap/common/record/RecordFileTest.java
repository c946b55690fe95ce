package org.ollamaairgap.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;

class RecordFileTest {
  static final StoreIdentity STORE = new StoreIdentity("/models", 100, 10);
  static final Digest A = Sha256.of(new byte[] {1});
  static final Digest B = Sha256.of(new byte[] {2});
  static final Digest INVENTORY = Sha256.of(new byte[] {3});
  static final Instant HASHED = Instant.parse("2026-12-02T05:00:00.123456789Z");

  @TempDir Path dir;

  static VerificationRecord sample() {
    return new VerificationRecord(
        STORE,
        Instant.parse("2026-12-02T06:00:00Z"),
        Map.of(
            A,
            new RecordedBlob(A, new FileStamp(10, 5, 1000, 1L << 60, (1L << 60) + 1), HASHED, null),
            B,
            new RecordedBlob(B, new FileStamp(20, 6, 0, -5, 7), HASHED.plusSeconds(1), INVENTORY)));
  }

  RecordFile file() {
    return new RecordFile(dir.resolve("record"), STORE);
  }

  @Test
  void writesAtomicallyAndReadsBackWhatItWrote() throws IOException {
    RecordFile file = file();
    file.write(sample());

    RecordFile.Loaded loaded = file.load();

    assertThat(loaded.warning()).isNull();
    assertThat(loaded.record()).isEqualTo(sample());
    assertThat(loaded.note())
        .isEqualTo(
            "verification record " + file.path() + ": 2 blobs, written 2026-12-02T06:00:00Z");
    // Only the record itself is left in the directory: the temp file was renamed.
    try (Stream<Path> files = Files.list(dir.resolve("record"))) {
      assertThat(files).containsExactly(file.path());
    }
    assertThat(file.path().getFileName().toString())
        .matches("verification-record-[0-9a-f]{16}\\.json");
  }

  @Test
  void writeReplacesThePreviousRecord() throws IOException {
    RecordFile file = file();
    file.write(sample());
    VerificationRecord empty = VerificationRecord.empty(STORE);

    file.write(empty);

    assertThat(file.load().record()).isEqualTo(empty);
  }

  @Test
  void eachStoreHasItsOwnFileInASharedDirectory() {
    RecordFile other = new RecordFile(dir.resolve("record"), new StoreIdentity("/other", 100, 10));

    assertThat(other.path()).isNotEqualTo(file().path());
  }

  @Test
  void missingRecordIsNoWarning() {
    RecordFile.Loaded loaded = file().load();

    assertThat(loaded.record()).isNull();
    assertThat(loaded.warning()).isNull();
    assertThat(loaded.note())
        .isEqualTo("no verification record at " + file().path() + " yet: every blob is hashed");
  }

  @Test
  void recordOfAnotherStoreIsIgnored() throws IOException {
    file().write(sample());
    // Same path, but the store was re-created: another root directory.
    RecordFile recreated =
        new RecordFile(dir.resolve("record"), new StoreIdentity("/models", 101, 10));

    RecordFile.Loaded loaded = recreated.load();

    assertThat(loaded.record()).isNull();
    assertThat(loaded.warning())
        .isEqualTo(
            "verification record "
                + recreated.path()
                + " belongs to another store (/models (inode 100), this is /models (inode 101)):"
                + " ignored, every blob is hashed (it is replaced after the next clean full check;"
                + " delete it to silence this warning)");
  }

  @Test
  void sameStoreOnAnotherDeviceIsTheSameStore() throws IOException {
    file().write(sample());

    RecordFile remounted =
        new RecordFile(dir.resolve("record"), new StoreIdentity("/models", 100, 77));

    assertThat(remounted.load().record()).isEqualTo(sample());
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        Arguments.of(
            "garbage", (UnaryOperator<String>) s -> "\u0000\u0001 not json", "is not valid JSON"),
        Arguments.of("empty file", (UnaryOperator<String>) s -> "", "is not a JSON object"),
        Arguments.of(
            "truncated",
            (UnaryOperator<String>) s -> s.substring(0, s.length() / 2),
            "is not valid JSON"),
        Arguments.of("a JSON array", (UnaryOperator<String>) s -> "[]", "is not a JSON object"),
        Arguments.of(
            "not our kind",
            (UnaryOperator<String>) s -> s.replace("ollama-airgap/verification-record", "x"),
            "is not a verification record"),
        Arguments.of(
            "another version",
            (UnaryOperator<String>) s -> s.replace("\"version\" : 1", "\"version\" : 2"),
            "has version 2, this verifier reads version 1"),
        Arguments.of(
            "version as text",
            (UnaryOperator<String>) s -> s.replace("\"version\" : 1", "\"version\" : \"1\""),
            "has version \"1\""),
        Arguments.of(
            "unknown field",
            (UnaryOperator<String>)
                s -> s.replace("\"inode\" : 5,", "\"inode\" : 5, \"trusted\" : true,"),
            "has an unknown field trusted in blobs[0]"),
        Arguments.of(
            "one bad digest among good entries",
            (UnaryOperator<String>) s -> s.replace(A.toString(), "sha256:1234"),
            "has digest sha256:1234 in blobs[0]"),
        Arguments.of(
            "digest in file-name form",
            (UnaryOperator<String>) s -> s.replace(A.toString(), A.fileName()),
            "not sha256:<hex>"),
        Arguments.of(
            "missing ctime",
            (UnaryOperator<String>) s -> s.replaceFirst("\"ctimeNanos\" : [0-9]+,", ""),
            "has no whole number ctimeNanos in blobs[0]"),
        Arguments.of(
            "fractional size",
            (UnaryOperator<String>) s -> s.replace("\"size\" : 1000,", "\"size\" : 1000.5,"),
            "has no whole number size in blobs[0]"),
        Arguments.of(
            "negative size",
            (UnaryOperator<String>) s -> s.replace("\"size\" : 1000,", "\"size\" : -1000,"),
            "has a negative size in blobs[0]"),
        Arguments.of(
            "bad time",
            (UnaryOperator<String>) s -> s.replace("2026-12-02T05:00:00.123456789Z", "yesterday"),
            "has hashedAt yesterday in blobs[0], not a time"),
        Arguments.of(
            "duplicate key",
            (UnaryOperator<String>)
                s -> s.replace("\"inode\" : 5,", "\"inode\" : 5, \"inode\" : 6,"),
            "is not valid JSON (Duplicate field 'inode'"),
        Arguments.of(
            "duplicate blob",
            (UnaryOperator<String>) s -> s.replace(B.toString(), A.toString()),
            "records " + A + " twice"),
        Arguments.of(
            "no store",
            (UnaryOperator<String>) s -> s.replaceFirst("\"store\" : \\{[^}]*\\},", ""),
            "has no object store in the record"),
        Arguments.of(
            "blobs not an array",
            (UnaryOperator<String>)
                s ->
                    s.replaceFirst("\"blobs\" : \\[", "\"blobs\" : {\"x\":[")
                        .replaceFirst("\\]\\s*\\}\\s*$", "]}}"),
            "has no blobs array"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void doubtfulRecordIsIgnoredAsAWholeWithAWarning(
      String name, UnaryOperator<String> corrupt, String why) throws IOException {
    RecordFile file = file();
    file.write(sample());
    String text = Files.readString(file.path());
    String corrupted = corrupt.apply(text);
    assertThat(corrupted).as("the corruption changes the file").isNotEqualTo(text);
    Files.writeString(file.path(), corrupted, StandardCharsets.UTF_8);

    RecordFile.Loaded loaded = file.load();

    assertThat(loaded.record()).isNull();
    assertThat(loaded.warning())
        .startsWith("verification record " + file.path() + " ")
        .contains(why)
        .endsWith(
            ": ignored, every blob is hashed (it is replaced after the next clean full check;"
                + " delete it to silence this warning)");
  }

  @Test
  void unreadableRecordIsIgnored() throws IOException {
    RecordFile file = file();
    Files.createDirectories(file.path()); // a directory where the file should be

    RecordFile.Loaded loaded = file.load();

    assertThat(loaded.record()).isNull();
    assertThat(loaded.warning()).contains("ignored, every blob is hashed");
  }

  @Test
  void writeFailsWhenTheRecordDirectoryCannotBeMade() throws IOException {
    Files.writeString(dir.resolve("record"), "a file, not a directory");

    assertThatThrownBy(() -> file().write(sample())).isInstanceOf(IOException.class);
  }

  @Test
  void refusesToWriteAnotherStoresRecordUnderThisStoresName() {
    VerificationRecord elsewhere = VerificationRecord.empty(new StoreIdentity("/x", 1, 1));

    assertThatThrownBy(() -> file().write(elsewhere)).isInstanceOf(IllegalArgumentException.class);
  }
}
