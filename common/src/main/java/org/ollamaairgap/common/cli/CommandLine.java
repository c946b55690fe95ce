package org.ollamaairgap.common.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses {@code --flag value}, {@code --flag=value}, switches, {@code -h}/{@code --help} and
 * positional arguments into configuration properties. No framework: the apps feed the result to
 * their configuration as the source with the highest priority, so a flag beats its environment
 * variable, which beats the default.
 */
public final class CommandLine {
  /** What the command line asked for. */
  public record Parsed(Map<String, String> properties, boolean help) {
    public Parsed {
      properties = Map.copyOf(properties);
    }
  }

  private final String program;
  private final String synopsis;
  private final List<Option> options;
  private final Option positional;

  /**
   * @param program the program name for usage lines
   * @param synopsis one paragraph saying what the program does
   * @param options every option the program has
   * @param positional the list option positional arguments append to, or null for none
   */
  public CommandLine(String program, String synopsis, List<Option> options, Option positional) {
    this.program = program;
    this.synopsis = synopsis;
    this.options = List.copyOf(options);
    this.positional = positional;
  }

  public List<Option> options() {
    return options;
  }

  /** Parses the arguments; anything unknown or incomplete is a {@link UsageException}. */
  public Parsed parse(String... args) throws UsageException {
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    boolean help = false;
    boolean onlyPositionals = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (onlyPositionals || !arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String flag = eq > 0 ? arg.substring(0, eq) : arg;
      Option option = find(flag);
      String value;
      if (option.isSwitch()) {
        value = eq > 0 ? switchValue(flag, arg.substring(eq + 1)) : "true";
      } else if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(
            flag + " needs a value (" + option.valueName() + "); see " + program + " --help");
      }
      put(properties, option, value);
    }
    if (!positionals.isEmpty()) {
      if (positional == null) {
        throw new UsageException(
            "unexpected argument '" + positionals.get(0) + "'; see " + program + " --help");
      }
      put(properties, positional, String.join(",", positionals));
    }
    return new Parsed(properties, help);
  }

  /**
   * The {@code --help} text: every flag with its environment variable, meaning and the value in
   * force when no flag is given ({@code current} looks it up in the configuration).
   */
  public String help(Function<Option, String> current) {
    StringBuilder out = new StringBuilder();
    out.append("Usage: ").append(program).append(" [options]");
    if (positional != null) {
      out.append(" [").append(positional.valueName()).append(" ...]");
    }
    out.append("\n\n")
        .append(synopsis)
        .append("\n\nOptions (each also an environment variable):\n");
    for (Option option : options) {
      String left = option.flag() + (option.isSwitch() ? "" : " " + option.valueName());
      out.append("  ").append(left).append('\n');
      out.append("      ").append(option.description()).append('\n');
      String value = current.apply(option);
      out.append("      env ")
          .append(option.env())
          .append("; ")
          .append(System.getenv(option.env()) != null ? "now: " : "default: ")
          .append(value == null || value.isEmpty() ? "(none)" : value)
          .append('\n');
    }
    out.append("  -h, --help\n      Show this help and exit.\n");
    return out.toString();
  }

  private Option find(String flag) throws UsageException {
    for (Option option : options) {
      if (option.flag().equals(flag)) {
        return option;
      }
    }
    throw new UsageException("unknown option '" + flag + "'; see " + program + " --help");
  }

  private static String switchValue(String flag, String value) throws UsageException {
    if (value.equals("true") || value.equals("false")) {
      return value;
    }
    throw new UsageException(flag + " takes true or false, not '" + value + "'");
  }

  private void put(Map<String, String> properties, Option option, String value)
      throws UsageException {
    String previous = properties.get(option.property());
    if (previous == null) {
      properties.put(option.property(), value);
    } else if (option.repeatable()) {
      properties.put(option.property(), previous + "," + value);
    } else {
      throw new UsageException(option.flag() + " is given more than once");
    }
  }
}
