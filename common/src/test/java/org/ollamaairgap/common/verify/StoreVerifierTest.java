package org.ollamaairgap.common.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

class StoreVerifierTest {
  static final SyntheticModel LLAMA = SyntheticModel.typical("llama3:8b", 1, 300_000);
  static final SyntheticModel LLAMA_LATEST = SyntheticModel.typical("llama3:latest", 1, 300_000);
  static final SyntheticModel PHI = SyntheticModel.typical("acme/phi:mini", 2, 100_000);

  @TempDir Path dir;

  StoreBuilder good() throws Exception {
    return StoreBuilder.at(dir.resolve("models")).add(LLAMA).add(LLAMA_LATEST).add(PHI);
  }

  static Digest weights(SyntheticModel model) {
    return model.layers().get(0).blob().digest();
  }

  static VerificationReport verify(StoreBuilder store, Requirement... requirements)
      throws Exception {
    return verify(store, true, requirements);
  }

  static VerificationReport verify(StoreBuilder store, boolean hash, Requirement... requirements)
      throws Exception {
    return new StoreVerifier(
            store.layout(),
            new StoreVerifier.Options(hash, 2, List.of(requirements)),
            VerifyListener.NONE)
        .verify();
  }

  static List<FindingKind> kinds(VerificationReport report) {
    return report.findings().stream().map(Finding::kind).toList();
  }

  @Test
  void goodStoreHashesEachDistinctBlobOnce() throws Exception {
    StoreBuilder store = good();
    ConcurrentLinkedQueue<Digest> checked = new ConcurrentLinkedQueue<>();
    AtomicLong bytes = new AtomicLong();
    VerificationPlan[] plan = new VerificationPlan[1];
    VerificationReport report =
        new StoreVerifier(
                store.layout(),
                new StoreVerifier.Options(true, 2, List.of()),
                new VerifyListener() {
                  @Override
                  public void planned(VerificationPlan p) {
                    plan[0] = p;
                  }

                  @Override
                  public void bytesChecked(long n) {
                    bytes.addAndGet(n);
                  }

                  @Override
                  public void blobChecked(BlobCheck check) {
                    checked.add(check.digest());
                  }
                })
            .verify();

    // llama3:8b and llama3:latest share every blob but the config (it names the model).
    long distinct =
        java.util.stream.Stream.of(LLAMA, LLAMA_LATEST, PHI)
            .flatMap(m -> m.blobs().keySet().stream())
            .distinct()
            .count();
    assertThat(report.findings()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(checked).hasSize((int) distinct).doesNotHaveDuplicates();
    assertThat(report.blobsChecked()).isEqualTo(distinct);
    assertThat(plan[0].manifests()).isEqualTo(3);
    assertThat(plan[0].blobs()).isEqualTo((int) distinct);
    assertThat(bytes.get()).isEqualTo(plan[0].totalBytes()).isEqualTo(report.bytesChecked());
    assertThat(report.models())
        .extracting(ModelResult::display, ModelResult::ok)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme/phi:mini", true),
            org.assertj.core.groups.Tuple.tuple("llama3:8b", true),
            org.assertj.core.groups.Tuple.tuple("llama3:latest", true));
    assertThat(report.models().get(1).manifestDigest()).isEqualTo(LLAMA.manifest().digest());
  }

  @Test
  void missingBlobNamesEveryModelUsingIt() throws Exception {
    StoreBuilder store = good().deleteBlob(weights(LLAMA));
    VerificationReport report = verify(store);

    assertThat(report.findings()).hasSize(1);
    Finding f = report.findings().get(0);
    assertThat(f.line())
        .isEqualTo(
            "ERROR BLOB_MISSING model=llama3:8b,llama3:latest blob="
                + weights(LLAMA)
                + " expected size=300000 actual no file: "
                + store.blob(weights(LLAMA))
                + " does not exist. What to do: stage llama3:8b,llama3:latest again on the"
                + " writable side");
    assertThat(report.models())
        .filteredOn(ModelResult::ok)
        .extracting(ModelResult::display)
        .containsExactly("acme/phi:mini");
  }

