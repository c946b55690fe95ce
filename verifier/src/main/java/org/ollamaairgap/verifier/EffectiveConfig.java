package org.ollamaairgap.verifier;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.ollamaairgap.common.cli.Option;
import org.ollamaairgap.common.cli.UsageException;

/**
 * The configuration in force for one run: the command-line flags layered over everything Quarkus
 * already reads (environment, system properties, application.properties, defaults).
 *
 * <p>Why a second config: Quarkus builds its configuration before {@code run(args)} is called, so
 * the flags cannot be one of its sources. This class builds a fresh {@link SmallRyeConfig} from the
 * same sources plus one source holding the parsed flags at the highest ordinal ({@link
 * #FLAG_ORDINAL}), with SmallRye's default interceptors (so {@code ${OLLAMA_MODELS:...}}
 * expressions expand) and Quarkus' {@link DurationConverter} (so {@code 10s} is a duration), and
 * maps it onto the {@code @ConfigMapping} interface. Any bad value becomes a {@link UsageException}
 * naming the flag and the environment variable: the app exits 2.
 *
 * <p>To reuse in another app: copy this class, pass the app's {@link Option}s and the flags {@link
 * org.ollamaairgap.common.cli.CommandLine#parse} returned, and call {@link #mapping(Class)}.
 */
public final class EffectiveConfig {
  /** Above every Quarkus source (system properties are 400, environment 300). */
  public static final int FLAG_ORDINAL = 1000;

  private final List<Option> options;
  private final Map<String, String> flags;

  public EffectiveConfig(List<Option> options, Map<String, String> flags) {
    this.options = List.copyOf(options);
    this.flags = Map.copyOf(flags);
  }

  /**
   * The raw value of a property in force (flags first, then the mapping's {@code @WithDefault}),
   * expressions expanded; null if unset. For {@code --help}, so it works with invalid values too.
   */
  public String value(Class<?> mapping, String property) {
    SmallRyeConfig config;
    try {
      config = builder().withMapping(mapping).build();
    } catch (RuntimeException e) {
      config = builder().build(); // an invalid value: show it, without the mapping's defaults
    }
    try {
      return config.getConfigValue(property).getValue();
    } catch (RuntimeException e) {
      return "(invalid: " + e.getMessage() + ")";
    }
  }

  /** The configuration mapped onto {@code type}; every problem in one message. */
  public <T> T mapping(Class<T> type) throws UsageException {
    try {
      return builder().withMapping(type).build().getConfigMapping(type);
    } catch (ConfigValidationException e) {
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < e.getProblemCount(); i++) {
        problems.add(explain(e.getProblem(i).getMessage()));
      }
      throw new UsageException("invalid configuration: " + String.join("; ", problems), e);
    } catch (IllegalArgumentException | NoSuchElementException e) {
      throw new UsageException("invalid configuration: " + explain(e.getMessage()), e);
    }
  }

  private SmallRyeConfigBuilder builder() {
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(flags, "command line", FLAG_ORDINAL));
    for (ConfigSource source : ConfigProvider.getConfig().getConfigSources()) {
      builder.withSources(source);
    }
    return builder;
  }

  /** Adds the flag and the environment variable to SmallRye's mention of a property. */
  private String explain(String message) {
    String text = message == null ? "" : message;
    for (Option option : options) {
      String property = option.property();
      if (text.contains(property) && !text.contains(option.flag())) {
        text = text.replace(property, property + " (" + option.flag() + " / " + option.env() + ")");
      }
    }
    return text.replaceAll("\\b[a-z]+(\\.[a-z]+)+\\.[A-Za-z]+Exception: ", "")
        .replace('\n', ' ')
        .replace('\t', ' ')
        .trim();
  }
}
