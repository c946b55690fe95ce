package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Ollama Service that Open WebUI and the online pull Job talk to is the one the charts render,
 * whatever the release is called ("ollama-chat" used to miss it).
 *
 * <p>No chart repository is reachable here, so the naming is rendered with stand-ins, made at test
 * time: a chart named "ollama" from `helm create`, whose fullname rule and Service name are the
 * ones otwld/ollama-helm 1.70.0 uses (its templates/_helpers.tpl is helm's scaffold rule: the
 * release name alone when it contains "ollama"), inside a parent that writes Open WebUI's
 * OLLAMA_BASE_URLS by open-webui 16.0.0's rule (templates/_helpers.tpl "ollamaLocalUrl":
 * ollama.fullnameOverride, else {release}-ollama).
 */
class ServiceNameTest {

  /** Open WebUI 16.0.0's URL rule for its subchart, written for this stand-in parent chart. */
  private static final String OPEN_WEBUI_URL_TEMPLATE =
      """
      {{- $name := .Values.ollama.fullnameOverride -}}
      {{- if not $name -}}
      {{- $name = printf "%s-%s" .Release.Name (default "ollama" .Values.ollama.nameOverride) -}}
      {{- end -}}
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: open-webui-env
      data:
        OLLAMA_BASE_URLS: {{ printf "http://%s.%s.svc.cluster.local:11434" $name .Release.Namespace | quote }}
      """;

  private static final String NAMESPACE = "open-webui";

  @TempDir Path dir;

  @ParameterizedTest(name = "release {0}, enable_chat={1}")
  @CsvSource({
    "ollama-chat,true",
    "ollama-chat,false",
    "open-webui,true",
    "open-webui,false",
    "my-ollama,false"
  })
  void theRolesServiceIsARenderedService(String release, boolean enableChat) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("air_gapped", false);
    vars.put("enable_chat", enableChat);
    vars.put("ollama_release", release);
    vars.put("ollama_production_namespace", NAMESPACE);
    Path out = Files.createDirectories(dir.resolve("role"));
    Tools.Result result = AnsibleRoleTest.play(out, vars);
    assertThat(result.exitCode()).as("ansible-playbook:%n%s", result.both()).isZero();
    JsonNode production = StrictYaml.read(out.resolve("production-values.yaml"));

    Rendered rendered = render(release, enableChat ? production : wrap(production), enableChat);
    String service = rendered.service().getMetadata().getName();

    Job job = StrictYaml.typed(StrictYaml.read(out.resolve("online-pull-job.yaml")), Job.class);
    Container pull = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    String host = URI.create(StagerChartTest.env(pull).get("OLLAMA_HOST")).getHost();
    assertThat(host)
        .as("the pull Job's OLLAMA_HOST names the rendered Service")
        .isEqualTo(service + "." + NAMESPACE + ".svc");
    if (enableChat) {
      assertThat(rendered.openWebUiHost())
          .as("Open WebUI's OLLAMA_BASE_URLS names the rendered Service")
          .isEqualTo(service + "." + NAMESPACE + ".svc.cluster.local");
    }
  }

  @ParameterizedTest(name = "release {0}")
  @ValueSource(strings = {"open-webui", "ollama-chat"})
  void theShippedValuesPointOpenWebUiAtTheRenderedService(String release) throws IOException {
    JsonNode values = StrictYaml.read(Tools.k8sDir().resolve("production/open-webui-values.yaml"));
    Rendered rendered = render(release, values, true);
    String service = rendered.service().getMetadata().getName();
    assertThat(rendered.openWebUiHost())
        .isEqualTo(service + "." + NAMESPACE + ".svc.cluster.local");
    // The README's `kubectl logs deploy/open-webui-ollama` holds for any release name.
    assertThat(service).isEqualTo("open-webui-ollama");
  }

  /** What the stand-ins rendered: the Ollama Service and, with a parent, Open WebUI's URL. */
  private record Rendered(List<Service> services, List<ConfigMap> configMaps) {
    Service service() {
      assertThat(services).as("rendered Services").hasSize(1);
      return services.get(0);
    }

    String openWebUiHost() {
      assertThat(configMaps).hasSize(1);
      return URI.create(configMaps.get(0).getData().get("OLLAMA_BASE_URLS")).getHost();
    }
  }

  /** Open WebUI values shape for the chart alone: the ollama chart's values under `ollama:`. */
  private static JsonNode wrap(JsonNode ollamaValues) {
    ObjectNode parent = StrictYaml.JSON.createObjectNode();
    parent.set("ollama", ollamaValues);
    return parent;
  }

  /**
   * Renders the stand-in charts as release {@code release} with the naming keys of {@code values}
   * (the rest of our values are for the real charts).
   */
  private Rendered render(String release, JsonNode values, boolean withParent) throws IOException {
    Path charts = Files.createDirectories(dir.resolve("charts-" + release + "-" + withParent));
    Path parent = charts.resolve("open-webui");
    Path ollama = parent.resolve("charts/ollama");
    Files.createDirectories(ollama.getParent());
    Tools.Result created = Tools.helm(List.of("create", ollama.toString()));
    assertThat(created.exitCode()).as("helm create:%n%s", created.both()).isZero();
    // Only the Service and the helpers it needs: the name is what is checked here.
    try (var files = Files.walk(ollama.resolve("templates"))) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        String name = file.getFileName().toString();
        if (!Files.isDirectory(file)
            && !name.equals("_helpers.tpl")
            && !name.equals("service.yaml")) {
          Files.delete(file);
        }
      }
    }
    Map<String, Object> naming = new LinkedHashMap<>();
    for (String key : List.of("fullnameOverride", "nameOverride")) {
      JsonNode value = values.path("ollama").path(key);
      if (!value.isMissingNode()) {
        naming.put(key, value.asText());
      }
    }
    List<String> args = new ArrayList<>(List.of("template", release));
    Path valuesFile = charts.resolve("naming.json");
    if (withParent) {
      Files.writeString(
          parent.resolve("Chart.yaml"),
          "apiVersion: v2\nname: open-webui\nversion: 0.0.0-stand-in\n");
      Files.createDirectories(parent.resolve("templates"));
      Files.writeString(parent.resolve("templates/env.yaml"), OPEN_WEBUI_URL_TEMPLATE);
      StrictYaml.JSON.writeValue(valuesFile.toFile(), Map.of("ollama", naming));
      args.add(parent.toString());
    } else {
      StrictYaml.JSON.writeValue(valuesFile.toFile(), naming);
      args.add(ollama.toString());
    }
    args.addAll(List.of("-f", valuesFile.toString()));
    args.addAll(List.of("--namespace", NAMESPACE));
    Tools.Result result = Tools.helm(args);
    assertThat(result.exitCode()).as("helm template:%n%s", result.both()).isZero();
    List<Service> services = new ArrayList<>();
    List<ConfigMap> configMaps = new ArrayList<>();
    for (JsonNode document : StrictYaml.documents(result.stdout())) {
      switch (document.path("kind").asText()) {
        case "Service" -> services.add(StrictYaml.typed(document, Service.class));
        case "ConfigMap" -> configMaps.add(StrictYaml.typed(document, ConfigMap.class));
        default -> throw new AssertionError("unexpected " + document.path("kind"));
      }
    }
    return new Rendered(services, configMaps);
  }
}
