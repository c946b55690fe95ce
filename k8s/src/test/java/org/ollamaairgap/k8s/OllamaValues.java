package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks values meant for the Ollama chart (otwld/ollama-helm, as Open WebUI's `ollama` subchart or
 * alone) against that chart's real value keys, and the air-gapped gate against the contract.
 */
final class OllamaValues {

  /**
   * Top-level value keys of otwld/ollama-helm 1.70.0 (the version Open WebUI 16.0.0 locks), taken
   * from its values.yaml; `enabled` is the Open WebUI parent's condition for the subchart. A key
   * outside this set would be ignored silently by the chart.
   */
  static final Set<String> CHART_KEYS =
      Set.of(
          "enabled",
          "replicaCount",
          "knative",
          "image",
          "imagePullSecrets",
          "nameOverride",
          "fullnameOverride",
          "namespaceOverride",
          "ollama",
          "serviceAccount",
          "podAnnotations",
          "podLabels",
          "podSecurityContext",
          "priorityClassName",
          "securityContext",
          "runtimeClassName",
          "service",
          "deployment",
          "gateway",
          "httpRoute",
          "ingress",
          "resources",
          "livenessProbe",
          "readinessProbe",
          "autoscaling",
          "volumes",
          "volumeMounts",
          "extraArgs",
          "extraEnv",
          "extraEnvFrom",
          "persistentVolume",
          "nodeSelector",
          "tolerations",
          "affinity",
          "lifecycle",
          "updateStrategy",
          "topologySpreadConstraints",
          "terminationGracePeriodSeconds",
          "initContainers",
          "hostIPC",
          "hostPID",
          "hostNetwork",
          "extraObjects",
          "tests",
          "podSchedulerName");

  /** Nested keys of that chart for the sections these values set. */
  static final Map<String, Set<String>> NESTED_KEYS =
      Map.of(
          "ollama", Set.of("port", "gpu", "models", "insecure", "mountPath"),
          "ollama.models", Set.of("pull", "run", "create", "clean"),
          "image", Set.of("repository", "pullPolicy", "tag"),
          "tests", Set.of("enabled", "labels", "annotations"),
          "serviceAccount", Set.of("create", "automount", "annotations", "name"),
          "persistentVolume",
              Set.of(
                  "enabled",
                  "accessModes",
                  "annotations",
                  "existingClaim",
                  "size",
                  "storageClass",
                  "volumeMode",
                  "subPath",
                  "volumeName"));

  /** What the gate must check, as the values' author meant it. */
  record Expected(List<String> models, String nfsPath, String expect) {}

  private OllamaValues() {}

  static void checkChartKeys(JsonNode values) {
    assertThat(fields(values)).as("top-level keys of the ollama chart").isSubsetOf(CHART_KEYS);
    NESTED_KEYS.forEach(
        (path, keys) -> {
          JsonNode node = values.at("/" + path.replace('.', '/'));
          if (!node.isMissingNode()) {
            assertThat(fields(node)).as("keys under %s", path).isSubsetOf(keys);
          }
        });
  }

  /** Production must never pull: nothing in the chart's start-up hook. */
  static void checkNoPullsAtStart(JsonNode values) {
    JsonNode models = values.path("ollama").path("models");
    for (String list : List.of("pull", "run", "create")) {
      assertThat(models.path(list).isArray() && models.path(list).isEmpty())
          .as("ollama.models.%s is an empty list", list)
          .isTrue();
    }
    assertThat(models.path("clean").asBoolean(true)).as("ollama.models.clean").isFalse();
    assertThat(values.has("lifecycle")).as("a lifecycle hook").isFalse();
  }

