package org.ollamaairgap.common.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * With a pinned inventory the blobs it describes are checked chunk by chunk: on every damaged store
 * of {@link StoreVerifierTest} that path reaches the verdict the whole-file path reaches (same
 * models failed, same kinds of finding on the same blobs), and a pinned inventory that cannot be
 * trusted is an ERROR, never a silent fallback.
 */
class ChunkedVerificationTest {
  /** Small chunks, so the weights blobs have many and a damaged byte lands in a middle one. */
  private static final long CHUNK = 16 * 1024;

  private static final SyntheticModel LLAMA = StoreVerifierTest.LLAMA;
  private static final SyntheticModel PHI = StoreVerifierTest.PHI;

  @TempDir Path dir;

  private StoreBuilder good() throws Exception {
    return StoreBuilder.at(dir.resolve("models"))
        .add(LLAMA)
        .add(StoreVerifierTest.LLAMA_LATEST)
        .add(PHI);
  }

  /** Writes the good store's inventory, as the stager would, and returns its digest. */
  private static Digest inventory(StoreBuilder store) throws Exception {
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    Map<Digest, ChunkedHash> hashes = new LinkedHashMap<>();
    for (SyntheticModel m : List.of(LLAMA, StoreVerifierTest.LLAMA_LATEST, PHI)) {
      manifests.put(m.name(), m.manifest());
      for (Digest d : m.blobs().keySet()) {
        hashes.put(d, Sha256.fileChunked(store.blob(d), CHUNK, n -> {}));
      }
    }
    return InventoryFile.write(
        new StoreWriter(store.layout()), StoreInventory.of(manifests, hashes));
  }

  private static VerificationReport verify(StoreBuilder store, Digest pin, List<Requirement> req)
      throws Exception {
    return new StoreVerifier(
            store.layout(),
            new StoreVerifier.Options(
                true, 2, req, pin == null ? InventoryTrust.NONE : InventoryTrust.pinned(pin)),
            VerifyListener.NONE)
        .verify();
  }

  /** What the inventory implies, given to the whole-file path by hand: every model pinned. */
  private static List<Requirement> pins() {
    List<Requirement> pins = new ArrayList<>();
    for (SyntheticModel m : List.of(LLAMA, StoreVerifierTest.LLAMA_LATEST, PHI)) {
      pins.add(new Requirement(m.name(), m.manifest().digest()));
    }
    return pins;
  }

  interface Damage {
    void apply(StoreBuilder store, Path dir) throws Exception;
  }

