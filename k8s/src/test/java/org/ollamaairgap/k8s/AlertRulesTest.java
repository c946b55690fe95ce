package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Prometheus' own promtool on the chart's alert rules (syntax, then unit tests with synthetic
 * series) and on every dashboard query (as recording rules, which promtool parses).
 */
class AlertRulesTest {

  @TempDir Path dir;

  @Test
  void alertsFireOnStalledPullsFailedModelsAndFailedJobs() throws IOException {
    Rendered rendered = Rendered.render(dir, Map.of());
    JsonNode spec = rendered.custom("PrometheusRule").orElseThrow().path("spec");
    StrictYaml.JSON.writeValue(dir.resolve("rules.yaml").toFile(), spec);
    try (InputStream tests = getClass().getResourceAsStream("/promtool/stager-alerts-test.yaml")) {
      Files.copy(tests, dir.resolve("tests.yaml"));
    }

    Tools.Result check = promtool("check", "rules", dir.resolve("rules.yaml").toString());
    assertThat(check.exitCode()).as("promtool check rules:%n%s", check.both()).isZero();
    assertThat(check.both()).contains("SUCCESS: 3 rules found");

    Tools.Result test = promtool("test", "rules", dir.resolve("tests.yaml").toString());
    assertThat(test.exitCode()).as("promtool test rules:%n%s", test.both()).isZero();
    assertThat(test.both()).contains("SUCCESS");
  }

  @Test
  void everyDashboardQueryIsValidPromQl() throws IOException {
    Rendered rendered = Rendered.render(dir, Map.of());
    JsonNode dashboard =
        StrictYaml.YAML.readTree(
            rendered.one(ConfigMap.class).getData().get("ollama-airgap-stager.json"));
    ObjectNode rules = StrictYaml.JSON.createObjectNode();
    ArrayNode group =
        rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
    int count = 0;
    for (JsonNode expr : dashboard.findValues("expr")) {
      // Grafana fills these in before Prometheus sees the query.
      String promql =
          expr.asText()
              .replace("$namespace", "ollama-staging")
              .replace("$model", ".*")
              .replace("$__range", "6h");
      group.addObject().put("record", "dashboard:query_" + count++).put("expr", promql);
    }
    assertThat(count).isGreaterThan(10);
    Path file = dir.resolve("dashboard-rules.yaml");
    StrictYaml.JSON.writeValue(file.toFile(), rules);

    Tools.Result check = promtool("check", "rules", file.toString());
    assertThat(check.exitCode()).as("promtool check rules:%n%s", check.both()).isZero();
  }

  private static Tools.Result promtool(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(
        Tools.onPath(
            "promtool",
            "Debian's prometheus package (apt-get install -y --no-install-recommends prometheus)"));
    command.addAll(List.of(args));
    return Tools.run(command, 120);
  }
}
