package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Renders the stager chart for a matrix of values and checks what an operator relies on. */
class StagerChartTest {

  /** The stager's management port (metrics and health), fixed by the program. */
  private static final int MANAGEMENT_PORT = 9000;

  @TempDir Path dir;

  /** One row of the matrix: values on top of the defaults, and what they must produce. */
  record Case(
      String name,
      Map<String, Object> values,
      List<String> models,
      boolean sidecar,
      boolean pvc,
      boolean monitoring) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> matrix() {
    List<String> defaults = List.of("llama3.2:1b");
    List<String> two = List.of("llama3.2:3b", "nomic-embed-text:latest");
    return Stream.of(
        new Case(
            "defaults: hostPath, ollama sidecar, monitoring",
            Map.of(),
            defaults,
            true,
            false,
            true),
        new Case(
            "pvc, registry driver, no monitoring",
            Map.of(
                "driver",
                "registry",
                "models",
                two,
                "storage",
                Map.of("type", "pvc", "pvc", Map.of("claimName", "ollama-models")),
                "monitoring",
                monitoring(false)),
            two,
            false,
            true,
            false),
        new Case(
            "hostPath with subPath, registry driver, monitoring, image registry",
            Map.of(
                "driver", "registry",
                "image", Map.of("registry", "registry.example.org/mirror/"),
                "storage", Map.of("subPath", "store")),
            defaults,
            false,
            false,
            true),
        new Case(
            "pvc, external Ollama, no monitoring",
            Map.of(
                "ollama", Map.of("externalHost", "http://ollama.staging:11434"),
                "storage", Map.of("type", "pvc", "pvc", Map.of("claimName", "nfs")),
                "monitoring", monitoring(false)),
            defaults,
            false,
            true,
            false));
  }

