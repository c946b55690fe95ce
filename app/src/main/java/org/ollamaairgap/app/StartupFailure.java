package org.ollamaairgap.app;

import io.smallrye.config.ConfigValidationException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.ollamaairgap.app.cli.Messages;

/**
 * What a failed start of Quarkus means for the operator, framework words removed: a taken port is
 * the environment (exit 3) and names the port and how to move it; a configuration Quarkus rejects
 * is bad usage (exit 2); anything else is the environment (exit 3).
 *
 * @param exit the exit code
 * @param message one line, without the program name
 */
public record StartupFailure(ExitCode exit, String message) {
  /** The environment variable that moves the management port (DESIGN §8). */
  public static final String PORT_ENV = "QUARKUS_MANAGEMENT_PORT";

  /**
   * @param failure what Quarkus' start-up threw
   * @param managementPort the management port in force, when the program has one
   */
  public static StartupFailure of(Throwable failure, OptionalInt managementPort) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        String port = managementPort.isPresent() ? "port " + managementPort.getAsInt() : "a port";
        return new StartupFailure(
            ExitCode.ENVIRONMENT,
            "cannot start: the management "
                + port
                + " (/q/metrics, /q/health) is already in use, by another instance or another"
                + " program on this host; stop that, or move the port with "
                + PORT_ENV
                + "=<free port>");
      }
      if (t instanceof ConfigValidationException invalid) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < invalid.getProblemCount(); i++) {
          problems.add(Messages.plain(invalid.getProblem(i).getMessage()));
        }
        return new StartupFailure(
            ExitCode.USAGE, "invalid configuration: " + String.join("; ", problems));
      }
    }
    String why = failure == null ? "" : Messages.plain(failure.getMessage());
    return new StartupFailure(
        ExitCode.ENVIRONMENT,
        "cannot start" + (why.isEmpty() ? "" : ": " + why) + "; see the log lines above");
  }
}
