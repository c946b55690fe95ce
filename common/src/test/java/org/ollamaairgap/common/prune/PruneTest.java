package org.ollamaairgap.common.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.common.verify.FindingKind;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Prunes real stores: a, b, c share the template and params blobs; b is dropped from the list. The
 * verifier runs on the store after every step.
 */
class PruneTest {
  static final SyntheticModel A = SyntheticModel.typical("a:1", 1, 40_000);
  static final SyntheticModel B = SyntheticModel.typical("b:1", 2, 50_000);
  static final SyntheticModel C = SyntheticModel.typical("c:1", 3, 60_000);
  static final SyntheticModel HAND = SyntheticModel.typical("myreg:5000/team/x:1", 4, 10_000);
  static final Duration GRACE = Duration.ofHours(24);
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  StoreBuilder abc() throws IOException {
    return StoreBuilder.at(dir.resolve("models")).add(A).add(B).add(C);
  }

  static List<ModelName> names(SyntheticModel... models) {
    return Stream.of(models).map(SyntheticModel::name).toList();
  }

  static PrunePlan plan(StoreBuilder store, Instant now, SyntheticModel... listed)
      throws IOException {
    return plan(store, now, PruneScope.listed(names(listed)), listed);
  }

  static PrunePlan plan(StoreBuilder store, Instant now, PruneScope scope, SyntheticModel... listed)
      throws IOException {
    Tombstones.Read previous = Tombstones.read(store.layout().tombstones());
    assertThat(previous.warning()).isNull();
    return PrunePlan.make(
        StoreContents.scan(store.layout()),
        previous.tombstones(),
        new PrunePlan.Rules(names(listed), scope, GRACE, now));
  }

  static PruneResult prune(StoreBuilder store, Instant now, SyntheticModel... listed)
      throws IOException {
    return prune(store, plan(store, now, listed), (p, n, m, w) -> {});
  }

  static PruneResult prune(StoreBuilder store, PrunePlan plan, PruneListener listener)
      throws IOException {
    return new Pruner(new StoreWriter(store.layout()), listener).carryOut(plan, GRACE);
  }

  /** Blobs only {@code model} uses among {@code models}. */
  static Set<Digest> onlyIn(SyntheticModel model, SyntheticModel... others) {
    Set<Digest> only = new HashSet<>(model.blobs().keySet());
    for (SyntheticModel other : others) {
      only.removeAll(other.blobs().keySet());
    }
    return only;
  }

  static VerificationReport verify(StoreBuilder store) throws Exception {
    return new StoreVerifier(
            store.layout(), new StoreVerifier.Options(true, 2, List.of()), VerifyListener.NONE)
        .verify();
  }

  static void assertVerifies(StoreBuilder store) throws Exception {
    VerificationReport report = verify(store);
    assertThat(report.findings().stream().filter(f -> f.severity() == Severity.ERROR))
        .as("errors after the step")
        .isEmpty();
    assertThat(report.findings().stream().map(f -> f.kind()))
        .doesNotContain(FindingKind.EMPTY_MANIFEST_DIR);
  }

