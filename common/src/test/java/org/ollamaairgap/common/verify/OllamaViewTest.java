package org.ollamaairgap.common.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Issue #11: the verifier sees a store as {@code ollama serve} will (Ollama's server/routes.go
 * getExistingName, server/fixblobs.go, manifest/manifest.go Manifests, server/model_list_cache.go).
 * One generated store per finding; each row names the models that must fail and whether Ollama may
 * start.
 */
class OllamaViewTest {
  @TempDir Path dir;

  @FunctionalInterface
  interface Prep {
    void apply(StoreBuilder store, Path outside) throws Exception;
  }

  static SyntheticModel model(String name, long seed) {
    return SyntheticModel.typical(name, seed, 1000);
  }

  static SyntheticModel withConfig(String name, String config) {
    return SyntheticModel.named(name)
        .config(SyntheticBlob.text(config))
        .layer(Descriptor.MODEL_MEDIA_TYPE, SyntheticBlob.random(7, 1000))
        .build();
  }

  static Arguments row(String name, Prep prep, List<FindingKind> kinds, List<String> failed) {
    return Arguments.of(name, prep, kinds, failed);
  }

  static Stream<Arguments> stores() {
    return Stream.of(
        row(
            "namespace in two spellings, different models",
            (s, o) -> s.add(model("tiny", 1)).add(model("Library/other", 2)),
            List.of(FindingKind.CASE_VARIANT),
            List.of("other:latest", "tiny:latest")),
        row(
            "model in two spellings",
            (s, o) -> s.add(model("Tiny", 1)).add(model("tiny", 2)),
            List.of(FindingKind.CASE_VARIANT),
            List.of("Tiny:latest", "tiny:latest")),
        row(
            "tag in two spellings in different models",
            (s, o) -> s.add(model("hf.co/a/x:Q4_K_M", 1)).add(model("hf.co/a/y:q4_K_M", 2)),
            List.of(FindingKind.CASE_VARIANT),
            List.of("hf.co/a/x:Q4_K_M", "hf.co/a/y:q4_K_M")),
        row(
            "host in two spellings",
            (s, o) -> s.add(model("Example.com/ns/a", 1)).add(model("example.com/ns/b", 2)),
            List.of(FindingKind.CASE_VARIANT),
            List.of("Example.com/ns/a:latest", "example.com/ns/b:latest")),
        row(
            "one spelling per part is fine",
            (s, o) -> s.add(model("llama3.2:1b", 1)).add(model("llama3.2:3b", 2)),
            List.of(),
            List.of()),
        row(
            "dangling symlink at manifests/*/*/*/* breaks every model",
            (s, o) ->
                Files.createSymbolicLink(s.manifest("tiny:gone"), s.root().resolve("nowhere")),
            List.of(FindingKind.MANIFEST_LISTING_BROKEN),
            List.of("tiny:latest", "acme/other:latest")),
        row(
            "symlink loop deeper than Ollama's glob reaches is no error",
            (s, o) -> {
              Path deep =
                  Files.createDirectories(
                      s.layout().manifestsDir().resolve("registry.ollama.ai/library/tiny/x/y"));
              Files.createSymbolicLink(deep.resolve("loop"), deep.resolve("loop"));
              Files.createSymbolicLink(deep.resolve("up"), deep.getParent());
            },
            List.of(),
            List.of()),
        row(
            "symlinked directory out of the store under manifests/ is named, not walked",
            (s, o) ->
                Files.createSymbolicLink(
                    s.layout().manifestsDir().resolve("proc"), Path.of("/proc")),
            List.of(FindingKind.LINK_OUTSIDE_STORE),
            List.of()),
        row(
            "legacy blob name deep under blobs/",
            (s, o) -> {
              Path sub = Files.createDirectories(s.layout().blobsDir().resolve("x/y"));
              Files.writeString(sub.resolve("sha256:abcd"), "old");
            },
            List.of(FindingKind.LEGACY_BLOB_NAME),
            List.of()),
        row(
            "symlinked directory out of the store under blobs/ is named, not walked",
            (s, o) -> {
              Files.writeString(o.resolve("sha256:" + "ab".repeat(32)), "old");
              Files.createSymbolicLink(s.layout().blobsDir().resolve("elsewhere"), o);
            },
            List.of(FindingKind.LINK_OUTSIDE_STORE),
            List.of()),
        row(
            "dot-files at manifest depth are warnings",
            (s, o) ->
                s.manifestFile("registry.ollama.ai/library/tiny/.DS_Store", "junk")
                    .manifestFile("registry.ollama.ai/library/tiny/._latest", "junk"),
            List.of(FindingKind.DOT_FILE, FindingKind.DOT_FILE),
            List.of()),
        row(
            "config that is not a JSON object hides the model",
            (s, o) -> s.add(withConfig("hidden:1b", "[\"not\",\"an\",\"object\"]")),
            List.of(FindingKind.CONFIG_UNREADABLE),
            List.of("hidden:1b")),
        row(
            "config field of the wrong type, key in another case",
            (s, o) -> s.add(withConfig("hidden:1b", "{\"Model_Families\":\"llama\"}")),
            List.of(FindingKind.CONFIG_UNREADABLE),
            List.of("hidden:1b")),
        row(
            "config with unknown fields and trailing data is what Ollama decodes",
            (s, o) ->
                s.add(withConfig("fine:1b", "{\"context_length\":8192,\"extra\":[1]} trailing")),
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void eachStoreGivesExactlyItsFinding(
      String name, Prep prep, List<FindingKind> kinds, List<String> failed) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    StoreBuilder store = StoreBuilder.at(dir.resolve("models"));
    if (!name.contains("spelling")) {
      store.add(model("tiny", 1)).add(model("acme/other", 2));
    }
    prep.apply(store, outside);

    VerificationReport report = StoreVerifierTest.verify(store);

    assertThat(StoreVerifierTest.kinds(report)).as(name).containsExactlyInAnyOrderElementsOf(kinds);
    boolean errors = kinds.stream().anyMatch(k -> k.severity() == Severity.ERROR);
    assertThat(report.ok()).as(name).isEqualTo(!errors);
    assertThat(report.models().stream().filter(m -> !m.ok()).map(ModelResult::display))
        .as(name)
        .containsExactlyInAnyOrderElementsOf(failed);
  }

  @Test
  void caseVariantNamesEveryModelAtRiskBothSpellingsAndTheFix() throws Exception {
    StoreBuilder store =
        StoreBuilder.at(dir.resolve("models"))
            .add(model("tiny", 1))
            .add(model("tiny:q4", 3))
            .add(model("Library/other", 2));

    Finding f = StoreVerifierTest.verify(store).findings().get(0);

    Path manifests = store.layout().manifestsDir();
    assertThat(f.line())
        .isEqualTo(
            "ERROR CASE_VARIANT model=other:latest,tiny:latest,tiny:q4 path="
                + manifests.resolve("registry.ollama.ai/Library")
                + " expected one spelling of the namespace actual 'Library', 'library': the"
                + " namespace is spelled 'Library' (other:latest) and 'library' (tiny:latest,"
                + " tiny:q4): Ollama matches names case-insensitively and resolves each part of a"
                + " request to one of the spellings at random, often to a manifest path that does"
                + " not exist, so these models fail to load about half the time. What to do: on"
                + " the writable side rename "
                + manifests.resolve("registry.ollama.ai/Library")
                + " to the spelling 'library' (merge into the existing directory; where both hold"
                + " the same tag keep one), or remove the models spelled otherwise");
  }

  @Test
  void brokenEntrySaysEveryModelIsAffected() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir.resolve("models")).add(model("tiny", 1));
    Path link = store.manifest("tiny:gone");
    Files.createSymbolicLink(link, store.root().resolve("nowhere"));

    Finding f = StoreVerifierTest.verify(store).findings().get(0);

    assertThat(f.kind()).isEqualTo(FindingKind.MANIFEST_LISTING_BROKEN);
    assertThat(f.path()).isEqualTo(link.toString());
    assertThat(f.message())
        .startsWith(link + " is a symbolic link that leads nowhere (")
        .endsWith(
            ": Ollama stats every entry at manifests/*/*/*/* to list models and stops at this one,"
                + " so /api/tags fails and no model can be found; every model in the store is"
                + " affected");
    assertThat(f.hint())
        .isEqualTo("remove it (or make it a readable manifest file) on the writable side");
  }

