package org.ollamaairgap.common.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.digest.ChunkVerdict;
import org.ollamaairgap.common.digest.ChunkVerifier;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryException.Reason;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/** The inventory file: what it writes reads back the same, and what it must refuse it refuses. */
class InventoryFileTest {
  private static final long CHUNK = 4096;

  @TempDir Path tmp;
  private StoreBuilder store;
  private SyntheticModel small;
  private SyntheticModel large;
  private StoreInventory inventory;

  @BeforeEach
  void stage() throws Exception {
    small = SyntheticModel.typical("llama3.2:1b", 1, 10_000);
    large = SyntheticModel.typical("example.com/team/m:q4", 2, 3 * CHUNK);
    store = StoreBuilder.at(tmp.resolve("store")).add(small).add(large);
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    Map<Digest, ChunkedHash> hashes = new LinkedHashMap<>();
    for (SyntheticModel m : List.of(small, large)) {
      manifests.put(m.name(), m.manifest());
      for (Digest d : m.blobs().keySet()) {
        hashes.put(d, Sha256.fileChunked(store.blob(d), CHUNK, n -> {}));
      }
    }
    inventory = StoreInventory.of(manifests, hashes);
  }

  @Test
  void roundTrip_sameInventorySameBytesSameDigest() throws Exception {
    StoreLayout layout = store.layout();
    Digest digest = InventoryFile.write(new StoreWriter(layout), inventory);

    InventoryFile.Read read = InventoryFile.read(layout.inventory(), digest);

    assertThat(read.digest()).isEqualTo(digest).isEqualTo(Sha256.of(bytes(layout.inventory())));
    assertThat(read.inventory()).isEqualTo(inventory);
    assertThat(InventoryFile.toJson(read.inventory())).isEqualTo(bytes(layout.inventory()));
    StoreInventory.Model model = read.inventory().model(small.name());
    assertThat(model.manifestDigest()).isEqualTo(small.manifest().digest());
    assertThat(model.size()).isEqualTo(small.manifest().totalSize());
    assertThat(model.blobs()).containsExactlyElementsOf(small.blobs().keySet());
    // Models come sorted by canonical name, whatever order they were staged in.
    assertThat(read.inventory().models().keySet())
        .extracting(ModelName::toString)
        .containsExactly("example.com/team/m:q4", "registry.ollama.ai/library/llama3.2:1b");
    assertThat(Files.list(layout.stagingDir())).isEmpty();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(
            "unknown version",
            (UnaryOperator<String>) j -> j.replace("\"version\" : 1", "\"version\" : 2"),
            Reason.UNSUPPORTED_VERSION,
            "has version 2; this program reads version 1"),
        Arguments.of(
            "truncated chunk list",
            (UnaryOperator<String>) InventoryFileTest::dropLastChunkOfLargeBlob,
            Reason.TRUNCATED_CHUNKS,
            "in chunks of 4096, which make 3 chunks, but 2 chunk digests are listed (the list is"
                + " truncated)"),
        Arguments.of(
            "chunk size not dividing the blob",
            (UnaryOperator<String>) j -> j.replace("\"chunkSize\" : 4096", "\"chunkSize\" : 5000"),
            Reason.BAD_CHUNKING,
            "in chunks of 5000, which make"),
        Arguments.of(
            "chunk size zero",
            (UnaryOperator<String>) j -> j.replace("\"chunkSize\" : 4096", "\"chunkSize\" : 0"),
            Reason.BAD_CHUNKING,
            "has chunk size 0"),
        Arguments.of(
            "duplicate key",
            (UnaryOperator<String>)
                j -> j.replaceFirst("\"version\" : 1", "\"version\" : 1, \"version\" : 1"),
            Reason.DUPLICATE,
            "Duplicate field 'version'"),
        Arguments.of(
            "unknown field",
            (UnaryOperator<String>)
                j -> j.replaceFirst("\"version\" : 1", "\"version\" : 1, \"trusted\" : true"),
            Reason.MALFORMED,
            "has the unknown field 'trusted'"),
        Arguments.of(
            "not json",
            (UnaryOperator<String>) j -> j.substring(0, j.length() / 2),
            Reason.MALFORMED,
            "is not valid JSON"),
        Arguments.of(
            "trailing content",
            (UnaryOperator<String>) j -> j + "{}",
            Reason.MALFORMED,
            "is not valid JSON"),
        Arguments.of(
            "model lists an undescribed blob",
            (UnaryOperator<String>)
                j -> j.replaceFirst("\"blobs\" : \\[ \"sha256:....", "\"blobs\" : [ \"sha256:0000"),
            Reason.MALFORMED,
            "which 'blobs' does not describe"),
        Arguments.of(
            "non-canonical name",
            (UnaryOperator<String>)
                j -> j.replace("registry.ollama.ai/library/llama3.2:1b", "llama3.2:1b"),
            Reason.MALFORMED,
            "is not canonical"),
        Arguments.of(
            "negative size",
            (UnaryOperator<String>) j -> j.replaceFirst("\"size\" : ", "\"size\" : -"),
            Reason.MALFORMED,
            "is negative"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void strictReader_refusesWithTheReason(
      String name, UnaryOperator<String> damage, Reason reason, String message) throws Exception {
    String json = new String(InventoryFile.toJson(inventory), StandardCharsets.UTF_8);
    String damaged = damage.apply(json);
    assertThat(damaged).as("the damage applies").isNotEqualTo(json);
    Path file = Files.writeString(tmp.resolve("inventory.json"), damaged);

    assertThatThrownBy(() -> InventoryFile.read(file, null))
        .isInstanceOfSatisfying(
            InventoryException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageStartingWith("inventory " + file)
        .hasMessageContaining(message);
  }

  @Test
  void pinned_otherBytesAreRefusedBeforeBeingRead() throws Exception {
    Digest digest = InventoryFile.write(new StoreWriter(store.layout()), inventory);
    Path file = store.layout().inventory();
    Files.writeString(file, Files.readString(file).replace("  ", "   "));

    assertThatThrownBy(() -> InventoryFile.read(file, digest))
        .isInstanceOfSatisfying(
            InventoryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_PINNED))
        .hasMessageContaining("not the pinned " + digest);
  }

  @Test
  void missing_saysSo() {
    assertThatThrownBy(() -> InventoryFile.read(store.layout()))
        .isInstanceOfSatisfying(
            InventoryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING))
        .hasMessage("inventory " + store.layout().inventory() + " does not exist");
  }

  /** A wrong chunk digest in the inventory: the verdict names the blob, chunk index and offset. */
  @Test
  void wrongChunkDigest_verdictNamesBlobChunkAndOffset() throws Exception {
    Digest blob = large.layers().get(0).blob().digest();
    String json = new String(InventoryFile.toJson(inventory), StandardCharsets.UTF_8);
    Digest chunk1 = inventory.blobs().get(blob).chunks().get(1);
    Digest other = Sha256.of(new byte[] {42});
    Path file =
        Files.writeString(
            tmp.resolve("inventory.json"), json.replace(chunk1.toString(), other.toString()));
    ChunkedHash expected = InventoryFile.read(file, null).inventory().blobs().get(blob);

    ChunkVerdict verdict =
        new ChunkVerifier(2)
            .verify(List.of(new ChunkVerifier.Blob(store.blob(blob), expected)), n -> {})
            .get(blob);

    assertThat(verdict.status()).isEqualTo(ChunkVerdict.Status.CHUNK_MISMATCH);
    assertThat(verdict.chunk()).isEqualTo(1);
    assertThat(verdict.offset()).isEqualTo(CHUNK);
    assertThat(verdict.expected()).isEqualTo(other);
    assertThat(verdict.actual()).isEqualTo(chunk1);
    assertThat(verdict.detail())
        .contains("blob " + blob, "chunk 1 (bytes 4096-8191)", "the inventory says " + other);
  }

  /**
   * The chunks written are those of the file's bytes: a byte flipped on disk shows in its chunk.
   */
  @Test
  void damagedFile_namesTheChunkHoldingTheByte() throws Exception {
    Digest blob = large.layers().get(0).blob().digest();
    try (RandomAccessFile f = new RandomAccessFile(store.blob(blob).toFile(), "rw")) {
      f.seek(2 * CHUNK + 7);
      int b = f.read();
      f.seek(2 * CHUNK + 7);
      f.write(b ^ 1);
    }
    ChunkVerdict verdict =
        new ChunkVerifier(1)
            .verify(
                List.of(new ChunkVerifier.Blob(store.blob(blob), inventory.blobs().get(blob))),
                n -> {})
            .get(blob);

    assertThat(verdict.chunk()).isEqualTo(2);
    assertThat(verdict.offset()).isEqualTo(2 * CHUNK);
  }

  private static String dropLastChunkOfLargeBlob(String json) {
    // The large blob is the only one with three chunks: drop its last chunk line.
    int chunks = json.indexOf("\"chunks\" : [ \"sha256:", json.indexOf("\"size\" : 12288"));
    int end = json.indexOf(" ]", chunks);
    int lastComma = json.lastIndexOf(',', end);
    return json.substring(0, lastComma)
        + json.substring(json.indexOf('"', json.indexOf('"', lastComma + 1) + 1) + 1);
  }

  private static byte[] bytes(Path file) throws Exception {
    return Files.readAllBytes(file);
  }
}