  @Test
  void droppedModelLosesItsManifestAndItsOwnBlobsWaitForTheGrace() throws Exception {
    StoreBuilder store = abc();
    Set<Digest> bOnly = onlyIn(B, A, C);
    assertThat(bOnly).isNotEmpty();
    assertThat(B.blobs().keySet()).containsAnyElementsOf(A.blobs().keySet()); // shared ones

    List<String> log = new ArrayList<>();
    PruneResult first =
        prune(store, plan(store, T0, A, C), (p, n, m, why) -> log.add(p + " " + why));

    assertThat(store.manifest("b:1")).doesNotExist();
    assertThat(store.manifest("b:1").getParent()).doesNotExist(); // no empty model directory
    assertThat(first.manifestsRemoved()).isEqualTo(1);
    assertThat(first.blobsDeleted()).isZero();
    assertThat(first.blobsTombstoned()).isEqualTo(bOnly.size());
    for (Digest d : B.blobs().keySet()) {
      assertThat(store.blob(d)).as("blobs stay until the grace").exists();
    }
    Tombstones tombstones = Tombstones.read(store.layout().tombstones()).tombstones();
    assertThat(tombstones.all())
        .extracting(Tombstone::digest)
        .containsExactlyInAnyOrderElementsOf(bOnly);
    assertThat(tombstones.all()).allSatisfy(t -> assertThat(t.since()).isEqualTo(T0));
    assertThat(tombstones.all())
        .allSatisfy(t -> assertThat(t.model()).isEqualTo("registry.ollama.ai/library/b:1"));
    assertThat(log).singleElement().asString().contains("b:1", "not listed");
    assertVerifies(store);

    // Within the grace: nothing more happens.
    PruneResult early = prune(store, T0.plus(GRACE).minusSeconds(1), A, C);
    assertThat(early.blobsDeleted()).isZero();
    assertVerifies(store);

    // After the grace: b's own blobs go, the shared ones stay.
    PruneResult late = prune(store, T0.plus(GRACE), A, C);
    assertThat(late.blobsDeleted()).isEqualTo(bOnly.size());
    for (Digest d : bOnly) {
      assertThat(store.blob(d)).doesNotExist();
    }
    for (Digest d : A.blobs().keySet()) {
      assertThat(store.blob(d)).exists();
    }
    long bOnlyBytes = bOnly.stream().mapToLong(d -> B.blobs().get(d).size()).sum();
    assertThat(late.bytes()).isEqualTo(bOnlyBytes);
    assertThat(late.bytesByModel()).containsEntry("registry.ollama.ai/library/b:1", bOnlyBytes);
    assertThat(Tombstones.read(store.layout().tombstones()).tombstones().isEmpty()).isTrue();
    assertVerifies(store);
  }

  @Test
  void aZeroGraceStillNeverDeletesInTheRunThatUnreferencedTheBlob() throws Exception {
    StoreBuilder store = abc();
    PrunePlan plan =
        PrunePlan.make(
            StoreContents.scan(store.layout()),
            Tombstones.empty(),
            new PrunePlan.Rules(names(A, C), PruneScope.listed(names(A, C)), Duration.ZERO, T0));
    assertThat(plan.deletions()).isEmpty();
    prune(store, plan, (p, n, m, w) -> {});
    PrunePlan next =
        PrunePlan.make(
            StoreContents.scan(store.layout()),
            Tombstones.read(store.layout().tombstones()).tombstones(),
            new PrunePlan.Rules(names(A, C), PruneScope.listed(names(A, C)), Duration.ZERO, T0));
    assertThat(next.deletions())
        .extracting(Tombstone::digest)
        .containsExactlyInAnyOrderElementsOf(onlyIn(B, A, C));
  }

