package org.ollamaairgap.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static final Option MODELS =
      Option.list("--models", "t.models", "T_MODELS", "NAMES", "models to stage");
  private static final Option STALL =
      Option.value("--stall-timeout", "t.stall-timeout", "T_STALL", "DURATION", "stall limit");
  private static final Option INSECURE =
      Option.toggle("--insecure", "t.insecure", "T_INSECURE", "plain HTTP");
  private final CommandLine cli =
      new CommandLine("t", "Test program.", List.of(MODELS, STALL, INSECURE), MODELS);

  @Test
  void parse_flagsBothForms_setProperties() throws Exception {
    var parsed = cli.parse("--stall-timeout", "5m", "--insecure", "--models=a,b");
    assertThat(parsed.properties())
        .isEqualTo(Map.of("t.stall-timeout", "5m", "t.insecure", "true", "t.models", "a,b"));
    assertThat(parsed.help()).isFalse();
  }

  @Test
  void parse_positionalsAndRepeats_appendToTheList() throws Exception {
    var parsed = cli.parse("--models", "a", "b", "--", "--c");
    assertThat(parsed.properties()).containsEntry("t.models", "a,b,--c");
  }

  @Test
  void parse_switchWithExplicitValue() throws Exception {
    assertThat(cli.parse("--insecure=false").properties()).containsEntry("t.insecure", "false");
    assertThatThrownBy(() -> cli.parse("--insecure=yes"))
        .hasMessage("--insecure takes true or false, not 'yes'");
  }

  @Test
  void parse_help() throws Exception {
    assertThat(cli.parse("-h").help()).isTrue();
    assertThat(cli.parse("--help", "--insecure").help()).isTrue();
  }

  @Test
  void parse_badInput_isAUsageError() {
    assertThatThrownBy(() -> cli.parse("--nope"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown option '--nope'; see t --help");
    assertThatThrownBy(() -> cli.parse("--stall-timeout"))
        .hasMessage("--stall-timeout needs a value (DURATION); see t --help");
    assertThatThrownBy(() -> cli.parse("--stall-timeout", "1s", "--stall-timeout=2s"))
        .hasMessage("--stall-timeout is given more than once");
    CommandLine noPositional = new CommandLine("v", "V.", List.of(STALL), null);
    assertThatThrownBy(() -> noPositional.parse("stray"))
        .hasMessage("unexpected argument 'stray'; see v --help");
  }

  @Test
  void help_listsEveryFlagWithEnvAndDefault() {
    String help = cli.help(o -> o == STALL ? "5m" : "");
    assertThat(help)
        .startsWith("Usage: t [options] [NAMES ...]\n\nTest program.\n")
        .contains("  --stall-timeout DURATION\n      stall limit\n      env T_STALL; default: 5m\n")
        .contains("  --insecure\n      plain HTTP\n      env T_INSECURE; default: (none)\n")
        .contains("-h, --help");
  }
}
