package org.ollamaairgap.app.cli;

import java.util.List;
import java.util.Objects;

/**
 * One option of a program: its flag, the configuration property it sets and the environment
 * variable that sets the same property. The names are the contract (DESIGN §3, §4, §8): the Helm
 * chart, the docs and the acceptance checks use them.
 *
 * @param flag the long flag, e.g. {@code --stall-timeout}
 * @param property the configuration property, e.g. {@code stager.stall-timeout}
 * @param env the environment variable, e.g. {@code STAGER_STALL_TIMEOUT}
 * @param label what the value is, for help ({@code DURATION}); {@code true|false} for a switch
 * @param description one sentence for {@code --help}
 * @param kind how the flag takes its value
 * @param fallbackEnv variables {@code application.properties} reads when {@code env} is unset
 *     ({@code HTTPS_PROXY} for {@code --https-proxy}): help names them as the origin
 */
public record Setting(
    String flag,
    String property,
    String env,
    String label,
    String description,
    Kind kind,
    List<String> fallbackEnv) {
  /** How a flag takes its value. */
  public enum Kind {
    /** {@code --flag VALUE} or {@code --flag=VALUE}, at most once. */
    VALUE,
    /** A comma-separated list; repeated flags append. */
    LIST,
    /**
     * Present means {@code true}; {@code --flag=false} is accepted too. Never takes the next word.
     */
    SWITCH,
    /**
     * {@code --flag=VALUE}, or {@code --flag} alone for {@code true} (the reader maps it, e.g.
     * {@code --prune} is {@code on}).
     */
    OPTIONAL,
    /** No flag: an environment variable help lists because it matters (the management port). */
    VARIABLE
  }

  public Setting {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(kind, "kind");
    fallbackEnv = List.copyOf(fallbackEnv);
    if (kind == Kind.VARIABLE ? !flag.isEmpty() : !flag.startsWith("--")) {
      throw new IllegalArgumentException("flags start with --: " + flag);
    }
  }

  public static Setting value(
      String flag, String property, String env, String label, String description) {
    return new Setting(flag, property, env, label, description, Kind.VALUE, List.of());
  }

  public static Setting list(
      String flag, String property, String env, String label, String description) {
    return new Setting(flag, property, env, label, description, Kind.LIST, List.of());
  }

  public static Setting toggle(String flag, String property, String env, String description) {
    return new Setting(flag, property, env, "true|false", description, Kind.SWITCH, List.of());
  }

  /** {@code --flag[=VALUE]}: alone it sets {@code true}, which the option's reader maps. */
  public static Setting optional(
      String flag, String property, String env, String label, String description) {
    return new Setting(flag, property, env, label, description, Kind.OPTIONAL, List.of());
  }

  /** An environment variable without a flag, listed in help with the value in force. */
  public static Setting variable(String env, String property, String description) {
    return new Setting("", property, env, "", description, Kind.VARIABLE, List.of());
  }

  /** The same option, also set through {@code variable} when its own is unset. */
  public Setting withFallback(String variable) {
    List<String> all = new java.util.ArrayList<>(fallbackEnv);
    all.add(variable);
    return new Setting(flag, property, env, label, description, kind, all);
  }

  /** {@code --mode (VERIFIER_MODE)}: how every message names an option. */
  public String names() {
    return flag.isEmpty() ? env : flag + " (" + env + ")";
  }
}
