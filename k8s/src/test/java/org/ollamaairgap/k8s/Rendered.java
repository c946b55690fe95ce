package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The objects `helm template` rendered from the stager chart, each parsed strictly. */
record Rendered(List<JsonNode> documents, List<Object> objects) {

  /** The kinds the chart may render, with the fabric8 type each is parsed into. */
  private static final Map<String, Class<?>> TYPED =
      Map.of(
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "rbac.authorization.k8s.io/v1/Role", Role.class,
          "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
          "batch/v1/Job", Job.class,
          "batch/v1/CronJob", CronJob.class);

  /** Fields of the two prometheus-operator CRDs we render (monitoring.coreos.com/v1). */
  private static final Set<String> POD_MONITOR_SPEC =
      Set.of("selector", "podMetricsEndpoints", "namespaceSelector", "jobLabel", "podTargetLabels");

  private static final Set<String> POD_METRICS_ENDPOINT =
      Set.of("port", "path", "interval", "scrapeTimeout", "scheme", "relabelings");

  private static final Set<String> RULE_GROUP = Set.of("name", "interval", "rules");

  private static final Set<String> RULE =
      Set.of("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations");

  /** Renders the chart with these values on top of its defaults. */
  static Rendered render(Path dir, Map<String, Object> values) {
    Tools.Result result = template(dir, values);
    assertThat(result.exitCode()).as("helm template failed:%n%s", result.stderr()).isZero();
    return parse(result.stdout());
  }

  static Tools.Result template(Path dir, Map<String, Object> values) {
    Path file = dir.resolve("values-" + System.nanoTime() + ".yaml");
    try {
      // JSON is YAML, and helm rejects the "---" document marker Jackson's YAML writer adds.
      StrictYaml.JSON.writeValue(file.toFile(), values);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Tools.helm(
        List.of(
            "template",
            "stage",
            Tools.chartDir().toString(),
            "--namespace",
            "ollama-staging",
            "-f",
            file.toString()));
  }

  static Rendered parse(String yaml) {
    List<JsonNode> documents = StrictYaml.documents(yaml);
    List<Object> objects = new ArrayList<>();
    for (JsonNode document : documents) {
      String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
      Class<?> type = TYPED.get(key);
      if (type != null) {
        objects.add(StrictYaml.typed(document, type));
      } else if (key.equals("monitoring.coreos.com/v1/PodMonitor")) {
        checkPodMonitor(document);
        objects.add(document);
      } else if (key.equals("monitoring.coreos.com/v1/PrometheusRule")) {
        checkPrometheusRule(document);
        objects.add(document);
      } else {
        throw new AssertionError("the chart rendered an unexpected kind " + key);
      }
    }
    return new Rendered(documents, objects);
  }

  <T> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T> T one(Class<T> type) {
    List<T> found = all(type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  Optional<JsonNode> custom(String kind) {
    return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst();
  }

  private static void checkPodMonitor(JsonNode podMonitor) {
    checkMetadata(podMonitor);
    JsonNode spec = podMonitor.path("spec");
    assertKnownFields("PodMonitor spec", spec, POD_MONITOR_SPEC);
    StrictYaml.typed(spec.path("selector"), LabelSelector.class);
    assertThat(spec.path("podMetricsEndpoints").size()).as("podMetricsEndpoints").isPositive();
    for (JsonNode endpoint : spec.path("podMetricsEndpoints")) {
      assertKnownFields("PodMonitor endpoint", endpoint, POD_METRICS_ENDPOINT);
    }
  }

  private static void checkPrometheusRule(JsonNode rule) {
    checkMetadata(rule);
    assertKnownFields("PrometheusRule spec", rule.path("spec"), Set.of("groups"));
    for (JsonNode group : rule.path("spec").path("groups")) {
      assertKnownFields("rule group", group, RULE_GROUP);
      for (JsonNode r : group.path("rules")) {
        assertKnownFields("rule", r, RULE);
        assertThat(r.path("expr").asText()).as("expr of %s", r.path("alert")).isNotBlank();
      }
    }
  }

  private static void checkMetadata(JsonNode object) {
    StrictYaml.typed(object.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class);
    List<String> top = new ArrayList<>();
    object.fieldNames().forEachRemaining(top::add);
    assertThat(top).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
  }

  private static void assertKnownFields(String what, JsonNode node, Set<String> known) {
    assertThat(node.isObject()).as("%s is an object", what).isTrue();
    List<String> fields = new ArrayList<>();
    node.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).as("fields of %s", what).isSubsetOf(known);
  }
}