  @Test
  void truncatedBlob() throws Exception {
    VerificationReport report = verify(good().truncate(weights(PHI), 1000));
    Finding f = report.findings().get(0);
    assertThat(f.kind()).isEqualTo(FindingKind.BLOB_SIZE_MISMATCH);
    assertThat(f.model()).isEqualTo("acme/phi:mini");
    assertThat(f.expected()).isEqualTo("size=100000");
    assertThat(f.actual()).isEqualTo("size=1000");
  }

  @Test
  void flippedByteIsFoundByHashingOnly() throws Exception {
    StoreBuilder store = good().flipByte(weights(PHI), 4242);
    VerificationReport full = verify(store);
    assertThat(kinds(full)).containsExactly(FindingKind.BLOB_DIGEST_MISMATCH);
    assertThat(full.findings().get(0).expected()).isEqualTo("sha256=" + weights(PHI).hex());
    assertThat(full.findings().get(0).actual())
        .startsWith("sha256=")
        .isNotEqualTo(full.findings().get(0).expected());

    VerificationReport size = verify(store, false);
    assertThat(size.findings()).isEmpty();
    assertThat(size.mode()).isEqualTo("size");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
  void fifoNamedLikeABlobIsNeverOpened() throws Exception {
    VerificationReport report = verify(good().fifoInsteadOf(weights(PHI)));
    assertThat(kinds(report)).containsExactly(FindingKind.BLOB_NOT_REGULAR_FILE);
    assertThat(report.findings().get(0).message()).contains("a FIFO, socket or device");
  }

  @Test
  void directoryNamedLikeABlob() throws Exception {
    VerificationReport report = verify(good().directoryInsteadOf(weights(PHI)));
    assertThat(kinds(report)).containsExactly(FindingKind.BLOB_NOT_REGULAR_FILE);
  }

  @Test
  void symlinkLeavingTheStore() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    VerificationReport report = verify(good().symlinkOutside(weights(PHI), outside));
    assertThat(kinds(report)).containsExactly(FindingKind.BLOB_OUTSIDE_STORE);
  }

