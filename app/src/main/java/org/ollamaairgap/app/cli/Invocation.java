package org.ollamaairgap.app.cli;

import java.util.List;
import java.util.Map;

/**
 * What one command line asked for.
 *
 * @param path the commands from the program down to the one selected ({@code [stager, export]})
 * @param flags the configuration properties the flags set, by property name
 * @param request whether to run, or only to print help or the version
 */
public record Invocation(List<Command> path, Map<String, String> flags, Request request) {
  /** What to do. */
  public enum Request {
    RUN,
    HELP,
    VERSION
  }

  public Invocation {
    path = List.copyOf(path);
    flags = Map.copyOf(flags);
  }

  /** The command selected: the program itself or one of its subcommands. */
  public Command command() {
    return path.get(path.size() - 1);
  }

  /** {@code stager export}: how help and messages name the command. */
  public String commandName() {
    return String.join(" ", path.stream().map(Command::name).toList());
  }

  /** The program's name, for message prefixes. */
  public String program() {
    return path.get(0).name();
  }
}
