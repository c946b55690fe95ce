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
                + "/token?... returned a token with a control character, blank or non-ASCII"
                + " character at position 11, which cannot go into an Authorization header");
    assertThat(summary.toString()).doesNotContain("secret-part").doesNotContain("X-Injected");
    assertThat(Files.readString(store.report())).doesNotContain("secret-part");
    assertThat(registry.requests).noneSatisfy(r -> assertThat(r.authorization()).isNotNull());
    store.assertNotStaged(next.name());
    store.assertUntouchedAndGoodVerifies();
  }
}
