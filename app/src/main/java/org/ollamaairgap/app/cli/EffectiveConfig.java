package org.ollamaairgap.app.cli;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.ollamaairgap.app.UsageException;

/**
 * The configuration in force for one run: the flags on top of every other source (environment,
 * system properties, {@code application.properties}, the mapping's defaults), so that a flag beats
 * its environment variable, which beats a property, which beats the default.
 *
 * <p>Why a second configuration: Quarkus reads its own before {@code run(args)} sees the flags, and
 * {@code --help} and usage errors are answered before Quarkus starts at all. Before Quarkus {@link
 * #standalone} reads the same files and variables Quarkus will; inside it {@link #over} takes
 * Quarkus' sources as they are.
 */
public final class EffectiveConfig {
  /** Above every Quarkus source (system properties are 400, the environment 300). */
  static final int FLAG_ORDINAL = 1_000;

  /** Where Quarkus reads the application's properties from. */
  private static final int APPLICATION_PROPERTIES_ORDINAL = 250;

  private final List<ConfigSource> base;
  private final Invocation invocation;
  private final Map<String, String> env;
  private final Converters converters;

  private EffectiveConfig(
      List<ConfigSource> base, Invocation invocation, Map<String, String> env, Converters c) {
    this.base = List.copyOf(base);
    this.invocation = invocation;
    this.env = Map.copyOf(env);
    this.converters = c;
  }

  /** Converters for types SmallRye cannot read alone (durations like {@code 5m}, sizes). */
  public interface Converters {
    void register(SmallRyeConfigBuilder builder);
  }

  /**
   * Before Quarkus: the environment, system properties and every {@code application.properties} on
   * the class path, as Quarkus will read them.
   */
  public static EffectiveConfig standalone(
      Invocation invocation, Map<String, String> env, Converters converters) {
    List<ConfigSource> sources = new ArrayList<>();
    sources.add(new EnvConfigSource(env, 300));
    sources.add(new SysPropConfigSource());
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Enumeration<URL> files = loader.getResources("application.properties");
      while (files.hasMoreElements()) {
        sources.add(
            new PropertiesConfigSource(files.nextElement(), APPLICATION_PROPERTIES_ORDINAL));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read application.properties", e);
    }
    return new EffectiveConfig(sources, invocation, env, converters);
  }

  /** Inside Quarkus: its sources, the flags on top. */
  public static EffectiveConfig over(
      Iterable<ConfigSource> quarkus,
      Invocation invocation,
      Map<String, String> env,
      Converters converters) {
    List<ConfigSource> sources = new ArrayList<>();
    quarkus.forEach(sources::add);
    return new EffectiveConfig(sources, invocation, env, converters);
  }

  public Invocation invocation() {
    return invocation;
  }

  /**
   * The configuration mapped onto {@code type}. Every bad value is reported at once, each naming
   * its flag and environment variable and what it may be; the program exits 2.
   */
  public <T> T mapping(Class<T> type) throws UsageException {
    SmallRyeConfig plain = build(null);
    List<String> problems = new ArrayList<>();
    PropertyTypes.of(type)
        .forEach(
            (property, valueType) ->
                raw(plain, property)
                    .flatMap(value -> ValueCheck.problem(plain, property, value, valueType))
                    .ifPresent(problem -> problems.add(names(property) + ": " + problem)));
    if (!problems.isEmpty()) {
      throw new UsageException(String.join("; ", problems) + "; see " + help());
    }
    try {
      return build(type).getConfigMapping(type);
    } catch (ConfigValidationException e) {
      for (int i = 0; i < e.getProblemCount(); i++) {
        problems.add(explain(e.getProblem(i).getMessage()));
      }
      throw new UsageException(String.join("; ", problems) + "; see " + help(), e);
    } catch (IllegalArgumentException | NoSuchElementException e) {
      throw new UsageException(explain(e.getMessage()) + "; see " + help(), e);
    }
  }

  /** The raw value in force, expressions expanded; empty if unset or blank. */
  public Optional<String> value(String property) {
    try {
      return raw(build(null), property);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Where the value in force came from, for help: the flag, the environment variable, or empty for
   * the program's own default ({@code application.properties} or the mapping).
   */
  public Optional<String> origin(Setting setting) {
    if (invocation.flags().containsKey(setting.property())) {
      return Optional.of(setting.flag());
    }
    if (env.containsKey(setting.env())) {
      return Optional.of(setting.env());
    }
    String canonical = setting.property().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    if (env.containsKey(canonical)) {
      return Optional.of(canonical);
    }
    return setting.fallbackEnv().stream().filter(env::containsKey).findFirst();
  }

  /** The value in force with the mapping's defaults, for help; works with invalid values too. */
  public Optional<String> valueWithDefaults(Class<?> mapping, String property) {
    SmallRyeConfig config;
    try {
      config = build(mapping);
    } catch (RuntimeException e) {
      config = build(null); // an invalid value: show it, without the mapping's defaults
    }
    try {
      return raw(config, property);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> raw(SmallRyeConfig config, String property) {
    ConfigValue value = config.getConfigValue(property);
    String text = value == null ? null : value.getValue();
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  private SmallRyeConfig build(Class<?> mapping) {
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(
                new PropertiesConfigSource(invocation.flags(), "command line", FLAG_ORDINAL));
    base.forEach(builder::withSources);
    converters.register(builder);
    if (mapping != null) {
      builder.withMapping(mapping).withValidateUnknown(false);
    }
    return builder.build();
  }

  private String names(String property) {
    for (Setting setting : settings()) {
      if (setting.property().equals(property)) {
        return setting.names();
      }
    }
    return property;
  }

  /** A library message with the property named by flag and variable, framework words removed. */
  private String explain(String message) {
    String text = Messages.plain(message);
    for (Setting setting : settings()) {
      if (text.contains(setting.property()) && !text.contains(setting.flag())) {
        text = text.replace(setting.property(), setting.names());
      }
    }
    return text;
  }

  private Collection<Setting> settings() {
    List<Setting> all = new ArrayList<>();
    invocation.path().forEach(command -> all.addAll(command.settings()));
    return all;
  }

  private String help() {
    return invocation.commandName() + " --help";
  }
}
