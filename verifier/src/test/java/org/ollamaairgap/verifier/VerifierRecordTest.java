package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.record.RecordFile;
import org.ollamaairgap.common.record.StoreIdentity;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The verification record through the verifier's main: a second start hashes nothing, and every
 * change to a blob's metadata, and every record that cannot be trusted as a whole, makes it hash.
 *
 * <p>A blob changed less than the record's settle time (10 s) before it is hashed is not recorded
 * (its timestamps may not yet tell a later write apart), and no user can set a ctime back. So the
 * stores are all built first, then the test waits out the settle time once.
 */
@QuarkusMainTest
class VerifierRecordTest {
  static final Digest PHI_WEIGHTS = VerifierMainTest.PHI_WEIGHTS;
  static final long PHI_WEIGHTS_SIZE = 50_000;
  static final List<String> CASES =
      List.of(
          "second",
          "size",
          "mtime",
          "ctime",
          "inode",
          "rewritten",
          "other",
          "corrupt",
          "version",
          "expired",
          "missing",
          "size-mode",
          "inventory");

  @TempDir static Path stores;
  static final Map<String, StoreBuilder> STORES = new HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void buildStoresAndLetThemSettle() throws Exception {
    for (String name : CASES) {
      STORES.put(
          name,
          StoreBuilder.at(stores.resolve(name))
              .add(VerifierMainTest.LLAMA)
              .add(VerifierMainTest.PHI));
    }
    Thread.sleep(11_000); // past RecordCollector.DEFAULT_SETTLE, once for the whole class
  }

  LaunchResult launch(QuarkusMainLauncher launcher, StoreBuilder store, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--models-dir=" + store.root());
    all.add("--termination-log=" + dir.resolve("termination-log"));
    return launcher.launch(all.toArray(String[]::new));
  }

  Path recordDir() throws Exception {
    return Files.createDirectories(dir.resolve("record"));
  }

  static Path recordFile(Path recordDir, StoreBuilder store) throws Exception {
    return new RecordFile(recordDir, StoreIdentity.of(store.root())).path();
  }

  static long blobBytes(StoreBuilder store) throws Exception {
    long total = 0;
    try (var blobs = Files.list(store.layout().blobsDir())) {
      for (Path blob : blobs.toList()) {
        total += Files.size(blob);
      }
    }
    return total;
  }

  /** The first start: every blob hashed, the record written. */
  LaunchResult first(QuarkusMainLauncher launcher, StoreBuilder store) throws Exception {
    LaunchResult first = launch(launcher, store, "--record-dir=" + recordDir());
    assertThat(first.exitCode()).as(first.getOutput()).isEqualTo(0);
    assertThat(first.getOutput())
        .contains("no verification record at " + recordFile(recordDir(), store))
        .contains("verification record written to " + recordFile(recordDir(), store) + ": 8 blobs")
        .contains(
            "OK: verified 2 models, 8 blobs, 244.6 KiB hashed in",
            "(0 blobs, 0 B accepted from the record)");
    return first;
  }

