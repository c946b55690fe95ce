package org.ollamaairgap.common.cli;

import java.util.Objects;

/**
 * One command-line option and the configuration property it sets.
 *
 * @param flag the long flag, e.g. {@code --stall-timeout}
 * @param property the configuration property, e.g. {@code stager.stall-timeout}
 * @param env the environment variable that sets the same property, e.g. {@code
 *     STAGER_STALL_TIMEOUT}
 * @param valueName what the value is, for help ({@code DURATION}); null for a switch ({@code
 *     --insecure}), which sets {@code true}
 * @param description one line for {@code --help}
 * @param repeatable whether repeated flags append to a comma-separated list instead of failing
 */
public record Option(
    String flag,
    String property,
    String env,
    String valueName,
    String description,
    boolean repeatable) {

  public Option {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(description, "description");
    if (!flag.startsWith("--")) {
      throw new IllegalArgumentException("flags start with --: " + flag);
    }
  }

  /** An option that takes a value. */
  public static Option value(
      String flag, String property, String env, String valueName, String description) {
    return new Option(flag, property, env, valueName, description, false);
  }

  /** An option that takes a comma-separated list and may be repeated. */
  public static Option list(
      String flag, String property, String env, String valueName, String description) {
    return new Option(flag, property, env, valueName, description, true);
  }

  /** A switch: present means {@code true}; {@code --flag=false} is also accepted. */
  public static Option toggle(String flag, String property, String env, String description) {
    return new Option(flag, property, env, null, description, false);
  }

  public boolean isSwitch() {
    return valueName == null;
  }
}