  /**
   * A blob whose file cannot be resolved (a symbolic link to itself: ELOOP, which stops root too)
   * is an ERROR for the models using it, never OK by default.
   */
  @Test
  void unreadableBlobIsAnErrorForEveryModelUsingIt() throws Exception {
    StoreBuilder store = good().deleteBlob(weights(LLAMA));
    Path blob = store.blob(weights(LLAMA));
    Files.createSymbolicLink(blob, blob.getFileName());

    VerificationReport report = verify(store);

    assertThat(kinds(report)).containsExactly(FindingKind.BLOB_UNREADABLE);
    Finding f = report.findings().get(0);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.model()).isEqualTo("llama3:8b,llama3:latest");
    assertThat(f.digest()).isEqualTo(weights(LLAMA).toString());
    assertThat(f.path()).isEqualTo(blob.toString());
    assertThat(f.message()).startsWith(blob + ": ").contains("symbolic links");
    assertThat(f.hint()).isEqualTo("check the file's permissions and the mount");
    assertThat(report.ok()).isFalse();
    assertThat(report.models())
        .filteredOn(ModelResult::ok)
        .extracting(ModelResult::display)
        .containsExactly("acme/phi:mini");
  }

  @Test
  void symlinkInsideTheStoreIsFine() throws Exception {
    StoreBuilder store = good();
    Path inside = Files.createDirectories(store.root().resolve("elsewhere"));
    VerificationReport report = verify(store.symlinkOutside(weights(PHI), inside));
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void storeRootThroughASymlink() throws Exception {
    good();
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("models"));
    VerificationReport report =
        new StoreVerifier(
                new org.ollamaairgap.common.store.StoreLayout(link),
                new StoreVerifier.Options(true, 1, List.of()),
                VerifyListener.NONE)
            .verify();
    assertThat(report.findings()).isEmpty();
    assertThat(report.models()).hasSize(3);
  }

  @Test
  void legacyBlobNameIsAnErrorAndTheBlobMissing() throws Exception {
    StoreBuilder store = good().legacyName(weights(PHI));
    VerificationReport report = verify(store);
    assertThat(kinds(report))
        .containsExactlyInAnyOrder(FindingKind.LEGACY_BLOB_NAME, FindingKind.BLOB_MISSING);
    Finding legacy =
        report.findings().stream()
            .filter(f -> f.kind() == FindingKind.LEGACY_BLOB_NAME)
            .findFirst()
            .orElseThrow();
    assertThat(legacy.hint()).startsWith("rename it to " + weights(PHI).fileName());
  }

  @Test
  void missingBlobsDirIsAnError() throws Exception {
    VerificationReport report = verify(StoreBuilder.at(dir.resolve("models")).deleteBlobsDir());
    // manifests/ is there but empty: Ollama's prune would remove it, hence the warning.
    assertThat(kinds(report))
        .containsExactly(FindingKind.BLOBS_DIR_MISSING, FindingKind.EMPTY_MANIFEST_DIR);
  }

  @Test
  void missingManifestsDirIsAnError() throws Exception {
    VerificationReport report = verify(StoreBuilder.at(dir.resolve("models")).deleteManifestsDir());
    assertThat(kinds(report)).containsExactly(FindingKind.MANIFESTS_DIR_MISSING);
    assertThat(report.ok()).isFalse();
  }

  @Test
  void emptyManifestDirectoriesAreWarnedOnceAtTheTop() throws Exception {
    StoreBuilder store =
        good()
            .emptyManifestDir("registry.ollama.ai/library/gone/a")
            .emptyManifestDir("registry.ollama.ai/library/gone/b")
            .emptyManifestDir("example.com");
    VerificationReport report = verify(store);
    assertThat(report.findings())
        .extracting(Finding::kind, Finding::path)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.EMPTY_MANIFEST_DIR,
                store
                    .layout()
                    .manifestsDir()
                    .resolve("registry.ollama.ai/library/gone")
                    .toString()),
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.EMPTY_MANIFEST_DIR,
                store.layout().manifestsDir().resolve("example.com").toString()));
    assertThat(report.ok()).isTrue();
  }

  @Test
  void leftoversAndUnreferencedBlobsAreWarnings() throws Exception {
    String hex = "ab".repeat(32);
    SyntheticBlob orphan = SyntheticBlob.random(99, 5000);
    StoreBuilder store =
        good()
            .blobsFile("sha256-" + hex + "-partial", 10)
            .blobsFile("sha256-" + hex + "-partial-0", 20)
            .blobsFile("sha256-" + hex + ".tmp", 30)
            .blobsFile("sha256-1234567890", 40)
            .addUnreferenced(orphan);
    VerificationReport report = verify(store);

    assertThat(report.findings())
        .extracting(Finding::kind, Finding::actual)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FindingKind.PARTIAL_LEFTOVER, "2 files, 30 bytes"),
            org.assertj.core.groups.Tuple.tuple(FindingKind.TMP_LEFTOVER, "1 files, 30 bytes"),
            org.assertj.core.groups.Tuple.tuple(FindingKind.STRAY_BLOB_FILE, "1 files, 40 bytes"),
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.UNREFERENCED_BLOBS, "1 blobs, 5000 bytes"));
    assertThat(report.findings()).allMatch(f -> f.severity() == Severity.WARNING);
    assertThat(report.unreferencedBlobs()).isEqualTo(1);
    assertThat(report.unreferencedBytes()).isEqualTo(5000);
    assertThat(report.ok()).isTrue();
  }

  @Test
  void invalidManifestsAndNames() throws Exception {
    StoreBuilder store =
        good()
            .manifestFile("registry.ollama.ai/library/broken/latest", "{\"schemaVersion\":2}")
            .manifestFile("registry.ollama.ai/library/bad name/latest", "{}")
            .manifestFile("registry.ollama.ai/library/shallow", "{}")
            .manifestFile("registry.ollama.ai/library/deep/er/latest", "{}");
    VerificationReport report = verify(store);

    assertThat(report.findings())
        .extracting(Finding::kind, Finding::model)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(FindingKind.INVALID_MANIFEST, "broken:latest"),
            org.assertj.core.groups.Tuple.tuple(FindingKind.INVALID_MODEL_NAME, null),
            org.assertj.core.groups.Tuple.tuple(FindingKind.IGNORED_MANIFEST_FILE, null),
            org.assertj.core.groups.Tuple.tuple(FindingKind.IGNORED_MANIFEST_FILE, null));
    assertThat(report.findings().get(0).severity()).isEqualTo(Severity.ERROR);
    assertThat(
            report.findings().stream()
                .filter(f -> f.kind() == FindingKind.INVALID_MANIFEST)
                .findFirst()
                .orElseThrow()
                .message())
        .isEqualTo(
            "manifest "
                + store.manifest("broken")
                + " is invalid manifest: config is missing, expected an object");
  }

  @Test
  void requireAndExpect() throws Exception {
    StoreBuilder store = good();
    String pinned = LLAMA.manifest().digest().toString();
    VerificationReport ok =
        verify(
            store,
            Requirement.require("LLAMA3:8B"),
            Requirement.expect("llama3:8b@" + pinned),
            Requirement.require("registry.ollama.ai/acme/phi:mini"));
    assertThat(ok.findings()).isEmpty();

    String other = "sha256:" + "0".repeat(64);
    VerificationReport bad =
        verify(store, Requirement.require("mistral"), Requirement.expect("llama3:8b@" + other));
    assertThat(bad.findings())
        .extracting(Finding::kind, Finding::model, Finding::expected, Finding::actual)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.REQUIRED_MODEL_MISSING, "mistral:latest", "a manifest", "none"),
            org.assertj.core.groups.Tuple.tuple(
                FindingKind.EXPECTED_DIGEST_MISMATCH, "llama3:8b", other, pinned));
  }

  @Test
  void badRequirementsAreRejected() {
    assertThatThrownBy(() -> Requirement.expect("llama3:8b"))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "'llama3:8b' is not name@sha256:<64 hex>: --expect pins a model to the SHA-256 of its"
                + " manifest file");
    assertThatThrownBy(() -> Requirement.expect("llama3:8b@sha256:abc"))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> Requirement.require("bad name")).isInstanceOf(StoreException.class);
  }

  @Test
  void missingStoreIsAnEnvironmentProblem() {
    StoreVerifier verifier =
        new StoreVerifier(
            new org.ollamaairgap.common.store.StoreLayout(dir.resolve("nope")),
            new StoreVerifier.Options(true, 1, List.of()),
            VerifyListener.NONE);
    assertThatThrownBy(verifier::verify)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage(
            "models directory "
                + dir.resolve("nope")
                + " does not exist: check OLLAMA_MODELS / --models-dir and the volume mount");
  }

  @Test
  void neverWritesToTheStore() throws Exception {
    StoreBuilder store = good().truncate(weights(PHI), 10).emptyManifestDir("x");
    String before = tree(store.root());
    verify(store);
    assertThat(tree(store.root())).isEqualTo(before);
  }

  static String tree(Path root) throws Exception {
    StringBuilder out = new StringBuilder();
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted().toList()) {
        out.append(root.relativize(p))
            .append(' ')
            .append(Files.isRegularFile(p) ? Files.size(p) : -1)
            .append(' ')
            .append(Files.getLastModifiedTime(p))
            .append('\n');
      }
    }
    return out.toString();
  }
}
