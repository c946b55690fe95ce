package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the Ansible role that replaces pull_models.yaml for real, in its render mode (it writes the
 * values and manifests it would apply and touches no cluster), and checks what it produced.
 */
class AnsibleRoleTest {

  private static final List<String> MODELS = List.of("llama3.2:3b", "nomic-embed-text:latest");

  private static final String EXPECT =
      "llama3.2:3b@sha256:" + "a".repeat(64) + ",nomic-embed-text:latest@sha256:" + "b".repeat(64);

  @TempDir Path dir;

  @Test
  void playbookPassesSyntaxCheck() {
    Tools.Result result =
        Tools.run(
            List.of(Tools.ansiblePlaybook(), "--syntax-check", "-i", "localhost,", playbook()),
            120);
    assertThat(result.exitCode())
        .as("ansible-playbook --syntax-check:%n%s", result.both())
        .isZero();
  }

  @ParameterizedTest(name = "enable_chat={0}")
  @ValueSource(booleans = {true, false})
  void airGappedStagesAndGatesTheSameModels(boolean enableChat) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    vars.put("enable_chat", enableChat);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put("ollama_render_expect", EXPECT);
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();

    // Staging: the role's values render the stager chart into a Job for exactly these models.
    Path stagingValues = dir.resolve("staging-values.yaml");
    Tools.Result template =
        Tools.helm(
            List.of(
                "template",
                "ollama-airgap",
                Tools.chartDir().toString(),
                "-f",
                stagingValues.toString()));
    assertThat(template.exitCode()).as("helm template:%n%s", template.stderr()).isZero();
    Job job = Rendered.parse(template.stdout()).one(Job.class);
    Container stager = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(StagerChartTest.env(stager).get("STAGER_MODELS"))
        .isEqualTo(String.join(",", MODELS));
    assertThat(job.getSpec().getTemplate().getSpec().getVolumes().get(0).getHostPath().getPath())
        .isEqualTo("/srv/nfs/models");

