package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks values meant for the Open WebUI chart (open-webui/helm-charts 16.0.0) for a real air gap:
 * nothing deployed or configured that reaches out of the cluster, and every image known.
 */
final class OpenWebUiValues {

  /**
   * Top-level value keys of open-webui 16.0.0 (its values.yaml); a key outside this set would be
   * ignored silently by the chart.
   */
  static final Set<String> CHART_KEYS =
      Set.of(
          "nameOverride",
          "fullnameOverride",
          "namespaceOverride",
          "ollama",
          "ollamaUrls",
          "ollamaUrlsFromExtraEnv",
          "pipelines",
          "tika",
          "terminals",
          "websocket",
          "workload",
          "clusterDomain",
          "extraLabels",
          "annotations",
          "podAnnotations",
          "podLabels",
          "replicaCount",
          "revisionHistoryLimit",
          "priorityClassName",
          "strategy",
          "image",
          "imagePullSecrets",
          "command",
          "args",
          "serviceAccount",
          "livenessProbe",
          "readinessProbe",
          "startupProbe",
          "resources",
          "copyAppData",
          "managedCertificate",
          "ingress",
          "route",
          "persistence",
          "nodeSelector",
          "tolerations",
          "affinity",
          "topologySpreadConstraints",
          "hostAliases",
          "service",
          "enableOpenaiApi",
          "openaiBaseApiUrl",
          "openaiBaseApiUrls",
          "openaiApiKey",
          "openaiApiKeyExistingSecret",
          "openaiApiKeyExistingSecretKey",
          "openaiApiKeys",
          "openaiApiKeysExistingSecret",
          "openaiApiKeysExistingSecretKey",
          "databaseUrl",
          "extraEnvVars",
          "commonEnvVars",
          "extraEnvFrom",
          "runtimeClassName",
          "volumeMounts",
          "extraInitContainers",
          "volumes",
          "podSecurityContext",
          "containerSecurityContext",
          "sso",
          "extraResources",
          "logging");

  /** Nested keys of that chart for the sections these values set (as its templates read them). */
  static final Map<String, Set<String>> NESTED_KEYS =
      Map.of(
          "image", Set.of("repository", "tag", "pullPolicy", "useSlim"),
          "pipelines", Set.of("enabled", "fullnameOverride", "extraEnvVars"),
          "tika", Set.of("enabled"),
          "terminals", Set.of("enabled"),
          "websocket",
              Set.of(
                  "enabled",
                  "manager",
                  "url",
                  "existingSecret",
                  "existingSecretKey",
                  "nodeSelector",
                  "redis"),
          "websocket.redis.image", Set.of("repository", "tag", "pullPolicy", "pullSecretName"));

  /**
   * The upstream defaults (open-webui 16.0.0, otwld/ollama 1.70.0) that decide what leaves the
   * cluster and which images are pulled, as recorded from their values.yaml and templates. The
   * checks below judge these merged with the values under test, as helm merges them.
   */
  static final String UPSTREAM_DEFAULTS =
      """
      {
        "ollama": {"enabled": true, "fullnameOverride": "",
                   "image": {"repository": "ollama/ollama", "tag": ""},
                   "tests": {"enabled": true}, "extraEnv": [], "initContainers": []},
        "ollamaUrls": [],
        "pipelines": {"enabled": true, "extraEnvVars": []},
        "tika": {"enabled": false},
        "terminals": {"enabled": false},
        "websocket": {"enabled": true, "manager": "redis", "url": "",
                      "redis": {"enabled": true,
                                "image": {"repository": "redis", "tag": "7.4.2-alpine3.21"}}},
        "image": {"repository": "ghcr.io/open-webui/open-webui", "tag": "", "useSlim": false},
        "enableOpenaiApi": true,
        "openaiBaseApiUrl": "https://api.openai.com/v1",
        "openaiBaseApiUrls": [],
        "extraEnvVars": [],
        "commonEnvVars": [],
        "extraInitContainers": [],
        "clusterDomain": "cluster.local"
      }
      """;

  /** The charts' appVersions, the image tags they use when `tag` is empty. */
  static final String OPEN_WEBUI_APP_VERSION = "0.11.0";

  static final String OLLAMA_APP_VERSION = "0.32.4";

