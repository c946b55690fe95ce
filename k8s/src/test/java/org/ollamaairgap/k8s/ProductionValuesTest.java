package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The production values file shipped for Helm-only operators (k8s/production/). */
class ProductionValuesTest {

  private static final Path VALUES = Tools.k8sDir().resolve("production/open-webui-values.yaml");

  /** A line of the header's image list: "# REF what it is". */
  private static final Pattern LISTED_IMAGE =
      Pattern.compile("^#\\s+((?:[a-z0-9.-]+/)+[a-z0-9.-]+:[A-Za-z0-9._-]+)\\s{2,}\\S.*$");

  @Test
  void openWebUiValuesGateOllamaOnTheStagedModels() {
    JsonNode values = StrictYaml.read(VALUES);
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

  @Test
  void nothingReachesOutOfTheClusterAndNoPipelines() {
    OpenWebUiValues.checkAirGapped(StrictYaml.read(VALUES));
  }

  @Test
  void everyImageIsListedInTheHeaderAndMarkedForTheMirror() throws IOException {
    List<String> lines = Files.readAllLines(VALUES);
    Set<String> listed = new LinkedHashSet<>();
    for (String line : lines) {
      Matcher matcher = LISTED_IMAGE.matcher(line);
      if (matcher.matches()) {
        listed.add(matcher.group(1));
      }
    }
    Set<String> pulled = OpenWebUiValues.images(StrictYaml.read(VALUES));
    assertThat(pulled)
        .as("images the charts pull with these values")
        .contains("ollama-airgap/verifier:" + appVersion())
        .hasSize(4);
    assertThat(listed).as("images listed in the file's header").isEqualTo(pulled);

    // Each image's repository (or image) line carries the MIRROR marker, so a registry mirror is
    // one search away; nothing unmarked names a registry.
    List<String> imageLines =
        lines.stream()
            .filter(l -> !l.stripLeading().startsWith("#"))
            .filter(l -> l.matches("\\s*(-\\s+)?(repository|image):\\s*\\S.*"))
            .toList();
    assertThat(imageLines).hasSize(pulled.size());
    assertThat(imageLines).allMatch(l -> l.endsWith(" # MIRROR"), "ends with # MIRROR");
  }

  static String appVersion() {
    return StrictYaml.read(Tools.chartDir().resolve("Chart.yaml")).path("appVersion").asText();
  }
}