  @Test
  void linkOutOfTheStoreNamesLinkAndTarget() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir.resolve("models")).add(model("tiny", 1));
    Path link =
        Files.createSymbolicLink(store.layout().manifestsDir().resolve("proc"), Path.of("/proc"));

    VerificationReport report = StoreVerifierTest.verify(store);

    assertThat(report.findings()).hasSize(1);
    assertThat(report.findings().get(0).message())
        .isEqualTo(
            link
                + " is a symbolic link to /proc, outside the store "
                + store.root()
                + "; the verifier does not follow it, so nothing Ollama would find through it is"
                + " checked");
  }

  @Test
  void strayFilesAreCountedBeyondTheLimitNotKept() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir.resolve("models")).add(model("tiny", 1));
    Path junk =
        Files.createDirectories(store.layout().manifestsDir().resolve("registry.ollama.ai/junk"));
    for (int i = 0; i < 500; i++) {
      Files.writeString(junk.resolve("f" + i), "");
    }
    List<Finding> beyond = new java.util.concurrent.CopyOnWriteArrayList<>();
    VerificationReport report =
        new StoreVerifier(
                store.layout(),
                new StoreVerifier.Options(true, 1, List.of()),
                new VerifyListener() {
                  @Override
                  public void foundBeyondLimit(Finding finding) {
                    beyond.add(finding);
                  }
                })
            .verify();

    assertThat(report.findings()).hasSize(VerificationReport.SHOWN_PER_KIND);
    assertThat(report.counts()).containsEntry(FindingKind.IGNORED_MANIFEST_FILE, 500L);
    assertThat(report.omitted(FindingKind.IGNORED_MANIFEST_FILE))
        .isEqualTo(500 - VerificationReport.SHOWN_PER_KIND);
    assertThat(beyond).hasSize(500 - VerificationReport.SHOWN_PER_KIND);
    assertThat(report.ok()).isTrue();
  }
}