    // Production: the gate requires the same list, pinned by the staging inventory.
    JsonNode production = StrictYaml.read(dir.resolve("production-values.yaml"));
    JsonNode ollama = production;
    if (enableChat) {
      // Nothing that leaves the cluster: no pipelines, no OpenAI, no internet URL in any env.
      OpenWebUiValues.checkAirGapped(production);
      ollama = production.path("ollama");
      assertThat(ollama.path("enabled").asBoolean()).isTrue();
    } else {
      OpenWebUiValues.checkOllamaAirGapped(ollama);
    }
    OllamaValues.checkGate(
        ollama,
        new OllamaValues.Expected(MODELS, "/srv/nfs/models", EXPECT),
        "ollama-airgap/verifier:" + ProductionValuesTest.appVersion());
    assertThat(Files.exists(dir.resolve("online-pull-job.yaml"))).isFalse();
  }

  /**
   * Extras are appended to the role's lists: one extra env entry each (the case that used to drop
   * OLLAMA_MODELS, OLLAMA_NOPRUNE, HOME and OFFLINE_MODE) leaves every key the role sets in place.
   */
  @ParameterizedTest(name = "air_gapped={0} enable_chat={1}")
  @CsvSource({"true,true", "true,false", "false,true", "false,false"})
  void extrasAddToTheRolesValuesInEveryMode(boolean airGapped, boolean enableChat) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", airGapped);
    vars.put("enable_chat", enableChat);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put("ollama_render_expect", EXPECT);
    vars.put(
        "ollama_values_extra",
        Map.of(
            "extraEnv",
            List.of(Map.of("name", "OLLAMA_KEEP_ALIVE", "value", "24h")),
            "tolerations",
            List.of(Map.of("key", "gpu", "operator", "Exists"))));
    vars.put(
        "open_webui_values_extra",
        Map.of("extraEnvVars", List.of(Map.of("name", "RAG_EMBEDDING_ENGINE", "value", "ollama"))));
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();

    JsonNode production = StrictYaml.read(dir.resolve("production-values.yaml"));
    JsonNode ollama = enableChat ? production.path("ollama") : production;
    Map<String, String> env =
        OllamaValues.env(OllamaValues.list(ollama.path("extraEnv"), EnvVar.class));
    assertThat(env).containsEntry("OLLAMA_KEEP_ALIVE", "24h").containsEntry("HOME", "/home/ollama");
    assertThat(ollama.path("tolerations")).hasSize(1);
    if (airGapped) {
      OllamaValues.checkGate(
          ollama,
          new OllamaValues.Expected(MODELS, "/srv/nfs/models", EXPECT),
          "ollama-airgap/verifier:" + ProductionValuesTest.appVersion());
      if (enableChat) {
        OpenWebUiValues.checkAirGapped(production);
      } else {
        OpenWebUiValues.checkOllamaAirGapped(ollama);
      }
    } else {
      assertThat(env).containsEntry("OLLAMA_MODELS", "/home/ollama/.ollama/models");
      assertThat(ollama.path("persistentVolume").path("enabled").asBoolean()).isTrue();
    }
    if (enableChat) {
      Map<String, String> openWebUi =
          OllamaValues.env(OllamaValues.list(production.path("extraEnvVars"), EnvVar.class));
      assertThat(openWebUi).containsEntry("RAG_EMBEDDING_ENGINE", "ollama");
      if (airGapped) {
        assertThat(openWebUi).containsEntry("OFFLINE_MODE", "true");
      }
    }
  }

  @Test
  void extrasThatWouldUndoTheGateStopThePlay() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put(
        "ollama_values_extra",
        Map.of(
            "extraEnv",
            List.of(Map.of("name", "OLLAMA_MODELS", "value", "/elsewhere")),
            "persistentVolume",
            Map.of("enabled", true)));
    vars.put(
        "open_webui_values_extra",
        Map.of("extraEnvVars", List.of(Map.of("name", "OFFLINE_MODE", "value", "false"))));
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout())
        .contains(
            "ollama_values_extra changes what the role's values need (the verifier gate on the"
                + " read-only NFS export): extraEnv has more than one entry named OLLAMA_MODELS"
                + " ([{\\\"name\\\": \\\"OLLAMA_MODELS\\\", \\\"value\\\": \\\"/models\\\"}")
        .contains("persistentVolume.enabled is true, the role needs false.")
        .contains(
            "Extras are merged into maps and appended to lists; remove these keys or entries from"
                + " ollama_values_extra");
    assertThat(dir.resolve("production-values.yaml")).doesNotExist();

    vars.remove("ollama_values_extra");
    result = play(vars);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout())
        .contains(
            "open_webui_values_extra changes what the role's values need (the verifier gate on"
                + " the read-only NFS export): extraEnvVars has more than one entry named"
                + " OFFLINE_MODE");
    assertThat(dir.resolve("production-values.yaml")).doesNotExist();
  }

  /**
   * The production helm wait covers the gate's hash of the whole store in full mode: 240 GB over 1
   * GbE (100 MB/s) with the margin of 2 is 4800 s on top of the 600 s base; size mode and an
   * explicit value do not scale.
   */
  @ParameterizedTest(name = "mode {0}, wait {1}")
  @CsvSource({"full,'',5400s", "size,'',600s", "full,3h,3h"})
  void productionWaitFollowsStoreSizeAndVerifierMode(String mode, String wait, String expected) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put("ollama_verifier_mode", mode);
    vars.put("ollama_production_wait", wait);
    vars.put("ollama_render_store_bytes", 240_000_000_000L);
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();
    assertThat(productionWait()).isEqualTo(expected);
    if (wait.isEmpty() && mode.equals("full")) {
      assertThat(result.stdout())
          .contains(
              "Waiting up to 5400s for production to become ready (600s, plus the full hash of"
                  + " 240.0 GB at 100 MB/s times 2).");
    }
  }

  @Test
  void airGappedWithoutInventoryVerifiesWithoutPins() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put("ollama_models", List.of("qwen2.5:0.5b"));
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();
    assertThat(result.stdout()).contains("will not pin manifests to what this staging run wrote");
    // No inventory, no store size: the hash may take as long as staging was allowed to.
    assertThat(productionWait()).isEqualTo((600 + 86400) + "s");
    JsonNode ollama = StrictYaml.read(dir.resolve("production-values.yaml")).path("ollama");
    OllamaValues.checkGate(
        ollama,
        new OllamaValues.Expected(List.of("qwen2.5:0.5b"), "/srv/nfs/models", ""),
        "ollama-airgap/verifier:" + ProductionValuesTest.appVersion());
  }

  /**
   * Pins (NAME@sha256:HEX) pass through the role unchanged. The gate checks them (--require); the
   * stager does not take pins yet (it refuses them as a bad name, exit 2), see docs/lifecycle.md.
   */
  @Test
  void pinnedModelsReachTheStagerAndTheGateUnchanged() throws IOException {
    List<String> models = List.of("qwen2.5:0.5b@sha256:" + "ab".repeat(32), "llama3.2:1b");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    vars.put("ollama_nfs_path", "/srv/nfs/models");
    vars.put("ollama_models", models);
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();
    Tools.Result template =
        Tools.helm(
            List.of(
                "template",
                "ollama-airgap",
                Tools.chartDir().toString(),
                "-f",
                dir.resolve("staging-values.yaml").toString()));
    assertThat(template.exitCode()).as("helm template:%n%s", template.stderr()).isZero();
    Container stager =
        Rendered.parse(template.stdout())
            .one(Job.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(StagerChartTest.env(stager).get("STAGER_MODELS"))
        .isEqualTo(String.join(",", models));
    OllamaValues.checkGate(
        StrictYaml.read(dir.resolve("production-values.yaml")).path("ollama"),
        new OllamaValues.Expected(models, "/srv/nfs/models", ""),
        "ollama-airgap/verifier:" + ProductionValuesTest.appVersion());
  }

  @Test
  void onlineDeploysOllamaAndPullsThroughIt() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", false);
    vars.put("enable_chat", true);
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();

    JsonNode ollama = StrictYaml.read(dir.resolve("production-values.yaml")).path("ollama");
    OllamaValues.checkChartKeys(ollama);
    OllamaValues.checkNoPullsAtStart(ollama);
    assertThat(ollama.has("initContainers")).as("no gate online").isFalse();
    assertThat(productionWait()).as("no gate, no hash to wait for").isEqualTo("600s");
    assertThat(Files.exists(dir.resolve("staging-values.yaml"))).isFalse();

    Job job = StrictYaml.typed(StrictYaml.read(dir.resolve("online-pull-job.yaml")), Job.class);
    Container pull = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    // Open WebUI names its Ollama subchart <release>-ollama; the Job talks to that Service.
    assertThat(StagerChartTest.env(pull).get("OLLAMA_HOST"))
        .isEqualTo("http://open-webui-ollama.open-webui.svc:11434");
    assertThat(String.join(" ", pull.getArgs()))
        .contains("for model in llama3.2:3b nomic-embed-text:latest; do");
    assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void airGappedWithoutNfsPathFailsAndSaysWhatToSet() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", true);
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout())
        .contains(
            "air_gapped is true but ollama_nfs_path is empty. In air-gapped mode production cannot"
                + " pull models; they are staged onto an NFS export that staging and production"
                + " both mount. Set ollama_nfs_path to the export's node path (the same on both"
                + " clusters), e.g. -e ollama_nfs_path=/mnt/nfs/ollama-models, or set air_gapped"
                + " to false to pull online.");
    assertThat(dir.resolve("production-values.yaml")).doesNotExist();
  }

  @Test
  void modelListWithTwoNamesInOneEntryIsRefused() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ollama_models", List.of("llama3, mistral"));
    Tools.Result result = play(vars);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stdout())
        .contains("ollama_models must be a non-empty list of model names such as [llama3.2:3b]");
  }

  private String productionWait() {
    return StrictYaml.read(dir.resolve("production-helm.yaml")).path("wait_timeout").asText();
  }

  private Tools.Result play(Map<String, Object> vars) {
    return play(dir, vars);
  }

  /** Runs the playbook in render mode with these variables, writing into {@code dir}. */
  static Tools.Result play(Path dir, Map<String, Object> vars) {
    Map<String, Object> all = new LinkedHashMap<>(vars);
    all.put("ollama_render_dir", dir.toString());
    Path varsFile = dir.resolve("vars.json");
    try {
      StrictYaml.JSON.writeValue(varsFile.toFile(), all);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            "env",
            "ANSIBLE_NOCOLOR=1",
            "ANSIBLE_LOCALHOST_WARNING=false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING=false",
            "ANSIBLE_RETRY_FILES_ENABLED=false",
            Tools.ansiblePlaybook(),
            "-i",
            "localhost,",
            playbook(),
            "-e",
            "@" + varsFile));
    return Tools.run(command, 300);
  }

  private static String playbook() {
    return Tools.k8sDir().resolve("ansible/pull_models.yaml").toString();
  }
}
