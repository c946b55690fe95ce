package org.ollamaairgap.app.cli;

import io.smallrye.config.PropertiesConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/** The demo program's command line, and its configuration the way Quarkus would layer it. */
final class Demo {
  static final Setting MODE =
      Setting.value("--mode", "demo.mode", "DEMO_MODE", "full|size", "How thoroughly.");
  static final Setting PARALLELISM =
      Setting.value("--parallelism", "demo.parallelism", "DEMO_PARALLELISM", "N", "How many.");
  static final Setting INTERVAL =
      Setting.value("--interval", "demo.interval", "DEMO_INTERVAL", "DURATION", "How often.");
  static final Setting INSECURE =
      Setting.toggle("--insecure", "demo.insecure", "DEMO_INSECURE", "Plain HTTP.");
  static final Setting MODELS =
      Setting.list("--models", "demo.models", "DEMO_MODELS", "NAME,...", "Which models.");
  static final Setting DIR = Setting.value("--dir", "demo.dir", "DEMO_DIR_ENV", "DIR", "Where.");
  static final Setting PARTS =
      Setting.value("--parts", "demo.parts", "DEMO_PARTS", "N", "Parts per blob.");
  static final Setting PORT = Setting.variable("DEMO_PORT", "demo.port", "The port of /q/metrics.");

  static final Command EXPORT =
      Command.of("export", "Writes a bundle.", List.of(DIR, MODELS)).withPositional(MODELS);

  static final Command ROOT =
      Command.of(
              "demo",
              "Does demo things.",
              List.of(MODE, PARALLELISM, INTERVAL, INSECURE, MODELS, DIR, PARTS))
          .withPositional(MODELS)
          .withEnvironment(PORT)
          .withSubcommand(EXPORT);

  static final Cli CLI = new Cli(ROOT);

  /** Durations as Quarkus reads the simple forms ({@code 10s}, {@code 5m}). */
  static final EffectiveConfig.Converters CONVERTERS =
      builder ->
          builder.withConverter(
              Duration.class, 200, value -> Duration.parse("PT" + value.strip().toUpperCase()));

  private Demo() {}

  /** The configuration for these arguments over an environment and application.properties. */
  static EffectiveConfig config(
      Map<String, String> env, Map<String, String> properties, String... args) throws Exception {
    List<ConfigSource> sources =
        List.of(
            new io.smallrye.config.EnvConfigSource(env, 300),
            new PropertiesConfigSource(properties, "application.properties", 250));
    return EffectiveConfig.over(sources, CLI.parse(args), env, CONVERTERS);
  }
}
