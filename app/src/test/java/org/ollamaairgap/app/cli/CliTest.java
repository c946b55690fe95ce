package org.ollamaairgap.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.app.UsageException;

/** Parsing into properties, refusals in the programs' words, and the help layout. */
class CliTest {
  @Test
  void flagsBecomeProperties() throws Exception {
    Invocation invocation =
        Demo.CLI.parse("--mode=size", "--parallelism", "2", "--insecure", "m:1", "m:2");
    assertThat(invocation.request()).isEqualTo(Invocation.Request.RUN);
    assertThat(invocation.flags())
        .isEqualTo(
            Map.of(
                "demo.mode", "size",
                "demo.parallelism", "2",
                "demo.insecure", "true",
                "demo.models", "m:1,m:2"));
  }

  @Test
  void aSwitchTakesOnlyAnAttachedValue() throws Exception {
    assertThat(Demo.CLI.parse("--insecure=false").flags()).containsEntry("demo.insecure", "false");
    // The next word is a model name, never the switch's value.
    assertThat(Demo.CLI.parse("--insecure", "llama3:8b").flags())
        .containsEntry("demo.insecure", "true")
        .containsEntry("demo.models", "llama3:8b");
  }

  @Test
  void helpAndVersionAreRequests() throws Exception {
    assertThat(Demo.CLI.parse("--mode", "x", "-h").request()).isEqualTo(Invocation.Request.HELP);
    assertThat(Demo.CLI.parse("--help").request()).isEqualTo(Invocation.Request.HELP);
    assertThat(Demo.CLI.parse("-V").request()).isEqualTo(Invocation.Request.VERSION);
    assertThat(Demo.CLI.parse("export", "--help").commandName()).isEqualTo("demo export");
    assertThat(Demo.CLI.version()).matches("demo \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(new String[] {"--bogus"}, "unknown option '--bogus'; see demo --help"),
        Arguments.of(
            new String[] {"--mdoe", "size"},
            "unknown option '--mdoe' (did you mean --mode?); see demo --help"),
        Arguments.of(
            new String[] {"--parralelism=2"},
            "unknown option '--parralelism' (did you mean --parallelism?); see demo --help"),
        Arguments.of(
            new String[] {"export", "--mode", "size"},
            "unknown option '--mode'; see demo export --help"),
        Arguments.of(new String[] {"--mode"}, "--mode needs a value (full|size); see demo --help"),
        Arguments.of(
            new String[] {"--mode", "a", "--mode", "b"},
            "--mode is given more than once; see demo --help"),
        Arguments.of(
            new String[] {"--insecure=maybe"},
            "--insecure takes true or false, not 'maybe'; see demo --help"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusalsSayWhatAndWhereToLook(String[] args, String message) {
    assertThatThrownBy(() -> Demo.CLI.parse(args))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void helpListsEachOptionWithItsVariableAndTheValueInForce() throws Exception {
    Map<String, String> env = Map.of("DEMO_MODE", "size", "DEMO_PORT", "9100");
    EffectiveConfig config =
        Demo.config(
            env,
            Map.of("demo.dir", "${DEMO_DIR_ENV:/home/x}", "demo.port", "9000"),
            "--parallelism",
            "3",
            "--help");
    String help = Demo.CLI.help(config.invocation(), new InForce(config, DemoConfig.class));

    assertThat(help)
        .startsWith("Usage: demo [OPTIONS] [NAME...] [COMMAND]\nDoes demo things.\n")
        .containsPattern(
            "\n      --mode=full\\|size +How thoroughly\\.\n"
                + " +env DEMO_MODE; now: size \\(from DEMO_MODE\\)\n")
        .contains("env DEMO_PARALLELISM; now: 3 (from --parallelism)\n")
        .contains("      --insecure[=true|false]\n")
        .contains("env DEMO_INSECURE; default: false\n")
        .contains("env DEMO_DIR_ENV; default: /home/x\n")
        .contains("env DEMO_MODELS; default: (none)\n")
        .contains("  -h, --help ", "  -V, --version ")
        .contains("export  Writes a bundle.")
        .contains(
            "Environment:\n  DEMO_PORT  The port of /q/metrics.\n      now: 9100 (from DEMO_PORT)")
        .doesNotContain("default: full"); // the variable set it
  }

  @Test
  void subcommandHelpNamesTheSubcommand() throws Exception {
    EffectiveConfig config = Demo.config(Map.of(), Map.of(), "export", "--help");
    String help = Demo.CLI.help(config.invocation(), new InForce(config, DemoConfig.class));
    assertThat(help).startsWith("Usage: demo export [OPTIONS] [NAME...]\nWrites a bundle.\n");
    assertThat(help).contains("--dir=DIR").doesNotContain("--mode=", "--version");
  }

  @Test
  void helpNeverShowsACredential() throws Exception {
    EffectiveConfig config =
        Demo.config(
            Map.of("DEMO_DIR_ENV", "http://alice:s3cret@proxy:3128"),
            Map.of("demo.dir", "${DEMO_DIR_ENV:}"),
            "--help");
    String help = Demo.CLI.help(config.invocation(), new InForce(config, DemoConfig.class));
    assertThat(help).contains("now: http://***@proxy:3128 (from DEMO_DIR_ENV)");
    assertThat(help).doesNotContain("s3cret", "alice");
  }

  @Test
  void nearestOnlyForCloseTypos() {
    var known = java.util.List.of("--mode", "--models", "--models-dir", "--report");
    assertThat(Nearest.of("--model-dir", known)).isEqualTo("--models-dir");
    assertThat(Nearest.of("--reprot", known)).isEqualTo("--report");
    assertThat(Nearest.of("--bogus", known)).isNull();
    assertThat(Nearest.of("--x", known)).isNull();
  }
}