  @Test
  void secondStartHashesNothing(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("second");
    first(launcher, store);
    Path report = dir.resolve("report.json");

    LaunchResult second =
        launch(launcher, store, "--record-dir=" + recordDir(), "--report=" + report);

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(0);
    assertThat(second.getOutput())
        .contains("blob " + PHI_WEIGHTS + ": accepted from the record: hashed ")
        .contains("OK: verified 2 models, 8 blobs, 0 B hashed in")
        .contains("(8 blobs, 244.6 KiB accepted from the record)")
        .doesNotContain("hashed: ");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.at("/report/bytesChecked").asLong()).isZero();
    assertThat(json.at("/record/acceptedBlobs").asLong()).isEqualTo(8);
    assertThat(json.at("/record/acceptedBytes").asLong()).isEqualTo(blobBytes(store));
    assertThat(json.at("/record/hashedBlobs").asLong()).isZero();
    // The accepted blobs keep the time they were hashed, so the third start still accepts them.
    LaunchResult third = launch(launcher, store, "--record-dir=" + recordDir());
    assertThat(third.getOutput()).contains("(8 blobs, 244.6 KiB accepted from the record)");
  }

  /** A change to one blob after the first start, and the reason the second start gives. */
  interface Change {
    void apply(StoreBuilder store, Path blob) throws Exception;
  }

  static List<Arguments> changes() {
    return List.of(
        Arguments.of(
            "mtime",
            (Change)
                (s, blob) ->
                    Files.setLastModifiedTime(
                        blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() - 1)),
            "hashed: mtime changed"),
        Arguments.of(
            "ctime",
            (Change)
                (s, blob) ->
                    Files.setPosixFilePermissions(
                        blob, PosixFilePermissions.fromString("r--r--r--")),
            "hashed: ctime changed"),
        Arguments.of(
            "inode",
            (Change)
                (s, blob) -> {
                  // A copy renamed over the blob, its mtime set back: only the inode tells.
                  FileTime mtime = Files.getLastModifiedTime(blob);
                  Path copy = blob.resolveSibling("copy");
                  Files.copy(blob, copy);
                  Files.setLastModifiedTime(copy, mtime);
                  Files.move(copy, blob, StandardCopyOption.REPLACE_EXISTING);
                },
            "hashed: inode changed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void aChangedBlobIsHashedAgain(
      String name, Change change, String reason, QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get(name);
    first(launcher, store);
    change.apply(store, store.blob(PHI_WEIGHTS));

    LaunchResult second = launch(launcher, store, "--record-dir=" + recordDir());

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(0);
    assertThat(second.getOutput())
        .contains("blob " + PHI_WEIGHTS + ": " + reason)
        .contains("OK: verified 2 models, 8 blobs, 48.8 KiB hashed in")
        .contains(
            "(7 blobs, "
                + Formats.bytes(blobBytes(store) - PHI_WEIGHTS_SIZE)
                + " accepted from the record)");
  }

  @Test
  void aSizeChangeIsHashedAndFails(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("size");
    first(launcher, store);
    Files.write(store.blob(PHI_WEIGHTS), new byte[] {1}, StandardOpenOption.APPEND);

    LaunchResult second = launch(launcher, store, "--record-dir=" + recordDir());

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(1);
    assertThat(second.getOutput())
        .contains("blob " + PHI_WEIGHTS + ": hashed: size changed (recorded 50000, now 50001")
        .contains("ERROR BLOB_SIZE_MISMATCH model=acme/phi:mini blob=" + PHI_WEIGHTS)
        .contains("verification record " + recordFile(recordDir(), store) + " not updated");
  }

  @Test
  void aRewriteThatRestoresTheMtimeIsCaughtByTheCtime(QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = STORES.get("rewritten");
    first(launcher, store);
    Path blob = store.blob(PHI_WEIGHTS);
    FileTime mtime = Files.getLastModifiedTime(blob);
    store.flipByte(PHI_WEIGHTS, 0);
    Files.setLastModifiedTime(blob, mtime);

    LaunchResult second = launch(launcher, store, "--record-dir=" + recordDir());

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(1);
    assertThat(second.getOutput())
        .contains("blob " + PHI_WEIGHTS + ": hashed: ctime changed")
        .contains("ERROR BLOB_DIGEST_MISMATCH model=acme/phi:mini blob=" + PHI_WEIGHTS);
  }

  /** A record file that cannot be trusted as a whole, and the warning it gives. */
  interface BadRecord {
    void write(Path recordFile, Path recordDir) throws Exception;
  }

  static List<Arguments> badRecords() {
    return List.of(
        Arguments.of(
            "other",
            (BadRecord)
                (file, recordDir) -> {
                  // The record of another store, put where this store's record goes.
                  Path other = recordFile(recordDir, STORES.get("second"));
                  String text = Files.readString(file);
                  Files.writeString(
                      other,
                      text.replace(
                          STORES.get("other").root().toRealPath().toString(),
                          STORES.get("second").root().toRealPath().toString()));
                  Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
                },
            "belongs to another store"),
        Arguments.of(
            "corrupt",
            (BadRecord) (file, recordDir) -> Files.writeString(file, "{\"kind\": "),
            "is not valid JSON"),
        Arguments.of(
            "version",
            (BadRecord)
                (file, recordDir) ->
                    Files.writeString(
                        file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 2")),
            "has version 2, this verifier reads version 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRecords")
  void anUntrustedRecordIsIgnoredWithAWarning(
      String name, BadRecord bad, String why, QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get(name);
    first(launcher, store);
    Path file = recordFile(recordDir(), store);
    bad.write(file, recordDir());

    LaunchResult second = launch(launcher, store, "--record-dir=" + recordDir());

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(0);
    assertThat(second.getOutput())
        .contains("WARNING verification record " + file + " " + why)
        .contains(": ignored, every blob is hashed")
        .contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in")
        .contains("(0 blobs, 0 B accepted from the record)")
        .contains("verification record written to " + file);
    // Replaced after that clean check: the next start trusts it again.
    LaunchResult third = launch(launcher, store, "--record-dir=" + recordDir());
    assertThat(third.getOutput()).contains("(8 blobs, 244.6 KiB accepted from the record)");
  }

  @Test
  void anExpiredHashIsDoneAgain(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("expired");
    first(launcher, store);

    LaunchResult second =
        launch(launcher, store, "--record-dir=" + recordDir(), "--reverify-after=0s");

    assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(0);
    assertThat(second.getOutput())
        .contains("blob " + PHI_WEIGHTS + ": hashed: hashed too long ago (")
        .contains("--reverify-after / VERIFIER_REVERIFY_AFTER is PT0S")
        .contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in")
        .contains("(0 blobs, 0 B accepted from the record)");
  }

  @Test
  void aMissingRecordDirIsAWarningAndAFullCheck(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("missing");
    Path missing = dir.resolve("no-such-dir");

    LaunchResult result = launch(launcher, store, "--record-dir=" + missing);

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(0);
    assertThat(result.getOutput())
        .contains(
            "WARNING verification record directory "
                + missing
                + " does not exist: every blob is hashed and no record is kept (the verdict is"
                + " not affected)")
        .contains("unset --record-dir (VERIFIER_RECORD_DIR)")
        .contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in");
    assertThat(missing).doesNotExist();
  }

  @Test
  void sizeModeNeitherReadsNorWritesTheRecord(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("size-mode");
    LaunchResult result = launch(launcher, store, "--record-dir=" + recordDir(), "--mode=size");

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(0);
    assertThat(result.getOutput()).contains("verification record not used: --mode size");
    try (var files = Files.list(recordDir())) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aRecordDirInsideTheStoreIsRefused(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = STORES.get("second");
    Path inside = store.root().resolve("blobs/record");

    LaunchResult result = launch(launcher, store, "--record-dir=" + inside);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .contains(
            "--record-dir "
                + inside
                + " is inside the models directory "
                + store.root()
                + ": the verifier never writes into the store")
        .contains("give --record-dir (VERIFIER_RECORD_DIR) a directory outside it");
    assertThat(inside).doesNotExist();
  }

  @Test
  void aNegativeReverifyAfterIsRefused(QuarkusMainLauncher launcher) throws Exception {
    LaunchResult result = launch(launcher, STORES.get("second"), "--reverify-after=-1h");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains("--reverify-after");
  }

  /**
   * With a trusted inventory the record never stands in for it: the blobs it describes are checked
   * against it chunk by chunk, even when the record vouches for them. An inventory that disagrees
   * with the disk about one chunk fails the check although the record holds the blob as hashed.
   */
  @Test
  void aTrustedInventoryIsNeverOverriddenByTheRecord(QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = STORES.get("inventory");
    first(launcher, store); // the record now vouches for all 8 blobs
    long chunk = 8192;

    Digest pin = writeInventory(store, chunk, null);
    LaunchResult trusted =
        launch(launcher, store, "--record-dir=" + recordDir(), "--inventory-digest=" + pin);
    assertThat(trusted.exitCode()).as(trusted.getOutput()).isZero();
    assertThat(trusted.getOutput())
        .contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in")
        .contains("(0 blobs, 0 B accepted from the record)")
        .doesNotContain(": accepted from the record: hashed ");

    Digest weights = VerifierMainTest.LLAMA_WEIGHTS;
    Digest disagreeing = writeInventory(store, chunk, weights);
    LaunchResult refused =
        launch(launcher, store, "--record-dir=" + recordDir(), "--inventory-digest=" + disagreeing);
    assertThat(refused.exitCode()).as(refused.getOutput()).isEqualTo(1);
    assertThat(refused.getOutput())
        .contains(
            "ERROR BLOB_DIGEST_MISMATCH model=llama3:8b blob=" + weights + " expected chunk 3")
        .doesNotContain("blob " + weights + ": accepted from the record");
  }

  /**
   * Writes the store's inventory with {@code chunk}-byte chunk digests and returns its digest; for
   * {@code wrong}, chunk 3 is given the digest of other bytes.
   */
  private static Digest writeInventory(StoreBuilder store, long chunk, Digest wrong)
      throws Exception {
    Map<ModelName, Manifest> manifests = new java.util.LinkedHashMap<>();
    Map<Digest, ChunkedHash> hashes = new java.util.LinkedHashMap<>();
    for (SyntheticModel m : List.of(VerifierMainTest.LLAMA, VerifierMainTest.PHI)) {
      manifests.put(m.name(), m.manifest());
      for (Digest d : m.blobs().keySet()) {
        ChunkedHash real = Sha256.fileChunked(store.blob(d), chunk, n -> {});
        if (d.equals(wrong)) {
          List<Digest> chunks = new ArrayList<>(real.chunks());
          chunks.set(3, chunks.get(2));
          real = new ChunkedHash(real.digest(), real.size(), real.chunkSize(), chunks);
        }
        hashes.put(d, real);
      }
    }
    return InventoryFile.write(
        new StoreWriter(store.layout()), StoreInventory.of(manifests, hashes));
  }
}
