package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.stager.testing.HostileStore;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The stager program against a registry that misbehaves on purpose (issue 18): each case checks the
 * exit code, the reason in the summary, that nothing outside the store changed, and that a model
 * staged before still verifies pinned to its digest.
 */
@QuarkusMainTest
class HostileRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  FakeRegistry registry;
  HostileStore store;
  SyntheticModel good;
  SyntheticModel next;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    good = SyntheticModel.typical(registry.hostPort() + "/library/good:1", 41, 200_000);
    next = SyntheticModel.typical(registry.hostPort() + "/library/next:1", 42, 200_000);
    registry.push(good);
    registry.push(next);
    store = new HostileStore(tmp);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  /** Runs the program with the registry driver; the summary is stdout's last line. */
  JsonNode stage(QuarkusMainLauncher launcher, int exit, String... extra) throws Exception {
    List<String> args = new ArrayList<>(store.args());
    args.addAll(List.of(extra));
    LaunchResult result = launcher.launch(args.toArray(String[]::new));
    List<String> out = result.getOutputStream();
    assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(exit);
    return JSON.readTree(out.get(out.size() - 1));
  }

  /** Stages {@link #good} (exit 0) and remembers its manifest digest. */
  void stageGood(QuarkusMainLauncher launcher) throws Exception {
    JsonNode summary = stage(launcher, 0, good.name().toString());
    store.pin(good.name(), summary.get("models").get(0).get("manifestDigest").asText());
    store.snapshotOutside();
  }

  static String reason(JsonNode summary) {
    return summary.get("models").get(0).get("reason").asText();
  }

  @Test
  void tokenRealmOnAnotherHost_refusedWithoutARequestThere(QuarkusMainLauncher launcher)
      throws Exception {
    stageGood(launcher);
    try (FakeRegistry tokens = new FakeRegistry("localhost")) {
      registry.tokenRealm = tokens.baseUrl() + "/token";

      JsonNode summary = stage(launcher, 1, next.name().toString());

      assertThat(tokens.requests).isEmpty();
      String other = "localhost:" + tokens.hostPort().split(":", -1)[1];
      assertThat(reason(summary))
          .isEqualTo(
              registry.baseUrl()
                  + "/v2/library/next/manifests/1 sent us to "
                  + other
                  + " for a token, which is not the registry's own host "
                  + registry.hostPort()
                  + "; refused as Ollama refuses it, and nothing was sent there. If that host"
                  + " is the registry's real token server, allow it with --allow-token-host "
                  + other
                  + " (STAGER_ALLOW_TOKEN_HOST)");
      store.assertNotStaged(next.name());
      store.assertUntouchedAndGoodVerifies();
    }
  }

  @Test
  void rePullWithACorruptPreExistingBlob_keepsThePreviousManifest(QuarkusMainLauncher launcher)
      throws Exception {
    stageGood(launcher);
    // The registry now serves a new version of the tag; its weights are already in the store
    // with the right size but the wrong bytes (a crash mid-write, a disk error), so the driver
    // does not fetch them and only the re-hash can tell.
    SyntheticModel newer = SyntheticModel.typical(good.name().toString(), 43, 200_000);
    registry.push(newer);
    var weights = newer.layers().get(0).blob();
    byte[] wrong = new byte[(int) weights.size()];
    Files.write(store.layout().blob(weights.digest()), wrong);
    store.snapshotOutside();

    JsonNode summary = stage(launcher, 1, good.name().toString());

    assertThat(reason(summary))
        .startsWith("verification failed for 1 of 5 blobs: ")
        .contains(weights.digest().toString());
    assertThat(summary.get("models").get(0).get("manifestDigest").isNull()).isTrue();
    assertThat(store.layout().manifest(good.name())).hasBinaryContent(good.manifestBytes());
    store.assertUntouchedAndGoodVerifies();
  }

  @Test
  void resumeStateThatLiesAboutTheData_blobFetchedAgainInTheSameRun(QuarkusMainLauncher launcher)
      throws Exception {
    stageGood(launcher);
    var weights = next.layers().get(0).blob();
    var layout = store.layout();
    Files.writeString(
        layout.partsState(weights.digest()),
        "{\"version\":1,\"digest\":\""
            + weights.digest()
            + "\",\"size\":"
            + weights.size()
            + ",\"parts\":[{\"offset\":0,\"size\":"
            + weights.size()
            + ",\"completed\":"
            + weights.size()
            + "}]}");
    Files.write(layout.partialBlob(weights.digest()), new byte[(int) weights.size()]);

    JsonNode summary = stage(launcher, 0, next.name().toString());

    JsonNode model = summary.get("models").get(0);
    assertThat(model.get("outcome").asText()).isEqualTo("done");
    assertThat(model.get("retries").asLong()).isEqualTo(1);
    long notShared =
        next.blobs().entrySet().stream()
            .filter(e -> !good.blobs().containsKey(e.getKey()))
            .mapToLong(e -> e.getValue().size())
            .sum();
    assertThat(model.get("bytesTransferred").asLong())
        .as("the weights once, over again")
        .isEqualTo(notShared);
    assertThat(layout.manifest(next.name())).hasBinaryContent(next.manifestBytes());
    store.assertUntouchedAndGoodVerifies();
  }

  /** The stager's message for a directory that leads out of the store. */
  String outsideMessage(Path link, Path target) {
    return link
        + " is a symbolic link to "
        + target
        + ", outside the store "
        + store.models()
        + "; the stager writes only inside the store and wrote nothing there. Replace the link"
        + " by a real directory inside the store, or point --models-dir (OLLAMA_MODELS) at the"
        + " store it should be";
  }

  @Test
  void stagingDirLinkedOutOfTheStore_exit3AndItsFilesKept(QuarkusMainLauncher launcher)
      throws Exception {
    stageGood(launcher);
    Path staging = store.layout().stagingDir();
    try (var leftovers = Files.list(staging)) {
      for (Path p : (Iterable<Path>) leftovers::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(staging);
    Path target = store.outside().resolve("sub");
    // Named like a temp file of ours: the clean-up at the start of a run deletes those.
    Files.writeString(target.resolve("someone-else.tmp"), "keep me\n");
    Files.createSymbolicLink(staging, target);
    store.snapshotOutside();

    JsonNode summary = stage(launcher, 3, next.name().toString());

    assertThat(summary.get("reason").asText()).isEqualTo(outsideMessage(staging, target));
    assertThat(Files.readString(store.terminationLog())).contains(staging + " is a symbolic link");
    store.assertNotStaged(next.name());
    store.assertUntouchedAndGoodVerifies();
  }

  @Test
  void manifestHostDirLinkedOutOfTheStore_exit3BeforeAnyDownload(QuarkusMainLauncher launcher)
      throws Exception {
    stageGood(launcher);
    Path hostDir = store.layout().manifestsDir().resolve("elsewhere.example");
    Path target = store.outside().resolve("sub");
    Files.createSymbolicLink(hostDir, target);
    store.snapshotOutside();
    registry.requests.clear();

    JsonNode summary =
        stage(launcher, 3, "--mirror", registry.baseUrl(), "elsewhere.example/library/next:1");

    assertThat(summary.get("reason").asText())
        .isEqualTo("elsewhere.example/library/next:1: " + outsideMessage(hostDir, target));
    assertThat(registry.requests("/blobs/")).isEmpty();
    // The planted link is itself an ERROR for the gate (LINK_OUTSIDE_STORE); with it removed on
    // the writable side, the good model verifies pinned to its old digest.
    store.assertOutsideUntouched();
    Files.delete(hostDir);
    store.assertUntouchedAndGoodVerifies();
  }

  @Test
  void blobsDirLinkedOutOfTheStore_exit3AndNothingWrittenThere(QuarkusMainLauncher launcher)
      throws Exception {
    Files.createDirectories(store.models());
    Path blobs = store.layout().blobsDir();
    Path target = store.outside().resolve("sub");
    Files.createSymbolicLink(blobs, target);
    store.snapshotOutside();

    JsonNode summary = stage(launcher, 3, next.name().toString());

    assertThat(summary.get("reason").asText()).isEqualTo(outsideMessage(blobs, target));
    assertThat(registry.requests).isEmpty();
    store.assertNotStaged(next.name());
    store.assertOutsideUntouched();
  }

  @Test
  void tokenRealmOnAnotherHost_allowedByTheOption(QuarkusMainLauncher launcher) throws Exception {
    try (FakeRegistry tokens = new FakeRegistry("localhost")) {
      registry.tokenRealm = tokens.baseUrl() + "/token";

      stage(launcher, 0, "--allow-token-host", tokens.hostPort(), next.name().toString());

      assertThat(tokens.requests("/token")).hasSize(1);
    }
  }

  @Test
  void tokenWithCrLf_isAClearErrorAndNeverEchoed(QuarkusMainLauncher launcher) throws Exception {
    stageGood(launcher);
    registry.tokenRealm = registry.baseUrl() + "/token";
    registry.tokenBody = "{\"token\":\"secret-part\\r\\nX-Injected: 1\"}";

    JsonNode summary = stage(launcher, 1, next.name().toString());

    assertThat(reason(summary))
        .startsWith(
            "token server "
                + registry.baseUrl()
                + "/token?[redacted] returned a token with a control character, blank or non-ASCII"
                + " character at position 11, which cannot go into an Authorization header");
    assertThat(summary.toString()).doesNotContain("secret-part").doesNotContain("X-Injected");
    assertThat(Files.readString(store.report())).doesNotContain("secret-part");
    assertThat(registry.requests).noneSatisfy(r -> assertThat(r.authorization()).isNotNull());
    store.assertNotStaged(next.name());
    store.assertUntouchedAndGoodVerifies();
  }
}
