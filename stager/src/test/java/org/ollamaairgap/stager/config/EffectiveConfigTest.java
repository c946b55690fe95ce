package org.ollamaairgap.stager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.cli.UsageException;

/** Layering without booting Quarkus: flags over environment over properties over defaults. */
class EffectiveConfigTest {
  // Stand-ins for Quarkus' sources: application.properties (250) and the environment (300).
  private final SmallRyeConfig base =
      new SmallRyeConfigBuilder()
          .withSources(
              new PropertiesConfigSource(
                  Map.of(
                      "stager.models-dir", "${OLLAMA_MODELS:/home/x/.ollama/models}",
                      "stager.linger", "1m"),
                  "application.properties",
                  250),
              new EnvConfigSource(
                  Map.of("OLLAMA_MODELS", "/nfs/models", "STAGER_STALL_TIMEOUT", "10m"), 300))
          .build();
  private final EffectiveConfig effective = new EffectiveConfig(base);

  @Test
  void with_flagsBeatEnvironmentWhichBeatsPropertiesAndDefaults() throws Exception {
    StagerConfig config = effective.with(Map.of("stager.linger", "0", "stager.models", "a:1,b"));

    assertThat(config.linger()).isEqualTo(Duration.ZERO);
    assertThat(config.transfer().stallTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.modelsDir()).isEqualTo(Path.of("/nfs/models"));
    assertThat(config.models()).contains(List.of("a:1", "b"));
    assertThat(config.driver()).isEqualTo("ollama");
    assertThat(config.progressInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.registry().partSize()).isEmpty();
    assertThat(config.report()).isEmpty();
  }

  @Test
  void with_badValue_isAUsageErrorNamingTheProperty() {
    assertThatThrownBy(() -> effective.with(Map.of("stager.retries", "many")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("invalid configuration: SRCFG00039: The config property")
        .hasMessageContaining("stager.retries")
        .hasMessageEndingWith("; see stager --help");
  }

  @Test
  void current_showsWhatIsInForceBeforeFlags() {
    assertThat(effective.current(option("--stall-timeout"))).isEqualTo("10m");
    assertThat(effective.current(option("--models-dir"))).isEqualTo("/nfs/models");
    assertThat(effective.current(option("--parts"))).isEqualTo("16");
    assertThat(effective.current(option("--report"))).isNull();
  }

  private static org.ollamaairgap.common.cli.Option option(String flag) {
    return StagerOptions.ALL.stream().filter(o -> o.flag().equals(flag)).findFirst().orElseThrow();
  }
}