  private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s;,\"']+");

  private OpenWebUiValues() {}

  static void checkChartKeys(JsonNode values) {
    assertThat(OllamaValues.fields(values))
        .as("top-level keys of the open-webui chart")
        .isSubsetOf(CHART_KEYS);
    NESTED_KEYS.forEach(
        (path, keys) -> {
          JsonNode node = values.at("/" + path.replace('.', '/'));
          if (!node.isMissingNode()) {
            assertThat(OllamaValues.fields(node)).as("keys under %s", path).isSubsetOf(keys);
          }
        });
  }

  /** The upstream defaults with {@code values} merged over them (maps merge, lists replace). */
  static JsonNode effective(JsonNode values) {
    ObjectNode merged;
    try {
      merged = (ObjectNode) StrictYaml.JSON.readTree(UPSTREAM_DEFAULTS);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    merge(merged, values);
    return merged;
  }

  /**
   * No subchart that the air gap cannot serve, no OpenAI connection to the internet, no helm test
   * pod from Docker Hub, and no env value anywhere that names a host outside the cluster.
   */
  static void checkAirGapped(JsonNode values) {
    checkChartKeys(values);
    JsonNode all = effective(values);
    for (String subchart : List.of("pipelines", "tika", "terminals")) {
      assertThat(all.path(subchart).path("enabled").asBoolean())
          .as("%s.enabled (a subchart with its own image and service)", subchart)
          .isFalse();
    }
    if (all.path("enableOpenaiApi").asBoolean()) {
      // The chart then sets OPENAI_API_BASE_URL(S) from these; Open WebUI's own default for an
      // unset base URL is https://api.openai.com/v1 as well.
      List<String> urls = new ArrayList<>();
      all.path("openaiBaseApiUrls").forEach(u -> urls.add(u.asText()));
      if (urls.isEmpty()) {
        urls.add(all.path("openaiBaseApiUrl").asText());
      }
      urls.forEach(u -> assertInCluster("an OpenAI API base URL (enableOpenaiApi is true)", u));
    }
    all.path("ollamaUrls").forEach(u -> assertInCluster("ollamaUrls", u.asText()));
    assertThat(all.path("image").path("useSlim").asBoolean())
        .as("image.useSlim (the slim image downloads its models at first use)")
        .isFalse();
    Map<String, String> openWebUi =
        OllamaValues.env(OllamaValues.list(all.path("extraEnvVars"), EnvVar.class));
    assertThat(openWebUi).containsEntry("OFFLINE_MODE", "true");
    checkNoInternetInEnv(
        "Open WebUI",
        List.of(
            all.path("extraEnvVars"),
            all.path("commonEnvVars"),
            all.path("pipelines").path("extraEnvVars")));
    all.path("extraInitContainers")
        .forEach(c -> checkNoInternetInEnv("extraInitContainers", List.of(c.path("env"))));
    checkOllamaAirGapped(all.path("ollama"));
  }

  /**
   * Values of the ollama chart (alone, or the subchart merged over its defaults): no pulls at
   * start, no cloud models, no helm test pod from Docker Hub, no env value naming the internet.
   */
  static void checkOllamaAirGapped(JsonNode ollama) {
    OllamaValues.checkNoPullsAtStart(ollama);
    assertThat(ollama.path("tests").path("enabled").asBoolean(true))
        .as("ollama tests.enabled (`helm test` pulls busybox:latest from Docker Hub)")
        .isFalse();
    Map<String, String> env =
        OllamaValues.env(OllamaValues.list(ollama.path("extraEnv"), EnvVar.class));
    assertThat(env).as("Ollama without cloud models").containsEntry("OLLAMA_NO_CLOUD", "1");
    checkNoInternetInEnv("Ollama", List.of(ollama.path("extraEnv")));
    ollama
        .path("initContainers")
        .forEach(c -> checkNoInternetInEnv("Ollama's init containers", List.of(c.path("env"))));
  }

  /** No env value of these lists names a host outside the cluster. */
  static void checkNoInternetInEnv(String where, List<JsonNode> envLists) {
    for (JsonNode list : envLists) {
      if (list.isMissingNode() || list.isNull()) {
        continue;
      }
      for (EnvVar var : OllamaValues.list(list, EnvVar.class)) {
        String value = var.getValue() == null ? "" : var.getValue();
        Matcher matcher = URL.matcher(value);
        while (matcher.find()) {
          assertInCluster(where + " env " + var.getName(), matcher.group());
        }
      }
    }
  }

  /** Every image these values make the charts pull, as full references. */
  static Set<String> images(JsonNode values) {
    JsonNode all = effective(values);
    Set<String> images = new LinkedHashSet<>();
    images.add(image(all.path("image"), OPEN_WEBUI_APP_VERSION));
    JsonNode websocket = all.path("websocket");
    if (websocket.path("enabled").asBoolean()
        && websocket.path("redis").path("enabled").asBoolean()
        && "redis".equals(websocket.path("manager").asText())) {
      images.add(image(websocket.path("redis").path("image"), ""));
    }
    all.path("extraInitContainers").forEach(c -> images.add(c.path("image").asText()));
    JsonNode ollama = all.path("ollama");
    if (ollama.path("enabled").asBoolean()) {
      images.add(image(ollama.path("image"), OLLAMA_APP_VERSION));
      for (Container c : OllamaValues.list(ollama.path("initContainers"), Container.class)) {
        images.add(c.getImage());
      }
    }
    return images;
  }

  private static String image(JsonNode image, String appVersion) {
    String tag = image.path("tag").asText();
    return image.path("repository").asText() + ":" + (tag.isEmpty() ? appVersion : tag);
  }

  /** A URL's host is a Service name, a *.svc[.domain] name, or the pod itself. */
  static void assertInCluster(String what, String url) {
    String host;
    try {
      host = URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      throw new AssertionError(what + ": not a URL: " + url, e);
    }
    assertThat(host).as("%s: host of %s", what, url).isNotNull();
    boolean inCluster =
        !host.contains(".")
            || host.endsWith(".svc")
            || host.contains(".svc.")
            || host.equals("localhost")
            || host.equals("127.0.0.1");
    assertThat(inCluster)
        .as("%s points out of the cluster (%s); production has no route there", what, url)
        .isTrue();
  }

  private static void merge(ObjectNode into, JsonNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode existing = into.get(field.getKey());
      if (existing instanceof ObjectNode object && field.getValue().isObject()) {
        merge(object, field.getValue());
      } else {
        into.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }
}
