package org.ollamaairgap.stager.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.ollamaairgap.common.cli.Option;
import org.ollamaairgap.common.cli.UsageException;

/**
 * The stager's configuration as the run sees it: the command line's properties layered over every
 * source Quarkus already has (environment, {@code application.properties}, defaults). Quarkus reads
 * its configuration before {@code run(args)} sees the arguments, so the flags cannot simply be one
 * more source; this builds a second view with them on top.
 */
public final class EffectiveConfig {
  /** Above every Quarkus source: a flag beats its environment variable. */
  static final int COMMAND_LINE_ORDINAL = 1_000;

  private final SmallRyeConfig base;

  public EffectiveConfig(SmallRyeConfig base) {
    this.base = base;
  }

  /** The configuration with these command-line properties; a bad value is a usage error. */
  public StagerConfig with(Map<String, String> commandLine) throws UsageException {
    try {
      return build(commandLine).getConfigMapping(StagerConfig.class);
    } catch (ConfigValidationException e) {
      // SmallRye names the property and the bad value; keep its words, drop the stack.
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < e.getProblemCount(); i++) {
        problems.add(e.getProblem(i).getMessage().replaceFirst("^java\\.lang\\.\\w+: ", ""));
      }
      throw new UsageException(
          "invalid configuration: " + String.join("; ", problems) + "; see stager --help", e);
    } catch (RuntimeException e) {
      throw new UsageException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The value in force for an option before any flag, for {@code --help}: from the environment,
   * {@code application.properties} or the mapping's default; null if none.
   */
  public String current(Option option) {
    try {
      return build(Map.of()).getConfigValue(option.property()).getValue();
    } catch (RuntimeException e) {
      return "(invalid: " + e.getMessage() + ")";
    }
  }

  private SmallRyeConfig build(Map<String, String> commandLine) {
    List<ConfigSource> sources = new ArrayList<>();
    base.getConfigSources().forEach(sources::add);
    sources.add(new PropertiesConfigSource(commandLine, "command line", COMMAND_LINE_ORDINAL));
    return new SmallRyeConfigBuilder()
        .withSources(sources)
        .addDefaultInterceptors()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withConverter(Path.class, 200, new PathConverter())
        .withConverter(MemorySize.class, 200, new MemorySizeConverter())
        .withMapping(StagerConfig.class)
        .withValidateUnknown(false)
        .build();
  }
}
