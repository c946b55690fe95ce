package org.ollamaairgap.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command or subcommand: its name, what it does, its options and where its positional arguments
 * go. Immutable; the {@code with...} methods return a new command. See the package documentation
 * for adding a subcommand.
 *
 * @param name the word that selects it ({@code stager}, {@code export})
 * @param description one paragraph for {@code --help}
 * @param settings its options, in the order {@code --help} lists them
 * @param positional the list option positional arguments append to, if any
 * @param environment variables that are not options but matter to the operator (the management
 *     port); listed in {@code --help} with the value in force
 * @param subcommands its subcommands, in help order
 */
public record Command(
    String name,
    String description,
    List<Setting> settings,
    Optional<Setting> positional,
    List<Setting> environment,
    List<Command> subcommands) {

  public Command {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    settings = List.copyOf(settings);
    environment = List.copyOf(environment);
    subcommands = List.copyOf(subcommands);
  }

  public static Command of(String name, String description, List<Setting> settings) {
    return new Command(name, description, settings, Optional.empty(), List.of(), List.of());
  }

  /** Positional arguments append to {@code setting} (a list option of this command). */
  public Command withPositional(Setting setting) {
    if (!settings.contains(setting) || setting.kind() != Setting.Kind.LIST) {
      throw new IllegalArgumentException(setting.flag() + " is not a list option of " + name);
    }
    return new Command(name, description, settings, Optional.of(setting), environment, subcommands);
  }

  /** An environment variable without a flag, shown in help with the value in force. */
  public Command withEnvironment(Setting variable) {
    if (variable.kind() != Setting.Kind.VARIABLE) {
      throw new IllegalArgumentException(variable.env() + " is an option, not a variable");
    }
    List<Setting> all = new ArrayList<>(environment);
    all.add(variable);
    return new Command(name, description, settings, positional, all, subcommands);
  }

  public Command withSubcommand(Command subcommand) {
    List<Command> all = new ArrayList<>(subcommands);
    all.add(subcommand);
    return new Command(name, description, settings, positional, environment, all);
  }
}
