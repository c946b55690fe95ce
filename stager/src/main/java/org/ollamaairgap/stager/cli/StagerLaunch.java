package org.ollamaairgap.stager.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.StartupFailure;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.Cli;
import org.ollamaairgap.app.cli.EffectiveConfig;
import org.ollamaairgap.app.cli.Invocation;
import org.ollamaairgap.app.cli.Preflight;
import org.ollamaairgap.app.output.TerminationLog;
import org.ollamaairgap.stager.bundle.BundleCommand;
import org.ollamaairgap.stager.cluster.Cluster;
import org.ollamaairgap.stager.config.ConfigCheck;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.report.SummaryWriter;
import org.ollamaairgap.stager.run.ModelList;
import org.ollamaairgap.stager.run.Summary;

/**
 * The stager around Quarkus: before it starts ({@code --help}, {@code --version}, every usage error
 * that needs no running application: exit 0 or 2 without binding the management port), when it
 * fails to start (a taken port: exit 3 naming it), and the configuration in force once it runs. A
 * run that never started still ends with the JSON summary as stdout's last line and the reason in
 * the termination log.
 */
public final class StagerLaunch {
  /** Durations, sizes and paths as Quarkus reads them, before and inside Quarkus. */
  public static final EffectiveConfig.Converters CONVERTERS =
      builder ->
          builder
              .withConverter(Duration.class, 200, new DurationConverter())
              .withConverter(MemorySize.class, 200, new MemorySizeConverter())
              .withConverter(Path.class, 200, new PathConverter());

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  public StagerLaunch(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Empty: start Quarkus and run. Present: exit now with this code. */
  public Optional<ExitCode> beforeStart(String[] args) {
    return new Preflight(StagerCommand.CLI, StagerConfig.class, CONVERTERS, env, out)
        .check(
            args, this::check, (message, config) -> refuse(ExitCode.USAGE, message, config, args));
  }

  /**
   * {@code stager export} and {@code stager import} run here, before Quarkus: they serve no port,
   * and an export's tar stream owns standard output. Empty for any other command line.
   */
  public Optional<ExitCode> runBundle(String[] args, InputStream stdin, OutputStream stdout) {
    Invocation invocation;
    StagerConfig config;
    try {
      invocation = StagerCommand.CLI.parse(args);
      if (!BundleCommand.handles(invocation)) {
        return Optional.empty();
      }
      config = EffectiveConfig.standalone(invocation, env, CONVERTERS).mapping(StagerConfig.class);
    } catch (UsageException e) {
      return Optional.empty(); // beforeStart refused it already
    }
    return Optional.of(new BundleCommand(env, stdin, stdout, err, clock).run(invocation, config));
  }

  /** Quarkus did not start: one line saying why and what to do, the summary, the reason. */
  public ExitCode startFailed(String[] args, Throwable failure) {
    Optional<EffectiveConfig> config = standalone(args);
    OptionalInt port = OptionalInt.empty();
    Optional<String> value = config.flatMap(c -> c.value(StagerCommand.MANAGEMENT_PORT.property()));
    if (value.isPresent() && value.get().strip().matches("\\d{1,5}")) {
      port = OptionalInt.of(Integer.parseInt(value.get().strip()));
    }
    StartupFailure why = StartupFailure.of(failure, port);
    refuse(why.exit(), why.message(), config, args);
    return why.exit();
  }

  /** Inside Quarkus: the flags over Quarkus' own sources, mapped. */
  public StagerConfig configure(String[] args, Iterable<ConfigSource> quarkus)
      throws UsageException {
    Invocation invocation = StagerCommand.CLI.parse(args);
    return EffectiveConfig.over(quarkus, invocation, env, CONVERTERS).mapping(StagerConfig.class);
  }

  /** What needs no running application: every value and range, the model list, the cluster mode. */
  private void check(EffectiveConfig effective) throws UsageException {
    StagerConfig config = effective.mapping(StagerConfig.class);
    ConfigCheck.check(config);
    if (BundleCommand.handles(effective.invocation())) {
      BundleCommand.check(effective.invocation(), config);
      return;
    }
    ModelList.parse(config.models().orElse(List.of()));
    Cluster.context(config.cluster().kubernetes(), env);
  }

  /** A run that never started: stderr, the summary as stdout's last line, the termination log. */
  private void refuse(
      ExitCode exit, String message, Optional<EffectiveConfig> config, String[] args) {
    err.println("stager: " + message);
    err.flush();
    Optional<String> modelsDir =
        config.flatMap(c -> c.valueWithDefaults(StagerConfig.class, "stager.models-dir"));
    Optional<String> driver =
        config.flatMap(c -> c.valueWithDefaults(StagerConfig.class, "stager.driver"));
    new SummaryWriter(JSON, out)
        .print(
            new Summary(
                exit.word(),
                exit.code(),
                message,
                modelsDir.orElse(null),
                driver.orElse(null),
                clock.instant().toString(),
                0,
                List.of(),
                null,
                null));
    TerminationLog.write(terminationLog(config, args), message);
  }

  private Path terminationLog(Optional<EffectiveConfig> config, String[] args) {
    Optional<String> path =
        config.isPresent()
            ? config.get().valueWithDefaults(StagerConfig.class, "stager.termination-log")
            : Cli.valueIn(args, StagerCommand.TERMINATION_LOG)
                .or(() -> Optional.ofNullable(env.get(StagerCommand.TERMINATION_LOG.env())));
    return path.filter(p -> !p.isBlank())
        .map(p -> Path.of(p.strip()))
        .orElse(TerminationLog.DEFAULT);
  }

  private Optional<EffectiveConfig> standalone(String[] args) {
    try {
      return Optional.of(
          EffectiveConfig.standalone(StagerCommand.CLI.parse(args), env, CONVERTERS));
    } catch (UsageException e) {
      return Optional.empty();
    }
  }
}