  static void checkGate(JsonNode values, Expected expected, String verifierImage) {
    checkChartKeys(values);
    checkNoPullsAtStart(values);
    assertThat(values.path("serviceAccount").path("automount").asBoolean(true))
        .as("serviceAccount.automount (no API token for Ollama or the verifier)")
        .isFalse();
    assertThat(values.path("persistentVolume").path("enabled").asBoolean(true))
        .as("persistentVolume.enabled (ollama-data stays an emptyDir for HOME)")
        .isFalse();
    PodSecurityContext pod =
        StrictYaml.typed(values.path("podSecurityContext"), PodSecurityContext.class);
    assertThat(pod.getRunAsNonRoot()).isTrue();
    StrictYaml.typed(values.path("securityContext"), SecurityContext.class);

    // Ollama: OLLAMA_MODELS on the read-only mount, NOPRUNE, HOME on the writable ollama-data.
    Map<String, String> env = env(list(values.path("extraEnv"), EnvVar.class));
    assertThat(env.get("OLLAMA_NOPRUNE")).as("OLLAMA_NOPRUNE in extraEnv").isEqualTo("1");
    List<VolumeMount> mounts = list(values.path("volumeMounts"), VolumeMount.class);
    VolumeMount store = byPath(mounts, env.get("OLLAMA_MODELS"));
    assertThat(store.getReadOnly())
        .as("Ollama's mount of %s is read-only", store.getMountPath())
        .isTrue();
    assertThat(env.get("HOME") + "/.ollama")
        .as("HOME/.ollama is the chart's writable ollama-data mount (ollama.mountPath)")
        .isEqualTo(values.path("ollama").path("mountPath").asText());

    List<Volume> volumes = list(values.path("volumes"), Volume.class);
    Volume volume =
        volumes.stream()
            .filter(v -> v.getName().equals(store.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + store.getName()));
    if (volume.getHostPath() != null) {
      assertThat(volume.getHostPath().getPath()).isEqualTo(expected.nfsPath());
      assertThat(volume.getHostPath().getType()).isEqualTo("Directory");
    } else {
      assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue();
    }

    // The verifier: the only init container, same volume at the same path, read-only.
    List<Container> init = list(values.path("initContainers"), Container.class);
    assertThat(init).hasSize(1);
    Container verifier = init.get(0);
    assertThat(verifier.getImage()).isEqualTo(verifierImage);
    Map<String, String> verifierEnv = env(verifier.getEnv());
    assertThat(verifierEnv.get("OLLAMA_MODELS")).isEqualTo(store.getMountPath());
    VolumeMount verifierStore = byPath(verifier.getVolumeMounts(), store.getMountPath());
    assertThat(verifierStore.getName()).isEqualTo(store.getName());
    assertThat(verifierStore.getReadOnly()).as("the verifier's mount is read-only").isTrue();
    assertThat(verifier.getVolumeMounts()).as("the verifier mounts only the store").hasSize(1);
    assertThat(List.of(verifierEnv.get("VERIFIER_REQUIRE").split(",")))
        .as("VERIFIER_REQUIRE")
        .containsExactlyElementsOf(expected.models());
    assertThat(verifierEnv.getOrDefault("VERIFIER_EXPECT", "")).isEqualTo(expected.expect());
    assertThat(verifierEnv.get("VERIFIER_MODE")).isIn("full", "size");
    SecurityContext security = verifier.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(verifier.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(verifier.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  static <T> List<T> list(JsonNode array, Class<T> type) {
    assertThat(array.isArray())
        .as("expected a list of %s, got %s", type.getSimpleName(), array)
        .isTrue();
    List<T> items = new ArrayList<>();
    array.forEach(item -> items.add(StrictYaml.typed(item, type)));
    return items;
  }

  static Map<String, String> env(List<EnvVar> vars) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : vars) {
      assertThat(env).as("duplicate env %s", var.getName()).doesNotContainKey(var.getName());
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  private static VolumeMount byPath(List<VolumeMount> mounts, String path) {
    return mounts.stream()
        .filter(m -> m.getMountPath().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + path + " in " + mounts));
  }

  static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
