package org.ollamaairgap.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StartupFailureTest {
  @Test
  void aTakenPortIsTheEnvironmentAndSaysHowToMoveIt() {
    Throwable failure =
        new RuntimeException("Failed to start quarkus", new BindException("Address in use"));
    StartupFailure why = StartupFailure.of(failure, OptionalInt.of(9000));
    assertThat(why.exit()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(why.message())
        .isEqualTo(
            "cannot start: the management port 9000 (/q/metrics, /q/health) is already in use,"
                + " by another instance or another program on this host; stop that, or move the"
                + " port with QUARKUS_MANAGEMENT_PORT=<free port>");
  }

  @Test
  void aRejectedConfigurationIsUsageWithoutFrameworkWords() {
    ConfigValidationException invalid =
        new ConfigValidationException(
            new ConfigValidationException.Problem[] {
              new ConfigValidationException.Problem(
                  "SRCFG00039: The config property x.y with the config value \"z\" threw an"
                      + " Exception whilst being converted java.lang.IllegalArgumentException:"
                      + " bad")
            });
    StartupFailure why = StartupFailure.of(new IllegalStateException(invalid), OptionalInt.empty());
    assertThat(why.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(why.message())
        .startsWith("invalid configuration: The config property x.y")
        .doesNotContain("SRCFG", "java.lang", "IllegalArgumentException");
  }

  @Test
  void anythingElseIsTheEnvironment() {
    StartupFailure why =
        StartupFailure.of(new IllegalStateException("no such thing"), OptionalInt.empty());
    assertThat(why.exit()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(why.message()).isEqualTo("cannot start: no such thing; see the log lines above");
  }

  @Test
  void exitCodesAndWords() {
    assertThat(ExitCode.USAGE.code()).isEqualTo(2);
    assertThat(ExitCode.ENVIRONMENT.word()).isEqualTo("environment");
    assertThat(ExitCode.of(1)).isEqualTo(ExitCode.FAILED);
    assertThat(ExitCode.OK.or(ExitCode.ENVIRONMENT)).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(ExitCode.FAILED.or(ExitCode.ENVIRONMENT)).isEqualTo(ExitCode.FAILED);
  }
}