  private static Map<String, Object> monitoring(boolean on) {
    return Map.of(
        "podMonitor", Map.of("enabled", on),
        "prometheusRule", Map.of("enabled", on),
        "grafanaDashboard", Map.of("enabled", on));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void lintsAndRendersObjectsAnOperatorCanApply(Case c) throws IOException {
    Path values = dir.resolve("values.yaml");
    StrictYaml.JSON.writeValue(values.toFile(), c.values());
    Tools.Result lint =
        Tools.helm(
            List.of("lint", "--strict", Tools.chartDir().toString(), "-f", values.toString()));
    assertThat(lint.exitCode()).as("helm lint:%n%s", lint.both()).isZero();

    Rendered rendered = Rendered.render(dir, c.values());
    List<String> kinds = rendered.documents().stream().map(d -> d.path("kind").asText()).toList();
    List<String> expectedKinds =
        new ArrayList<>(List.of("ServiceAccount", "Role", "RoleBinding", "Job"));
    if (c.monitoring()) {
      expectedKinds.addAll(List.of("ConfigMap", "PodMonitor", "PrometheusRule"));
    }
    assertThat(kinds).containsExactlyInAnyOrderElementsOf(expectedKinds);

    Job job = rendered.one(Job.class);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(86400L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(604800);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
    for (Container container : allContainers(pod)) {
      var security = container.getSecurityContext();
      assertThat(security.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
      assertThat(security.getCapabilities().getDrop())
          .as(container.getName())
          .containsExactly("ALL");
      assertThat(container.getResources().getLimits())
          .as(container.getName())
          .containsKey("memory");
    }

    Container stager = container(pod.getContainers(), "stager");
    assertThat(pod.getContainers()).hasSize(1);
    Map<String, String> env = env(stager);
    assertThat(env.get("STAGER_MODELS")).isEqualTo(String.join(",", c.models()));
    assertThat(env.get("STAGER_DRIVER")).isEqualTo(c.values().getOrDefault("driver", "ollama"));
    assertThat(env.get("STAGER_INVENTORY_CONFIGMAP")).isEqualTo("ollama-airgap-inventory");
    assertThat(env).containsKeys("STAGER_INSECURE", "STAGER_STALL_TIMEOUT", "STAGER_LINGER");
    assertThat(fieldRef(stager, "POD_NAME")).isEqualTo("metadata.name");
    assertThat(fieldRef(stager, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
    assertThat(fieldRef(stager, "POD_UID")).isEqualTo("metadata.uid");

    // The store: OLLAMA_MODELS is the writable mount of the models volume.
    VolumeMount store = mount(stager, "models");
    assertThat(env.get("OLLAMA_MODELS")).isEqualTo(store.getMountPath());
    assertThat(store.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    Volume models = volume(pod, "models");
    if (c.pvc()) {
      assertThat(models.getPersistentVolumeClaim().getClaimName()).isNotBlank();
      assertThat(models.getHostPath()).isNull();
    } else {
      assertThat(models.getHostPath().getPath()).isEqualTo("/mnt/nfs/ollama-models");
      assertThat(models.getHostPath().getType()).isEqualTo("Directory");
    }
    // The report lands on a mounted scratch volume: the root filesystem is read-only.
    assertThat(env.get("STAGER_REPORT")).startsWith(mount(stager, "report").getMountPath() + "/");

    // Management port, probes and scraping all point at the program's real port.
    assertThat(stager.getPorts()).hasSize(1);
    assertThat(stager.getPorts().get(0).getName()).isEqualTo("management");
    assertThat(stager.getPorts().get(0).getContainerPort()).isEqualTo(MANAGEMENT_PORT);
    assertThat(stager.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(stager.getLivenessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("management");
    assertThat(stager.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(stager.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("management");
    rendered
        .custom("PodMonitor")
        .ifPresent(
            podMonitor -> {
              JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
              assertThat(endpoint.path("port").asText()).isEqualTo("management");
              assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
              JsonNode selector = podMonitor.path("spec").path("selector").path("matchLabels");
              Map<String, String> podLabels = job.getSpec().getTemplate().getMetadata().getLabels();
              selector
                  .fields()
                  .forEachRemaining(
                      e -> assertThat(podLabels).containsEntry(e.getKey(), e.getValue().asText()));
            });

    // The Ollama sidecar: native (restartPolicy Always), same store, reachable on loopback.
    List<Container> init = pod.getInitContainers() == null ? List.of() : pod.getInitContainers();
    if (c.sidecar()) {
      Container ollama = container(init, "ollama");
      assertThat(ollama.getRestartPolicy()).isEqualTo("Always");
      Map<String, String> ollamaEnv = env(ollama);
      assertThat(ollamaEnv.get("OLLAMA_MODELS")).isEqualTo(store.getMountPath());
      assertThat(mount(ollama, "models").getSubPath()).isEqualTo(store.getSubPath());
      assertThat(env.get("OLLAMA_HOST")).isEqualTo("http://" + ollamaEnv.get("OLLAMA_HOST"));
      String home = ollamaEnv.get("HOME");
      assertThat(ollama.getVolumeMounts())
          .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(home));
      assertThat(ollama.getStartupProbe().getExec().getCommand()).contains("list");
    } else {
      assertThat(init).isEmpty();
      if ("registry".equals(env.get("STAGER_DRIVER"))) {
        assertThat(env).doesNotContainKey("OLLAMA_HOST");
      } else {
        assertThat(env.get("OLLAMA_HOST")).isEqualTo("http://ollama.staging:11434");
      }
    }

    // RBAC: the pod's ServiceAccount is bound to a Role with only what the stager uses.
    ServiceAccount account = rendered.one(ServiceAccount.class);
    assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
    RoleBinding binding = rendered.one(RoleBinding.class);
    Role role = rendered.one(Role.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(account.getMetadata().getName()));
    assertThat(rules(role))
        .containsExactlyInAnyOrder(
            "/configmaps/[]/[create]",
            "/configmaps/[ollama-airgap-inventory]/[get, update]",
            "coordination.k8s.io/leases/[]/[create, get, update]",
            "/events/[]/[create]");
  }

  @Test
  void alertsAndDashboardUseOnlyTheStagersMetrics() {
    Rendered rendered = Rendered.render(dir, Map.of());
    List<String> exprs = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    for (JsonNode group :
        rendered.custom("PrometheusRule").orElseThrow().path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.add(rule.path("alert").asText());
        exprs.add(rule.path("expr").asText());
      }
    }
    assertThat(alerts)
        .containsExactlyInAnyOrder(
            "OllamaAirgapPullStalled", "OllamaAirgapModelFailed", "OllamaAirgapJobFailed");

    ConfigMap dashboardMap = rendered.one(ConfigMap.class);
    assertThat(dashboardMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode dashboard = readJson(dashboardMap.getData().get("ollama-airgap-stager.json"));
    List<String> dashboardExprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> dashboardExprs.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> dashboardExprs.add(e.asText()));
    assertThat(dashboardExprs).hasSizeGreaterThan(10);

    Set<String> used = new TreeSet<>();
    Set<String> states = new TreeSet<>();
    for (String expr : exprs) {
      used.addAll(MetricsContract.metricsIn(expr));
      states.addAll(MetricsContract.statesIn(expr));
    }
    Set<String> usedByDashboard = new TreeSet<>();
    for (String expr : dashboardExprs) {
      usedByDashboard.addAll(MetricsContract.metricsIn(expr));
      states.addAll(MetricsContract.statesIn(expr));
    }
    used.addAll(usedByDashboard);
    Set<String> known = new TreeSet<>(MetricsContract.SERIES);
    known.addAll(MetricsContract.FOREIGN);
    assertThat(used).as("metric names in alerts and dashboard").isSubsetOf(known);
    assertThat(states).as("state label values").isSubsetOf(MetricsContract.STATES);
    // Every metric the stager publishes is on the dashboard.
    assertThat(usedByDashboard).containsAll(MetricsContract.SERIES);

    // The dashboard's panels show progress, throughput, ETA, failures and retries.
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    assertThat(titles)
        .contains("Progress per model", "Throughput", "ETA", "Retries and failures", "Retries");
    assertThat(dashboard.path("uid").asText()).isEqualTo("ollama-airgap-stager");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            Map.of("models", List.of()),
            "models is empty: list at least one model to stage, e.g. --set models={llama3.2:1b}"),
        Arguments.of(
            Map.of("models", List.of("llama3 mistral")),
            "models: \"llama3 mistral\" is not a model name (no spaces or commas; one name per list"
                + " entry)"),
        Arguments.of(
            Map.of("driver", "docker"),
            "driver: \"docker\" is not supported; use \"ollama\" or \"registry\""),
        Arguments.of(
            Map.of("storage", Map.of("type", "pvc")),
            "storage.pvc.claimName is empty: name the existing PersistentVolumeClaim of the NFS"
                + " export, or use storage.type=hostPath"),
        Arguments.of(
            Map.of("prune", Map.of("mode", "sometimes")),
            "prune.mode: \"sometimes\" is not one of \"off\", \"dry-run\", \"on\""),
        Arguments.of(
            Map.of("storage", Map.of("type", "nfs")),
            "storage.type: \"nfs\" is not supported; use \"hostPath\" or \"pvc\""));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void refusesValuesThatCannotWork(Map<String, Object> values, String message) {
    Tools.Result result = Rendered.template(dir, values);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains(message);
  }

  @Test
  void pruneSettingsReachTheStagerAndABareYamlOffStaysOff() {
    Map<String, String> defaults = env(stagerContainer(Map.of()));
    assertThat(defaults)
        .containsEntry("STAGER_PRUNE", "off")
        .containsEntry("STAGER_PRUNE_GRACE", "24h");
    assertThat(defaults).doesNotContainKey("STAGER_PRUNE_SCOPE");
    assertThat(env(stagerContainer(Map.of("prune", Map.of("mode", false)))))
        .containsEntry("STAGER_PRUNE", "off");
    assertThat(env(stagerContainer(Map.of("prune", Map.of("mode", true)))))
        .containsEntry("STAGER_PRUNE", "on");
    Map<String, String> on =
        env(
            stagerContainer(
                Map.of(
                    "prune",
                    Map.of(
                        "mode", "dry-run", "grace", "72h", "scope", List.of("hf.co/bartowski")))));
    assertThat(on)
        .containsEntry("STAGER_PRUNE", "dry-run")
        .containsEntry("STAGER_PRUNE_GRACE", "72h")
        .containsEntry("STAGER_PRUNE_SCOPE", "hf.co/bartowski");
  }

  @Test
  void aScheduleAddsACronJobRunningTheSamePodThatNeverOverlaps() {
    Map<String, Object> values =
        Map.of(
            "schedule", Map.of("cron", "0 3 * * *", "timeZone", "Europe/Berlin"),
            "prune", Map.of("mode", "on"));
    Rendered rendered = Rendered.render(dir, values);
    Job job = rendered.one(Job.class);
    CronJob cron = rendered.one(CronJob.class);
    assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(cron.getSpec().getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cron.getSpec().getJobTemplate().getSpec().getTemplate())
        .as("the scheduled run is the same pod as the Job")
        .isEqualTo(job.getSpec().getTemplate());
    assertThat(cron.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isEqualTo(3);
    assertThat(Rendered.render(dir, Map.of()).all(CronJob.class)).isEmpty();
  }

  private Container stagerContainer(Map<String, Object> values) {
    return Rendered.render(dir, values)
        .one(Job.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .stream()
        .filter(c -> c.getName().equals("stager"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void jobNameChangesWithThePodTemplateSoUpgradesNeverPatchAJob() {
    String base = jobName(Map.of());
    assertThat(jobName(Map.of())).as("same values, same Job").isEqualTo(base);
    assertThat(base).matches("stage-ollama-airgap-stager-[0-9a-f]{8}");
    List<Map<String, Object>> changes =
        List.of(
            Map.of("models", List.of("qwen2.5:0.5b")),
            Map.of("stager", Map.of("linger", "5m")),
            Map.of("image", Map.of("tag", "0.2.0")),
            Map.of("job", Map.of("rerun", "202611290400")));
    Set<String> names = new TreeSet<>(List.of(base));
    for (Map<String, Object> change : changes) {
      assertThat(names.add(jobName(change))).as("a new Job for %s", change).isTrue();
    }
  }

  private String jobName(Map<String, Object> values) {
    return Rendered.render(dir, values).one(Job.class).getMetadata().getName();
  }

  @Test
  void needsKubernetesWithNativeSidecars() {
    Tools.Result old =
        Tools.helm(
            List.of("template", "stage", Tools.chartDir().toString(), "--kube-version", "1.28.9"));
    assertThat(old.exitCode()).isNotZero();
    assertThat(old.stderr())
        .contains("chart requires kubeVersion: >=1.29.0-0 which is incompatible with Kubernetes");
    Tools.Result current =
        Tools.helm(
            List.of("template", "stage", Tools.chartDir().toString(), "--kube-version", "1.29.0"));
    assertThat(current.exitCode()).as(current.stderr()).isZero();
  }

  @Test
  void dashboardPanelsHaveUniqueIdsAndDoNotOverlap() {
    Rendered rendered = Rendered.render(dir, Map.of());
    JsonNode dashboard =
        readJson(rendered.one(ConfigMap.class).getData().get("ollama-airgap-stager.json"));
    Set<Integer> ids = new TreeSet<>();
    List<int[]> boxes = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("id of %s is unique", title).isTrue();
      assertThat(panel.path("datasource").path("uid").asText())
          .as("%s uses the dashboard's data source variable", title)
          .isEqualTo("${datasource}");
      JsonNode grid = panel.path("gridPos");
      int[] box = {
        grid.path("x").asInt(),
        grid.path("y").asInt(),
        grid.path("w").asInt(),
        grid.path("h").asInt()
      };
      assertThat(box[0] + box[2]).as("%s fits in 24 columns", title).isLessThanOrEqualTo(24);
      for (int[] other : boxes) {
        boolean apart =
            box[0] + box[2] <= other[0]
                || other[0] + other[2] <= box[0]
                || box[1] + box[3] <= other[1]
                || other[1] + other[3] <= box[1];
        assertThat(apart).as("%s overlaps another panel", title).isTrue();
      }
      boxes.add(box);
    }
    assertThat(ids).hasSizeGreaterThan(5);
  }

  @Test
  void strictParsingRejectsAFieldKubernetesDoesNotKnow() {
    Rendered rendered = Rendered.render(dir, Map.of());
    String job =
        StrictYaml.documents(
                Tools.helm(
                        List.of(
                            "template",
                            "stage",
                            Tools.chartDir().toString(),
                            "-s",
                            "templates/job.yaml"))
                    .stdout())
            .get(0)
            .toString()
            .replace("\"imagePullPolicy\"", "\"imagePullPolicyy\"");
    assertThat(rendered.one(Job.class)).isNotNull();
    assertThatThrownBy(() -> StrictYaml.typed(readJson(job), Job.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imagePullPolicyy");
  }

  @Test
  void managementPortIsTheStagersOwn() throws IOException {
    // Quarkus serves /q/metrics and /q/health on its management port, 9000 unless configured.
    Path properties = Tools.k8sDir().resolve("../stager/src/main/resources/application.properties");
    Properties config = new Properties();
    if (Files.exists(properties)) {
      try (var in = Files.newInputStream(properties)) {
        config.load(in);
      }
    }
    assertThat(Integer.parseInt(config.getProperty("quarkus.management.port", "9000")))
        .as("quarkus.management.port in %s", properties)
        .isEqualTo(MANAGEMENT_PORT);
    JsonNode values = StrictYaml.read(Tools.chartDir().resolve("values.yaml"));
    assertThat(values.path("stager").path("managementPort").asInt()).isEqualTo(MANAGEMENT_PORT);
  }

  @Test
  void everyValueIsDocumented() throws IOException {
    // Each key in values.yaml has a comment right above it, unless it sits inside a documented
    // object (e.g. the fields of `resources`) or is a bare section whose first child is documented.
    List<String> lines = Files.readAllLines(Tools.chartDir().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    List<int[]> documentedAncestors = new ArrayList<>(); // {indent}
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.matches("^\\s*[A-Za-z][A-Za-z0-9]*:.*")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      documentedAncestors.removeIf(a -> a[0] >= indent);
      boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
      boolean section =
          line.strip().endsWith(":")
              && i + 1 < lines.size()
              && lines.get(i + 1).strip().startsWith("#");
      if (commented && !section) {
        documentedAncestors.add(new int[] {indent});
      } else if (!commented && !section && documentedAncestors.isEmpty()) {
        undocumented.add((i + 1) + ": " + line.strip());
      }
    }
    assertThat(undocumented).as("values without a comment").isEmpty();
  }

  private static JsonNode readJson(String json) {
    try {
      return StrictYaml.YAML.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + e.getMessage(), e);
    }
  }

  static List<Container> allContainers(PodSpec pod) {
    List<Container> all = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      all.addAll(pod.getInitContainers());
    }
    return all;
  }

  static Container container(List<Container> containers, String name) {
    return containers.stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + containers));
  }

  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      assertThat(env)
          .as("duplicate env %s in %s", var.getName(), container.getName())
          .doesNotContainKey(var.getName());
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  private static String fieldRef(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getFieldRef()
        .getFieldPath();
  }

  static VolumeMount mount(Container container, String volume) {
    return container.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static List<String> rules(Role role) {
    List<String> rules = new ArrayList<>();
    for (PolicyRule rule : role.getRules()) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rules.add(
              group
                  + "/"
                  + resource
                  + "/"
                  + new TreeSet<>(rule.getResourceNames())
                  + "/"
                  + new TreeSet<>(rule.getVerbs()));
        }
      }
    }
    return rules;
  }
}
