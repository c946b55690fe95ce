package org.ollamaairgap.stager.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.EffectiveConfig;
import org.ollamaairgap.app.cli.InForce;
import org.ollamaairgap.stager.config.StagerConfig;

/**
 * The stager's real layering without booting Quarkus (its application.properties from the class
 * path): flag over environment variable over property over default, and the help built on it.
 */
class StagerCommandTest {
  private static EffectiveConfig config(Map<String, String> env, String... args) throws Exception {
    return EffectiveConfig.standalone(StagerCommand.CLI.parse(args), env, StagerLaunch.CONVERTERS);
  }

  static Stream<Arguments> precedence() {
    Function<StagerConfig, Object> modelsDir = StagerConfig::modelsDir;
    Function<StagerConfig, Object> stall = c -> c.transfer().stallTimeout();
    Function<StagerConfig, Object> proxy = c -> c.registry().httpsProxy().orElse(null);
    return Stream.of(
        Arguments.of("default", Map.of(), new String[0], stall, Duration.ofMinutes(5)),
        Arguments.of(
            "env over default",
            Map.of("STAGER_STALL_TIMEOUT", "10m"),
            new String[0],
            stall,
            Duration.ofMinutes(10)),
        Arguments.of(
            "flag over env",
            Map.of("STAGER_STALL_TIMEOUT", "10m"),
            new String[] {"--stall-timeout", "1m"},
            stall,
            Duration.ofMinutes(1)),
        Arguments.of(
            "property (from HOME) over default",
            Map.of("HOME", "/home/x"),
            new String[0],
            modelsDir,
            Path.of("/home/x/.ollama/models")),
        Arguments.of(
            "env over property",
            Map.of("HOME", "/home/x", "OLLAMA_MODELS", "/nfs/models"),
            new String[0],
            modelsDir,
            Path.of("/nfs/models")),
        Arguments.of(
            "flag over env",
            Map.of("OLLAMA_MODELS", "/nfs/models"),
            new String[] {"--models-dir=/flag"},
            modelsDir,
            Path.of("/flag")),
        Arguments.of(
            "HTTPS_PROXY through the property",
            Map.of("HTTPS_PROXY", "http://proxy:3128"),
            new String[0],
            proxy,
            "http://proxy:3128"),
        Arguments.of(
            "STAGER_HTTPS_PROXY over HTTPS_PROXY",
            Map.of("HTTPS_PROXY", "http://proxy:3128", "STAGER_HTTPS_PROXY", "http://other:8080"),
            new String[0],
            proxy,
            "http://other:8080"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("precedence")
  void theValueInForce(
      String name,
      Map<String, String> env,
      String[] args,
      Function<StagerConfig, Object> read,
      Object expected)
      throws Exception {
    assertThat(read.apply(config(env, args).mapping(StagerConfig.class))).isEqualTo(expected);
  }

  @Test
  void aBadEnvironmentValueNamesFlagAndVariable() {
    assertThatThrownBy(() -> config(Map.of("STAGER_RETRIES", "many")).mapping(StagerConfig.class))
        .isInstanceOf(UsageException.class)
        .hasMessage("--retries (STAGER_RETRIES): 'many' is not a whole number; see stager --help");
  }

  @Test
  void helpShowsTheProxyWithoutItsPasswordAndWhereItCameFrom() throws Exception {
    EffectiveConfig config =
        config(Map.of("HTTPS_PROXY", "http://alice:s3cret@proxy:3128"), "--help");
    String help =
        StagerCommand.CLI.help(config.invocation(), new InForce(config, StagerConfig.class));
    assertThat(help)
        .contains("env STAGER_HTTPS_PROXY; now: http://***@proxy:3128 (from HTTPS_PROXY)\n")
        .doesNotContain("s3cret", "alice");
  }

  @Test
  void helpShowsTheManagementPortInForce() throws Exception {
    EffectiveConfig byDefault = config(Map.of(), "--help");
    assertThat(
            StagerCommand.CLI.help(
                byDefault.invocation(), new InForce(byDefault, StagerConfig.class)))
        .contains("  QUARKUS_MANAGEMENT_PORT  Port of /q/metrics and /q/health")
        .contains("      default: 9000\n");
    EffectiveConfig moved = config(Map.of("QUARKUS_MANAGEMENT_PORT", "9100"), "--help");
    assertThat(StagerCommand.CLI.help(moved.invocation(), new InForce(moved, StagerConfig.class)))
        .contains("      now: 9100 (from QUARKUS_MANAGEMENT_PORT)\n");
  }
}
