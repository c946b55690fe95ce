package org.ollamaairgap.app.cli;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The help line below each option: its environment variable and the value in force, saying where it
 * came from when a flag or variable set it ({@code env VERIFIER_MODE; now: size (from --mode)}),
 * else the default ({@code env VERIFIER_MODE; default: full}). Credentials in URLs are never shown.
 */
public final class InForce implements Cli.HelpValues {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  private final EffectiveConfig config;
  private final Class<?> mapping;

  /**
   * @param config the configuration in force, flags included
   * @param mapping the program's {@code @ConfigMapping}, whose defaults help shows
   */
  public InForce(EffectiveConfig config, Class<?> mapping) {
    this.config = config;
    this.mapping = mapping;
  }

  @Override
  public String describe(Setting setting) {
    String value =
        config.valueWithDefaults(mapping, setting.property()).map(InForce::redact).orElse("(none)");
    Optional<String> origin = config.origin(setting);
    String prefix = setting.kind() == Setting.Kind.VARIABLE ? "" : "env " + setting.env() + "; ";
    return origin
        .map(from -> prefix + "now: " + value + " (from " + from + ")")
        .orElse(prefix + "default: " + value);
  }

  /** {@code http://user:secret@proxy:3128} is shown as {@code http://***@proxy:3128}. */
  public static String redact(String value) {
    return USER_INFO.matcher(value).replaceAll("***@");
  }
}
