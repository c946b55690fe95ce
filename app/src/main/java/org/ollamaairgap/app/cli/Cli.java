package org.ollamaairgap.app.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line of one program on picocli: parses flags into configuration properties (the
 * {@link EffectiveConfig} layers them over everything else) and renders {@code --help} in picocli's
 * standard layout with each option's environment variable and the value in force.
 *
 * <p>Every option is read as text: SmallRye converts it, with the same rules as for the
 * environment, so a value means the same whether it comes from a flag or a variable.
 */
public final class Cli {
  // Wide enough that a value in force (a store path, a URL) is seldom broken across lines.
  private static final int WIDTH = 120;

  private final Command root;
  private final String version;

  public Cli(Command root) {
    this.root = root;
    this.version = root.name() + " " + Version.current();
  }

  public Command root() {
    return root;
  }

  /** {@code stager 0.1.0}. */
  public String version() {
    return version;
  }

  /** Parses the arguments; anything unknown, missing or repeated is a {@link UsageException}. */
  public Invocation parse(String... args) throws org.ollamaairgap.app.UsageException {
    CommandLine line = new CommandLine(spec(root, null, true));
    ParseResult result;
    try {
      result = line.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw Refusals.of(e, name(e.getCommandLine()));
    }
    List<Command> path = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    Invocation.Request request = Invocation.Request.RUN;
    Command command = root;
    for (ParseResult level = result; level != null; level = level.subcommand()) {
      if (!path.isEmpty()) {
        command = sub(command, level.commandSpec().name());
      }
      path.add(command);
      read(command, level, flags);
      if (level.isUsageHelpRequested()) {
        request = Invocation.Request.HELP;
      } else if (level.isVersionHelpRequested() && request == Invocation.Request.RUN) {
        request = Invocation.Request.VERSION;
      }
    }
    return new Invocation(path, flags, request);
  }

  /**
   * The help of the command invoked, in picocli's layout; below each option its environment
   * variable and the value in force, and where it came from when a flag or variable set it.
   */
  public String help(Invocation invocation, HelpValues values) {
    CommandSpec spec = spec(invocation.command(), values, invocation.path().size() == 1);
    spec.name(invocation.commandName());
    return new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** The value in force of each option and of each variable shown in help. */
  public interface HelpValues {
    /** The line below the option's description: {@code env X; default: v}. */
    String describe(Setting setting);
  }

  /**
   * The value of one flag in arguments that did not parse, so that a usage error still reaches the
   * termination log the operator asked for; empty when it is not there.
   */
  public static Optional<String> valueIn(String[] args, Setting setting) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith(setting.flag() + "=")) {
        return Optional.of(args[i].substring(setting.flag().length() + 1));
      }
      if (args[i].equals(setting.flag()) && i + 1 < args.length) {
        return Optional.of(args[i + 1]);
      }
    }
    return Optional.empty();
  }

  private static void read(Command command, ParseResult level, Map<String, String> flags)
      throws org.ollamaairgap.app.UsageException {
    for (Setting setting : command.settings()) {
      OptionSpec option = level.matchedOption(setting.flag());
      if (option == null) {
        continue;
      }
      List<String> values = option.originalStringValues();
      String value =
          switch (setting.kind()) {
            case SWITCH -> String.valueOf((Boolean) option.getValue());
            case LIST -> String.join(",", values);
            case VALUE, VARIABLE -> values.get(values.size() - 1);
            case OPTIONAL -> String.valueOf((Object) option.getValue());
          };
      flags.put(setting.property(), value);
    }
    Optional<Setting> positional = command.positional();
    if (positional.isPresent() && level.hasMatchedPositional(0)) {
      List<String> words = level.matchedPositional(0).originalStringValues();
      String property = positional.get().property();
      String before = flags.get(property);
      String joined = String.join(",", words);
      flags.put(property, before == null ? joined : before + "," + joined);
    }
  }

  private static Command sub(Command parent, String name) {
    for (Command sub : parent.subcommands()) {
      if (sub.name().equals(name)) {
        return sub;
      }
    }
    throw new IllegalStateException("no subcommand " + name + " of " + parent.name());
  }

  private static String name(CommandLine line) {
    List<String> names = new ArrayList<>();
    for (CommandLine c = line; c != null; c = c.getParent()) {
      names.add(0, c.getCommandName());
    }
    return String.join(" ", names);
  }

  private static CommandSpec spec(Command command, HelpValues values, boolean withVersion) {
    CommandSpec spec = CommandSpec.create().name(command.name());
    spec.usageMessage()
        .description(command.description())
        .abbreviateSynopsis(true)
        .sortOptions(false)
        .width(WIDTH)
        .footer(footer(command, values));
    for (Setting setting : command.settings()) {
      spec.addOption(option(setting, values));
    }
    command
        .positional()
        .ifPresent(
            setting ->
                spec.addPositional(
                    PositionalParamSpec.builder()
                        .index("0..*")
                        .arity("0..*")
                        .paramLabel("NAME")
                        .type(String[].class)
                        .description("The same as " + setting.flag() + ", one name each.")
                        .build()));
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("Show this help and exit.")
            .build());
    if (withVersion) {
      spec.version(root(command));
      spec.addOption(
          OptionSpec.builder("-V", "--version")
              .versionHelp(true)
              .description("Print the version and exit.")
              .build());
    }
    for (Command sub : command.subcommands()) {
      spec.addSubcommand(sub.name(), spec(sub, values, false));
    }
    return spec;
  }

  private static String root(Command command) {
    return command.name() + " " + Version.current();
  }

  private static OptionSpec option(Setting setting, HelpValues values) {
    String[] description =
        values == null
            ? new String[] {setting.description()}
            : new String[] {setting.description(), values.describe(setting)};
    OptionSpec.Builder builder = OptionSpec.builder(setting.flag()).description(description);
    return switch (setting.kind()) {
      case SWITCH -> builder.type(Boolean.class).arity("0..1").paramLabel(setting.label()).build();
      case LIST ->
          builder
              .type(List.class)
              .auxiliaryTypes(String.class)
              .arity("1")
              .paramLabel(setting.label())
              .build();
      case VALUE, VARIABLE ->
          builder.type(String.class).arity("1").paramLabel(setting.label()).build();
      case OPTIONAL ->
          builder
              .type(String.class)
              .arity("0..1")
              .fallbackValue("true")
              .paramLabel(setting.label())
              .build();
    };
  }

  private static String[] footer(Command command, HelpValues values) {
    List<String> lines = new ArrayList<>();
    if (!command.subcommands().isEmpty()) {
      lines.add("");
      lines.add("Run '" + command.name() + " COMMAND --help' for the options of a command.");
    }
    if (!command.environment().isEmpty()) {
      lines.add("");
      lines.add("Environment:");
      for (Setting variable : command.environment()) {
        lines.add("  " + variable.env() + "  " + variable.description());
        if (values != null) {
          lines.add("      " + values.describe(variable));
        }
      }
    }
    return lines.toArray(String[]::new);
  }
}
