package org.ollamaairgap.common.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.ModelName;

class PruneOptionsTest {
  @ParameterizedTest
  @CsvSource({
    "off,OFF",
    "dry-run,DRY_RUN",
    "on,ON",
    "ON,ON",
    " Dry-Run ,DRY_RUN",
    "true,ON",
    "false,OFF"
  })
  void modes(String text, PruneMode mode) {
    assertThat(PruneMode.parse(text)).isEqualTo(mode);
  }

  @Test
  void anUnknownModeListsTheChoices() {
    assertThatThrownBy(() -> PruneMode.parse("yes"))
        .hasMessage("'yes' is not one of: off, dry-run, on");
  }

  @Test
  void scopes() throws Exception {
    List<ModelName> listed = List.of(ModelName.parse("llama3.2:1b"));
    PruneScope scope = PruneScope.parse(List.of(), listed);
    assertThat(scope.contains(ModelName.parse("qwen3:8b"))).isTrue();
    assertThat(scope.contains(ModelName.parse("Registry.Ollama.AI/Library/qwen3:8b"))).isTrue();
    assertThat(scope.contains(ModelName.parse("hf.co/u/m:q4"))).isFalse();
    assertThat(PruneScope.parse(List.of("hf.co/u"), listed).contains(ModelName.parse("hf.co/U/m")))
        .isTrue();
    assertThat(PruneScope.parse(List.of("all"), listed).contains(ModelName.parse("x.io/a/b")))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({"hf.co", "hf.co/u/m", "/u", "hf.co/"})
  void aScopeThatIsNotHostSlashNamespaceIsRefused(String value) {
    assertThatThrownBy(() -> PruneScope.parse(List.of(value), List.of()))
        .hasMessageContaining("is not host/namespace");
  }
}