  static Stream<Arguments> damagedStores() {
    Digest llama = StoreVerifierTest.weights(LLAMA);
    Digest phi = StoreVerifierTest.weights(PHI);
    return Stream.of(
        Arguments.of("good", (Damage) (s, d) -> {}),
        Arguments.of("missing blob", (Damage) (s, d) -> s.deleteBlob(llama)),
        Arguments.of("truncated blob", (Damage) (s, d) -> s.truncate(phi, 1000)),
        Arguments.of("flipped first byte", (Damage) (s, d) -> s.flipByte(phi, 0)),
        Arguments.of("flipped middle byte", (Damage) (s, d) -> s.flipByte(phi, 4 * CHUNK + 7)),
        Arguments.of("flipped last byte", (Damage) (s, d) -> s.flipByte(llama, 300_000 - 1)),
        Arguments.of("two blobs flipped", (Damage) (s, d) -> s.flipByte(phi, 5).flipByte(llama, 9)),
        Arguments.of(
            "appended byte",
            (Damage)
                (s, d) ->
                    Files.write(
                        s.blob(phi), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND)),
        Arguments.of("fifo", (Damage) (s, d) -> s.fifoInsteadOf(phi)),
        Arguments.of("directory", (Damage) (s, d) -> s.directoryInsteadOf(phi)),
        Arguments.of(
            "symlink outside",
            (Damage) (s, d) -> s.symlinkOutside(phi, Files.createDirectories(d.resolve("out")))),
        Arguments.of(
            "symlink inside",
            (Damage)
                (s, d) -> s.symlinkOutside(phi, Files.createDirectories(s.root().resolve("in")))),
        Arguments.of(
            "self symlink",
            (Damage)
                (s, d) -> {
                  s.deleteBlob(llama);
                  Files.createSymbolicLink(s.blob(llama), s.blob(llama).getFileName());
                }),
        Arguments.of("legacy name", (Damage) (s, d) -> s.legacyName(phi)),
        Arguments.of("missing blobs dir", (Damage) (s, d) -> s.deleteBlobsDir()),
        Arguments.of("missing manifests dir", (Damage) (s, d) -> s.deleteManifestsDir()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedStores")
  void chunkPathAndWholeFilePath_reachTheSameVerdict(String name, Damage damage) throws Exception {
    StoreBuilder store = good();
    Digest pin = inventory(store);
    damage.apply(store, dir);

    VerificationReport whole = verify(store, null, pins());
    VerificationReport chunked = verify(store, pin, List.of());

    assertThat(chunked.ok()).isEqualTo(whole.ok());
    assertThat(chunked.models()).isEqualTo(whole.models());
    assertThat(verdicts(chunked)).isEqualTo(verdicts(whole));
    assertThat(chunked.blobsChecked()).isEqualTo(whole.blobsChecked());
    if (whole.ok()) {
      // A damaged blob's remaining chunks are skipped once one is wrong; a good store reads all.
      assertThat(chunked.bytesChecked()).isEqualTo(whole.bytesChecked());
    }
  }

  /** What a finding says about what, without how it was found. */
  private static List<String> verdicts(VerificationReport report) {
    return report.findings().stream()
        .map(f -> f.severity() + " " + f.kind() + " " + f.model() + " " + f.digest())
        .sorted()
        .toList();
  }

  @Test
  void chunkMismatch_namesBlobChunkIndexAndOffset() throws Exception {
    StoreBuilder store = good();
    Digest pin = inventory(store);
    Digest phi = StoreVerifierTest.weights(PHI);
    store.flipByte(phi, 4 * CHUNK + 7);

    Finding f = verify(store, pin, List.of()).findings().get(0);

    assertThat(f.kind()).isEqualTo(FindingKind.BLOB_DIGEST_MISMATCH);
    assertThat(f.model()).isEqualTo("acme/phi:mini");
    assertThat(f.digest()).isEqualTo(phi.toString());
    assertThat(f.expected()).startsWith("chunk 4 at byte " + 4 * CHUNK + " sha256=");
    assertThat(f.line())
        .contains("chunk 4 (bytes 65536-81919) has SHA-256 ")
        .endsWith(
            "What to do: delete "
                + store.blob(phi)
                + " and stage acme/phi:mini again on the"
                + " writable side");
  }

  @Test
  void trustedInventory_requiresAndPinsEveryModelItLists() throws Exception {
    StoreBuilder store = good();
    Digest pin = inventory(store);
    Files.delete(store.manifest("acme/phi:mini"));
    Files.writeString(store.manifest("llama3:latest"), new String(PHI.manifestBytes()));

    VerificationReport report = verify(store, pin, List.of());

    assertThat(report.findings())
        .filteredOn(f -> f.severity() == Severity.ERROR)
        .extracting(Finding::kind)
        .containsExactlyInAnyOrder(
            FindingKind.REQUIRED_MODEL_MISSING, FindingKind.EXPECTED_DIGEST_MISMATCH);
    assertThat(report.ok()).isFalse();
  }

  /** Changes the inventory file of a good store and returns the pin the verifier is given. */
  interface Untrust {
    Digest apply(Path inventory, Digest goodPin) throws Exception;
  }

  private static Digest replace(Path inventory, String content) throws Exception {
    Files.writeString(inventory, content);
    return Sha256.of(Files.readAllBytes(inventory));
  }

  static Stream<Arguments> untrusted() {
    return Stream.of(
        Arguments.of(
            "missing",
            (Untrust)
                (file, pin) -> {
                  Files.delete(file);
                  return pin;
                },
            "does not exist"),
        Arguments.of(
            "other bytes than pinned",
            (Untrust)
                (file, pin) -> {
                  Files.writeString(file, "\n", java.nio.file.StandardOpenOption.APPEND);
                  return pin;
                },
            ", not the pinned "),
        Arguments.of(
            "malformed, pinned",
            (Untrust) (file, pin) -> replace(file, "{\"version\": 1}"),
            "is not a valid inventory: 'blobs' is missing or not an array"),
        Arguments.of(
            "unknown version, pinned",
            (Untrust) (file, pin) -> replace(file, "{\"version\":2,\"models\":[],\"blobs\":[]}"),
            "has version 2"));
  }

  /** An inventory that cannot be trusted: an ERROR naming why; every blob is still hashed whole. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("untrusted")
  void untrustedInventory_isAnErrorAndEveryBlobIsHashedWhole(
      String name, Untrust untrust, String message) throws Exception {
    StoreBuilder store = good();
    Digest pin = untrust.apply(store.layout().inventory(), inventory(store));
    store.flipByte(StoreVerifierTest.weights(PHI), 3);

    VerificationReport report = verify(store, pin, List.of());

    assertThat(report.ok()).isFalse();
    Finding first = report.findings().get(0);
    assertThat(first.kind()).isEqualTo(FindingKind.INVENTORY_NOT_TRUSTED);
    assertThat(first.path()).isEqualTo(store.layout().inventory().toString());
    assertThat(first.expected()).isEqualTo(pin.toString());
    assertThat(first.message()).contains(message);
    assertThat(first.hint()).contains("--inventory-digest (VERIFIER_INVENTORY_DIGEST)");
    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.INVENTORY_NOT_TRUSTED, FindingKind.BLOB_DIGEST_MISMATCH);
    assertThat(report.findings().get(1).expected())
        .isEqualTo("sha256=" + StoreVerifierTest.weights(PHI).hex());
  }

  /** A pinned inventory whose chunk digests are wrong fails the blob; it never passes it. */
  @Test
  void inventoryThatLies_failsTheBlob() throws Exception {
    StoreBuilder store = good();
    inventory(store);
    Path file = store.layout().inventory();
    Digest phi = StoreVerifierTest.weights(PHI);
    Digest firstChunk =
        InventoryFile.read(store.layout()).inventory().blobs().get(phi).chunks().get(0);
    Files.writeString(
        file,
        Files.readString(file).replace(firstChunk.toString(), Sha256.of(new byte[1]).toString()));
    Digest pin = Sha256.of(Files.readAllBytes(file));

    VerificationReport report = verify(store, pin, List.of());

    assertThat(report.findings())
        .extracting(Finding::kind)
        .containsExactly(FindingKind.BLOB_DIGEST_MISMATCH);
    assertThat(report.findings().get(0).expected()).startsWith("chunk 0 at byte 0 ");
  }
}
