package org.ollamaairgap.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.app.UsageException;

/** Flag over environment over application.properties over the mapping's default, and the errors. */
class EffectiveConfigTest {
  private static final Map<String, String> PROPERTIES =
      Map.of("demo.dir", "${DEMO_DIR_ENV:/home/x/models}");

  static Stream<Arguments> precedence() {
    Function<DemoConfig, Object> mode = DemoConfig::mode;
    Function<DemoConfig, Object> interval = DemoConfig::interval;
    Function<DemoConfig, Object> dir = DemoConfig::dir;
    Function<DemoConfig, Object> parts = c -> c.transfer().parts();
    return Stream.of(
        // what is set: flag / env / property / default -> what is in force
        Arguments.of("default", Map.of(), Map.of(), new String[0], mode, DemoConfig.Mode.FULL),
        Arguments.of(
            "property over default",
            Map.of(),
            Map.of("demo.mode", "size"),
            new String[0],
            mode,
            DemoConfig.Mode.SIZE),
        Arguments.of(
            "env over property",
            Map.of("DEMO_MODE", "full"),
            Map.of("demo.mode", "size"),
            new String[0],
            mode,
            DemoConfig.Mode.FULL),
        Arguments.of(
            "flag over env",
            Map.of("DEMO_MODE", "full"),
            Map.of("demo.mode", "full"),
            new String[] {"--mode", "SIZE"},
            mode,
            DemoConfig.Mode.SIZE),
        Arguments.of(
            "duration flag over env",
            Map.of("DEMO_INTERVAL", "1m"),
            Map.of(),
            new String[] {"--interval=5s"},
            interval,
            Duration.ofSeconds(5)),
        Arguments.of(
            "env of another name through a property expression",
            Map.of("DEMO_DIR_ENV", "/nfs/models"),
            Map.of(),
            new String[0],
            dir,
            "/nfs/models"),
        Arguments.of(
            "flag over the expression's env",
            Map.of("DEMO_DIR_ENV", "/nfs/models"),
            Map.of(),
            new String[] {"--dir", "/flag"},
            dir,
            "/flag"),
        Arguments.of(
            "the expression's default", Map.of(), Map.of(), new String[0], dir, "/home/x/models"),
        Arguments.of(
            "group property from env",
            Map.of("DEMO_PARTS", "4"),
            Map.of(),
            new String[0],
            parts,
            4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("precedence")
  void theValueInForce(
      String name,
      Map<String, String> env,
      Map<String, String> properties,
      String[] args,
      Function<DemoConfig, Object> read,
      Object expected)
      throws Exception {
    Map<String, String> all = new java.util.HashMap<>(PROPERTIES);
    all.putAll(properties);
    DemoConfig config = Demo.config(env, all, args).mapping(DemoConfig.class);
    assertThat(read.apply(config)).isEqualTo(expected);
  }

  @Test
  void listsJoinFlagsAndPositionals() throws Exception {
    DemoConfig config =
        Demo.config(Map.of(), PROPERTIES, "--models", "a:1,b", "--models=c", "d", "e")
            .mapping(DemoConfig.class);
    assertThat(config.models()).contains(List.of("a:1", "b", "c", "d", "e"));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            Map.of(),
            new String[] {"--mode", "fast"},
            "--mode (DEMO_MODE): 'fast' is not one of: full, size; see demo --help"),
        Arguments.of(
            Map.of("DEMO_MODE", "fast"),
            new String[0],
            "--mode (DEMO_MODE): 'fast' is not one of: full, size; see demo --help"),
        Arguments.of(
            Map.of("DEMO_PARALLELISM", "many"),
            new String[0],
            "--parallelism (DEMO_PARALLELISM): 'many' is not a whole number; see demo --help"),
        Arguments.of(
            Map.of(),
            new String[] {"--interval", "soon"},
            "--interval (DEMO_INTERVAL): 'soon' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d);"
                + " see demo --help"),
        Arguments.of(
            Map.of("DEMO_INSECURE", "ture"),
            new String[0],
            "--insecure (DEMO_INSECURE): 'ture' is not true or false; see demo --help"),
        Arguments.of(
            Map.of("DEMO_MODE", "fast", "DEMO_PARTS", "x"),
            new String[0],
            "--mode (DEMO_MODE): 'fast' is not one of: full, size; --parts (DEMO_PARTS): 'x' is"
                + " not a whole number; see demo --help"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValuesNameTheFlagAndVariable(Map<String, String> env, String[] args, String message) {
    assertThatThrownBy(() -> Demo.config(env, PROPERTIES, args).mapping(DemoConfig.class))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void aMissingValueIsSaidWithoutFrameworkWords() {
    assertThatThrownBy(() -> Demo.config(Map.of(), Map.of()).mapping(DemoConfig.class))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--dir (DEMO_DIR_ENV)")
        .hasMessageNotContaining("SRCFG")
        .hasMessageEndingWith("; see demo --help");
  }

  @Test
  void originSaysWhetherAFlagOrAVariableSetIt() throws Exception {
    EffectiveConfig config =
        Demo.config(Map.of("DEMO_MODE", "size", "DEMO_DIR_ENV", "/x"), PROPERTIES, "--parts=3");
    assertThat(config.origin(Demo.MODE)).contains("DEMO_MODE");
    assertThat(config.origin(Demo.DIR)).contains("DEMO_DIR_ENV");
    assertThat(config.origin(Demo.PARTS)).contains("--parts");
    assertThat(config.origin(Demo.INTERVAL)).isEmpty();
  }

  @Test
  void subcommandFlagsAreRead() throws Exception {
    EffectiveConfig config = Demo.config(Map.of(), PROPERTIES, "export", "--dir", "/out", "m:1");
    assertThat(config.invocation().commandName()).isEqualTo("demo export");
    DemoConfig mapped = config.mapping(DemoConfig.class);
    assertThat(mapped.dir()).isEqualTo("/out");
    assertThat(mapped.models()).contains(List.of("m:1"));
  }
}