  @Test
  void aBlobReferencedAgainLosesItsTombstone() throws Exception {
    StoreBuilder store = abc();
    prune(store, T0, A, C);
    store.add(B); // b is listed again and re-staged before the grace ran out
    PrunePlan plan = plan(store, T0.plus(GRACE.multipliedBy(2)), A, B, C);
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.revived()).containsExactlyInAnyOrderElementsOf(onlyIn(B, A, C));
    prune(store, plan, (p, n, m, w) -> {});
    assertThat(Tombstones.read(store.layout().tombstones()).tombstones().isEmpty()).isTrue();
    assertVerifies(store);
  }

  @Test
  void aTombstoneOfABlobThatWasReferencedMeanwhileRestartsTheGrace() throws Exception {
    StoreBuilder store = abc();
    prune(store, T0, A, C);
    store.add(B);
    // b is dropped again a week later: its blobs wait a full grace from now, not from T0.
    Instant later = T0.plus(Duration.ofDays(7));
    PrunePlan plan = plan(store, later, A, C);
    assertThat(plan.deletions()).isEmpty();
    assertThat(plan.tombstones().all()).allSatisfy(t -> assertThat(t.since()).isEqualTo(later));
  }

  @Test
  void scopeKeepsHandStagedModelsUnlessAskedForAll() throws Exception {
    StoreBuilder store = abc().add(HAND);
    PrunePlan listed = plan(store, T0, A, B, C);
    assertThat(listed.removals()).isEmpty();
    assertThat(listed.tombstones().isEmpty()).isTrue();

    PrunePlan all = plan(store, T0, PruneScope.parse(List.of("all"), names(A, B, C)), A, B, C);
    assertThat(all.removals())
        .extracting(r -> r.name().toString())
        .containsExactly("myreg:5000/team/x:1");

    PrunePlan named = plan(store, T0, PruneScope.parse(List.of("MyReg:5000/Team"), names(A)), A);
    assertThat(named.removals())
        .extracting(r -> r.name().model())
        .containsExactlyInAnyOrder("b", "c", "x");
    prune(store, named, (p, n, m, w) -> {});
    assertThat(store.root().resolve("manifests/myreg:5000")).doesNotExist();
    assertVerifies(store);
  }

  @Test
  void listedNamesMatchIgnoringCaseAsOllamaDoes() throws Exception {
    StoreBuilder store = abc();
    PrunePlan plan =
        PrunePlan.make(
            StoreContents.scan(store.layout()),
            Tombstones.empty(),
            new PrunePlan.Rules(
                List.of(ModelName.parse("A:1"), ModelName.parse("B:1"), ModelName.parse("c:1")),
                PruneScope.listed(names(A)),
                GRACE,
                T0));
    assertThat(plan.removals()).isEmpty();
  }

  @Test
  void anUnreadableManifestHoldsBackEveryBlobButNotTheRemovals() throws Exception {
    StoreBuilder store = abc().manifestFile("registry.ollama.ai/library/d/1", "{not json");
    PrunePlan plan = plan(store, T0, A, C);
    assertThat(plan.blobsHeldBack()).contains("manifests/registry.ollama.ai/library/d/1");
    assertThat(plan.removals()).extracting(r -> r.name().model()).containsExactly("b");
    assertThat(plan.deletions()).isEmpty();
    prune(store, plan, (p, n, m, w) -> {});
    assertThat(store.layout().tombstones()).doesNotExist();
    assertThat(store.manifest("registry.ollama.ai/library/d:1")).exists(); // never ours to judge
  }

  @Test
  void blobsNoManifestEverReferencedAreTombstonedToo() throws Exception {
    SyntheticBlob stray = SyntheticBlob.random(9, 1234);
    StoreBuilder store = abc().addUnreferenced(stray).blobsFile("sha256-notahash", 10);
    PrunePlan plan = plan(store, T0, A, B, C);
    assertThat(plan.tombstones().all())
        .extracting(Tombstone::digest)
        .containsExactly(stray.digest());
    assertThat(plan.tombstones().get(stray.digest()).model()).isEmpty();
    prune(store, plan, (p, n, m, w) -> {});
    prune(store, T0.plus(GRACE), A, B, C);
    assertThat(store.blob(stray.digest())).doesNotExist();
    assertThat(store.root().resolve("blobs/sha256-notahash")).exists(); // not an Ollama blob name
  }

  @Test
  void aKillAtAnyStepLeavesAStoreThatVerifiesAndTheNextPruneFinishes() throws Exception {
    for (int killAt = 0; killAt < 6; killAt++) {
      Path root = dir.resolve("kill-" + killAt);
      StoreBuilder store =
          StoreBuilder.at(root).add(A).add(B).add(C).add(SyntheticModel.typical("b:2", 5, 100));
      prune(store, T0, A, C);
      store.add(SyntheticModel.typical("e:1", 6, 100));
      int limit = killAt;
      int[] calls = {0};
      try {
        prune(
            store,
            plan(store, T0.plus(GRACE), A, C),
            (p, n, m, w) -> {
              if (calls[0]++ == limit) {
                throw new IllegalStateException("killed");
              }
            });
        assertThat(killAt).as("the prune at step %d was not killed", killAt).isGreaterThan(3);
      } catch (IllegalStateException e) {
        assertThat(e).hasMessage("killed");
      }
      assertVerifies(store);
      prune(store, T0.plus(GRACE), A, C);
      prune(store, T0.plus(GRACE.multipliedBy(2)), A, C);
      assertVerifies(store);
      assertThat(store.root().resolve("manifests/registry.ollama.ai/library/b")).doesNotExist();
      assertThat(store.root().resolve("manifests/registry.ollama.ai/library/e")).doesNotExist();
      for (Digest d : onlyIn(B, A, C)) {
        assertThat(store.blob(d)).doesNotExist();
      }
    }
  }

  @Test
  void trashLeftByAKilledPruneAndOldStagingFilesAreCleaned() throws Exception {
    StoreBuilder store = abc();
    Path trash = store.layout().pruneTrash("dead");
    Files.createDirectories(trash.resolve("b"));
    Files.writeString(trash.resolve("b/1"), "{}");
    Path oldPartial = store.layout().stagingDir().resolve("sha256-" + "a".repeat(64) + ".partial");
    Files.write(oldPartial, new byte[100]);
    Files.setLastModifiedTime(oldPartial, java.nio.file.attribute.FileTime.from(T0.minus(GRACE)));
    Path fresh = store.layout().stagingDir().resolve("manifest.1234.tmp");
    Files.write(fresh, new byte[1]);
    Files.setLastModifiedTime(fresh, java.nio.file.attribute.FileTime.from(T0));
    Path lock = store.layout().lockFile();
    Files.writeString(lock, "held");

    PruneResult result = prune(store, T0, A, B, C);
    assertThat(result.leftoversDeleted()).isEqualTo(2);
    assertThat(trash).doesNotExist();
    assertThat(oldPartial).doesNotExist();
    assertThat(fresh).exists();
    assertThat(lock).exists();
  }

  @Test
  void linksAreRemovedNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "precious");
    StoreBuilder store = abc();
    Path trash = store.layout().pruneTrash("links");
    Files.createDirectories(trash);
    Files.createSymbolicLink(trash.resolve("out"), outside);
    prune(store, T0, A, B, C);
    assertThat(outside.resolve("keep")).hasContent("precious");
    assertThat(trash).doesNotExist();
  }

  @Test
  void aLinkedManifestsOrBlobsDirectoryIsRefused() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    StoreBuilder store = abc();
    Path blobs = store.layout().blobsDir();
    Files.move(blobs, elsewhere.resolve("blobs"));
    Files.createSymbolicLink(blobs, elsewhere.resolve("blobs"));
    assertThatThrownBy(() -> StoreContents.scan(store.layout()))
        .hasMessageContaining("refusing to prune")
        .hasMessageContaining(blobs.toString());
  }

  @Test
  void makingAPlanChangesNothing() throws Exception {
    StoreBuilder store = abc();
    prune(store, T0, A, C);
    Map<String, String> before = snapshot(store.root());
    PrunePlan plan = plan(store, T0.plus(GRACE), A);
    assertThat(plan.isEmpty()).isFalse();
    assertThat(snapshot(store.root())).isEqualTo(before);
  }

  @Test
  void theVerifierNamesThePendingDeletionInItsWarning() throws Exception {
    StoreBuilder store = abc();
    prune(store, T0, A, C);
    VerificationReport report = verify(store);
    assertThat(report.findings())
        .filteredOn(f -> f.kind() == FindingKind.UNREFERENCED_BLOBS)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.message())
                  .contains("all of them are pending deletion by the stager's prune")
                  .contains("since " + T0);
            });
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        tree.put(
            root.relativize(p).toString(),
            Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p));
      }
    }
    return tree;
  }
}
