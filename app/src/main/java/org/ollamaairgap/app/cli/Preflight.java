package org.ollamaairgap.app.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.UsageException;

/**
 * What a program's {@code main} does before it starts Quarkus: answers {@code --help} and {@code
 * --version}, and refuses bad usage or configuration, without binding any port. A busy management
 * port or a broken cluster must never hide the help or turn a typo into exit 3.
 */
public final class Preflight {
  /** The program's checks of a configuration before anything runs: mapping and meaning. */
  public interface Check {
    void check(EffectiveConfig config) throws UsageException;
  }

  /** How the program reports a usage error: its stream, its summary, its termination log. */
  public interface Refusal {
    /**
     * @param message what is wrong, naming the flag and variable
     * @param config the configuration, when the command line could be parsed
     */
    void refuse(String message, Optional<EffectiveConfig> config);
  }

  private final Cli cli;
  private final Class<?> mapping;
  private final EffectiveConfig.Converters converters;
  private final Map<String, String> env;
  private final PrintStream out;

  public Preflight(
      Cli cli,
      Class<?> mapping,
      EffectiveConfig.Converters converters,
      Map<String, String> env,
      PrintStream out) {
    this.cli = cli;
    this.mapping = mapping;
    this.converters = converters;
    this.env = Map.copyOf(env);
    this.out = out;
  }

  /** Empty: start Quarkus and run. Present: exit now with this code. */
  public Optional<ExitCode> check(String[] args, Check check, Refusal refusal) {
    Invocation invocation;
    try {
      invocation = cli.parse(args);
    } catch (UsageException e) {
      refusal.refuse(e.getMessage(), Optional.empty());
      return Optional.of(ExitCode.USAGE);
    }
    EffectiveConfig config = EffectiveConfig.standalone(invocation, env, converters);
    switch (invocation.request()) {
      case HELP -> {
        out.print(cli.help(invocation, new InForce(config, mapping)));
        out.flush();
        return Optional.of(ExitCode.OK);
      }
      case VERSION -> {
        out.println(cli.version());
        out.flush();
        return Optional.of(ExitCode.OK);
      }
      case RUN -> {
        try {
          check.check(config);
          return Optional.empty();
        } catch (UsageException e) {
          refusal.refuse(e.getMessage(), Optional.of(config));
          return Optional.of(ExitCode.USAGE);
        }
      }
    }
    throw new IllegalStateException("unknown request " + invocation.request());
  }
}
