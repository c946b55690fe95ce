package org.ollamaairgap.stager.prune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;
import org.ollamaairgap.testing.Fixtures;
import org.ollamaairgap.testing.LocalRegistry;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * {@code --prune} through the program, against the real registry: a, b and c share blobs; the list
 * drops b. The verifier passes the store after every run.
 */
@QuarkusMainTest
class PruneMainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final Fixtures FIXTURES = new Fixtures();

  private static SyntheticModel a;
  private static SyntheticModel b;
  private static SyntheticModel c;

  @TempDir Path tmp;

  @BeforeAll
  static void pushModels() throws Exception {
    LocalRegistry registry = FIXTURES.registry();
    String host = "127.0.0.1:" + registry.port() + "/library/";
    a = SyntheticModel.typical(host + "a:1", 41, 60_000);
    b = SyntheticModel.typical(host + "b:1", 42, 70_000);
    c = SyntheticModel.typical(host + "c:1", 43, 80_000);
    for (SyntheticModel m : List.of(a, b, c)) {
      registry.push(m);
    }
  }

  private JsonNode stage(QuarkusMainLauncher launcher, Path models, int exit, String... args)
      throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--driver=registry",
                "--insecure",
                "--linger=0",
                "--models-dir",
                models.toString(),
                "--termination-log",
                tmp.resolve("no-termination-log").toString()));
    all.addAll(List.of(args));
    LaunchResult result = launcher.launch(all.toArray(String[]::new));
    assertThat(result.exitCode()).as("exit of %s:%n%s", all, result.getOutput()).isEqualTo(exit);
    List<String> out = result.getOutputStream();
    return JSON.readTree(out.get(out.size() - 1));
  }

  private static String list(SyntheticModel... models) {
    return String.join(",", Stream.of(models).map(m -> m.name().toString()).toList());
  }

  private static Set<Digest> onlyB() {
    Set<Digest> only = new HashSet<>(b.blobs().keySet());
    only.removeAll(a.blobs().keySet());
    only.removeAll(c.blobs().keySet());
    return only;
  }

  private static void assertVerifies(Path models) throws Exception {
    VerificationReport report =
        new StoreVerifier(
                new StoreLayout(models),
                new StoreVerifier.Options(true, 2, List.of()),
                VerifyListener.NONE)
            .verify();
    assertThat(report.findings().stream().filter(f -> f.severity() == Severity.ERROR)).isEmpty();
  }

  /** Ollama's part of the store: every file under manifests/ and blobs/, with its SHA-256. */
  private static Map<String, String> ollamaFiles(Path models) throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (String part : List.of("manifests", "blobs")) {
      try (Stream<Path> walk = Files.walk(models.resolve(part))) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          files.put(
              models.relativize(p).toString(),
              Files.isRegularFile(p) ? Sha256.file(p, n -> {}).digest().toString() : "dir");
        }
      }
    }
    return files;
  }

  @Test
  void theExportEndsUpHoldingExactlyTheListAndBlobsGoOnlyAfterTheGrace(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    stage(launcher, models, 0, "--models", list(a, b, c));
    assertVerifies(models);

    // dry-run: the plan is in the summary, nothing of Ollama's changes
    Map<String, String> before = ollamaFiles(models);
    JsonNode dry = stage(launcher, models, 0, "--prune=dry-run", "--models", list(a, c));
    assertThat(dry.path("prune").path("mode").asText()).isEqualTo("dry-run");
    assertThat(dry.path("prune").path("removedModels").get(0).asText()).contains("/library/b:1");
    assertThat(ollamaFiles(models)).isEqualTo(before);
    assertThat(new StoreLayout(models).tombstones()).doesNotExist();

    // on: b's manifest goes, its own blobs wait
    JsonNode on = stage(launcher, models, 0, "--prune", "--models", list(a, c));
    assertThat(on.path("prune").path("mode").asText()).isEqualTo("on");
    assertThat(on.path("prune").path("manifestsRemoved").asInt()).isEqualTo(1);
    assertThat(on.path("prune").path("blobsTombstoned").asInt()).isEqualTo(onlyB().size());
    assertThat(on.path("prune").path("blobsDeleted").asInt()).isZero();
    StoreLayout layout = new StoreLayout(models);
    assertThat(layout.manifest(b.name())).doesNotExist();
    assertThat(layout.manifest(b.name()).getParent()).doesNotExist();
    for (Digest d : b.blobs().keySet()) {
      assertThat(layout.blob(d)).exists();
    }
    assertVerifies(models);

    // a later run past the grace deletes b's own blobs and keeps the shared ones
    JsonNode later =
        stage(launcher, models, 0, "--prune=on", "--prune-grace=0s", "--models", list(a, c));
    assertThat(later.path("prune").path("blobsDeleted").asInt()).isEqualTo(onlyB().size());
    long bOnlyBytes = onlyB().stream().mapToLong(d -> b.blobs().get(d).size()).sum();
    assertThat(later.path("prune").path("prunedBytes").asLong()).isEqualTo(bOnlyBytes);
    for (Digest d : onlyB()) {
      assertThat(layout.blob(d)).doesNotExist();
    }
    for (Digest d : a.blobs().keySet()) {
      assertThat(layout.blob(d)).exists();
    }
    assertVerifies(models);
  }

  @Test
  void aRunWithAFailedModelPrunesNothing(QuarkusMainLauncher launcher) throws Exception {
    Path models = tmp.resolve("models");
    stage(launcher, models, 0, "--models", list(a, b));
    String missing = a.name().host() + "/library/nosuch:1";
    JsonNode failed = stage(launcher, models, 1, "--prune=on", "--models", list(a) + "," + missing);
    assertThat(failed.has("prune")).isFalse();
    assertThat(new StoreLayout(models).manifest(b.name())).exists();
  }

  @Test
  void aModeThatIsNotOneOfTheThreeIsAUsageError(QuarkusMainLauncher launcher) throws Exception {
    Path models = tmp.resolve("models");
    JsonNode usage = stage(launcher, models, 2, "--prune=sometimes", "--models", list(a));
    assertThat(usage.path("reason").asText())
        .contains("--prune (STAGER_PRUNE)")
        .contains("'sometimes' is not one of: off, dry-run, on");
    assertThat(models.resolve("manifests")).doesNotExist();
  }
}
