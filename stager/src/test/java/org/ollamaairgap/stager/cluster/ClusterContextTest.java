package org.ollamaairgap.stager.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.app.UsageException;

class ClusterContextTest {
  @TempDir Path serviceAccount;

  private static final Map<String, String> POD_ENV =
      Map.of(
          "KUBERNETES_SERVICE_HOST", "10.96.0.1",
          "POD_NAME", "stager-x7k2p",
          "POD_NAMESPACE", "ollama-staging",
          "HOSTNAME", "stager-x7k2p");

  @ParameterizedTest(name = "mode {0}, service host {1}, token {2} -> enabled {3}")
  @CsvSource({
    "auto, true, true, true",
    "auto, false, true, false",
    "auto, true, false, false",
    "AUTO, true, true, true",
    "false, true, true, false",
    "true, false, false, true",
  })
  void detect(String mode, boolean serviceHost, boolean token, boolean enabled) throws Exception {
    Map<String, String> env = new HashMap<>(POD_ENV);
    if (!serviceHost) {
      env.remove("KUBERNETES_SERVICE_HOST");
    }
    if (token) {
      Files.writeString(serviceAccount.resolve("token"), "t");
    }
    ClusterContext context = ClusterContext.detect(mode, env, serviceAccount);
    assertThat(context.enabled()).isEqualTo(enabled);
    if (enabled) {
      assertThat(context.namespace()).isEqualTo("ollama-staging");
      assertThat(context.podName()).isEqualTo("stager-x7k2p");
    }
  }

  @Test
  void detect_withoutDownwardApi_fallsBackToServiceAccountNamespaceAndHostname() throws Exception {
    Files.writeString(serviceAccount.resolve("token"), "t");
    Files.writeString(serviceAccount.resolve("namespace"), "ns-from-sa\n");
    ClusterContext context =
        ClusterContext.detect(
            "auto",
            Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "HOSTNAME", "pod-1", "POD_UID", "u-1"),
            serviceAccount);
    assertThat(context).isEqualTo(new ClusterContext(true, "ns-from-sa", "pod-1", "u-1"));
  }

  @Test
  void detect_trueWithoutNamespace_isAUsageError() {
    assertThatThrownBy(() -> ClusterContext.detect("true", Map.of("HOSTNAME", "h"), serviceAccount))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--kubernetes=true needs the pod's namespace and name: set POD_NAMESPACE and POD_NAME"
                + " from the downward API (fieldRef metadata.namespace and metadata.name), or use"
                + " --kubernetes=false");
  }

  @Test
  void detect_badMode_isAUsageError() {
    assertThatThrownBy(() -> ClusterContext.detect("yes", POD_ENV, serviceAccount))
        .isInstanceOf(UsageException.class)
        .hasMessage("--kubernetes must be auto, true or false, not 'yes'");
  }
}
