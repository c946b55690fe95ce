package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The production values file shipped for Helm-only operators (k8s/production/). */
class ProductionValuesTest {

  @Test
  void openWebUiValuesGateOllamaOnTheStagedModels() {
    JsonNode values = StrictYaml.read(Tools.k8sDir().resolve("production/open-webui-values.yaml"));
    assertThat(OllamaValues.fields(values)).containsExactlyInAnyOrder("extraEnvVars", "ollama");
    OllamaValues.checkOpenWebUiOffline(values);
    JsonNode ollama = values.path("ollama");
    assertThat(ollama.path("enabled").asBoolean()).isTrue();

    // Same model list and NFS path as the stager chart's defaults, so the two files agree as
    // shipped.
    JsonNode stager = StrictYaml.read(Tools.chartDir().resolve("values.yaml"));
    List<String> models = new ArrayList<>();
    stager.path("models").forEach(m -> models.add(m.asText()));
    String nfsPath = stager.path("storage").path("hostPath").path("path").asText();
    OllamaValues.checkGate(
        ollama,
        new OllamaValues.Expected(models, nfsPath, ""),
        "ollama-airgap/verifier:" + appVersion());
  }

  static String appVersion() {
    return StrictYaml.read(Tools.chartDir().resolve("Chart.yaml")).path("appVersion").asText();
  }
}
