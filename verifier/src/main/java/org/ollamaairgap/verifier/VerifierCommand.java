package org.ollamaairgap.verifier;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ollamaairgap.app.cli.Cli;
import org.ollamaairgap.app.cli.Command;
import org.ollamaairgap.app.cli.EffectiveConfig;
import org.ollamaairgap.app.cli.Preflight;
import org.ollamaairgap.app.cli.Setting;
import org.ollamaairgap.app.output.TerminationLog;

/**
 * The verifier's command line: its options (each a flag, a {@link VerifierConfig} property and an
 * environment variable), its help text and what it refuses before anything runs.
 */
final class VerifierCommand {
  static final Setting MODELS_DIR =
      Setting.value(
          "--models-dir",
          "verifier.models-dir",
          "OLLAMA_MODELS",
          "DIR",
          "The Ollama store to verify (the directory holding blobs/ and manifests/).");
  static final Setting REQUIRE =
      Setting.list(
          "--require",
          "verifier.require",
          "VERIFIER_REQUIRE",
          "NAME,...",
          "Models that must have a manifest (Ollama names, case-insensitive).");
  static final Setting EXPECT =
      Setting.list(
          "--expect",
          "verifier.expect",
          "VERIFIER_EXPECT",
          "NAME@sha256:HEX,...",
          "Models pinned to the SHA-256 of their manifest file (the model ID).");
  static final Setting MODE =
      Setting.value(
          "--mode",
          "verifier.mode",
          "VERIFIER_MODE",
          "full|size",
          "full hashes every blob; size checks presence and sizes only.");
  static final Setting PARALLELISM =
      Setting.value(
          "--parallelism",
          "verifier.parallelism",
          "VERIFIER_PARALLELISM",
          "N",
          "Blobs hashed at once; 0 means one per available core.");
  static final Setting REPORT =
      Setting.value(
          "--report",
          "verifier.report",
          "VERIFIER_REPORT",
          "FILE",
          "Also write the full result as JSON to FILE; its directory must exist, outside the"
              + " models directory.");
  static final Setting PROGRESS_INTERVAL =
      Setting.value(
          "--progress-interval",
          "verifier.progress-interval",
          "VERIFIER_PROGRESS_INTERVAL",
          "DURATION",
          "How often to print a progress line while hashing (e.g. 10s, 1m).");
  static final Setting TERMINATION_LOG =
      Setting.value(
          "--termination-log",
          "verifier.termination-log",
          "VERIFIER_TERMINATION_LOG",
          "FILE",
          "Where to write the one-line reason, when that file exists and is writable.");

  /** Every option, in the order {@code --help} lists them. */
  static final List<Setting> SETTINGS =
      List.of(
          MODELS_DIR,
          REQUIRE,
          EXPECT,
          InventoryOptions.INVENTORY_DIGEST,
          InventoryOptions.TRUST_KEY,
          InventoryOptions.ONLY_TRUSTED,
          MODE,
          PARALLELISM,
          REPORT,
          RecordOptions.RECORD_DIR,
          RecordOptions.REVERIFY_AFTER,
          PROGRESS_INTERVAL,
          TERMINATION_LOG);

  static final Command COMMAND =
      Command.of(
          "verifier",
          """
          Verifies an Ollama model store before Ollama starts: every manifest's blobs exist, have \
          the right size and SHA-256, required and pinned models are present, and nothing would \
          make ollama serve fail on a read-only mount. Never writes to the store.
          Exit codes: 0 verified (warnings allowed), 1 verification failed, 2 bad usage or \
          configuration, 3 store missing or unreadable, or the report not written.""",
          SETTINGS);

  static final Setting WATCH_INTERVAL =
      Setting.value(
          "--watch-interval",
          "verifier.watch-interval",
          "VERIFIER_WATCH_INTERVAL",
          "DURATION",
          "Pause between the end of one pass and the start of the next (e.g. 1h, 30m).");
  static final Setting MAX_BANDWIDTH =
      Setting.value(
          "--max-bandwidth",
          "verifier.max-bandwidth",
          "VERIFIER_MAX_BANDWIDTH",
          "SIZE",
          "Bytes per second a pass may read from the store, all blobs together (e.g. 50M);"
              + " none: no limit.");

  /** The port of /q/metrics and /q/health in watch mode; Quarkus' own variable moves it. */
  static final Setting MANAGEMENT_PORT =
      Setting.variable(
          "QUARKUS_MANAGEMENT_PORT",
          "quarkus.management.port",
          "Port of /q/metrics and /q/health/{started,ready,live}; a port already in use exits 3.");

  static final Command WATCH =
      Command.of(
              "watch",
              """
              Verifies the store as the verifier does, then keeps verifying it: a pass every \
              --watch-interval, reading at most --max-bandwidth, picking up models added or \
              removed. Serves /q/health/started (UP after a first pass with no ERROR), \
              /q/health/ready (DOWN from a pass that finds an ERROR until a clean pass), \
              /q/health/live and /q/metrics on the management port. Never writes to the store.
              Exit codes: 2 bad usage or configuration, 3 the management port in use; otherwise \
              it runs until stopped.""",
              watchSettings())
          .withEnvironment(MANAGEMENT_PORT);

  static final Command ROOT = COMMAND.withSubcommand(WATCH);

  static final Cli CLI = new Cli(ROOT);

  /** Durations as Quarkus reads them ({@code 10s}, {@code 1m}), before and inside Quarkus. */
  static final EffectiveConfig.Converters CONVERTERS =
      builder ->
          builder
              .withConverter(Duration.class, 200, new DurationConverter())
              .withConverter(MemorySize.class, 200, new MemorySizeConverter());

  private VerifierCommand() {}

  private static List<Setting> watchSettings() {
    List<Setting> all = new java.util.ArrayList<>(SETTINGS);
    all.add(all.indexOf(PROGRESS_INTERVAL), WATCH_INTERVAL);
    all.add(all.indexOf(PROGRESS_INTERVAL), MAX_BANDWIDTH);
    return all;
  }

  /** Whether the command line selects {@code verifier watch} (it has parsed before). */
  static boolean isWatch(String[] args) {
    try {
      return CLI.parse(args).command().name().equals(WATCH.name());
    } catch (org.ollamaairgap.app.UsageException e) {
      return false;
    }
  }

  /** Help, version and usage errors, answered before Quarkus starts. */
  static Optional<Integer> beforeStart(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return new Preflight(CLI, VerifierConfig.class, CONVERTERS, env, out)
        .check(
            args,
            config -> Plan.of(config.mapping(VerifierConfig.class)),
            (message, config) -> refuse(message, terminationLog(args, config, env), err))
        .map(exit -> exit.code());
  }

  /** One line on stderr and the same in the termination log. */
  static void refuse(String message, Path terminationLog, PrintStream err) {
    err.println("verifier: " + message);
    err.flush();
    TerminationLog.write(terminationLog, message);
  }

  /**
   * The termination log in force, even when the command line did not parse (the flag as given, else
   * the variable, else Kubernetes' default).
   */
  static Path terminationLog(
      String[] args, Optional<EffectiveConfig> config, Map<String, String> env) {
    Optional<String> path =
        config.isPresent()
            ? config.get().value(TERMINATION_LOG.property())
            : Cli.valueIn(args, TERMINATION_LOG)
                .or(() -> Optional.ofNullable(env.get(TERMINATION_LOG.env())))
                .filter(v -> !v.isBlank());
    return path.map(p -> Path.of(p.strip())).orElse(TerminationLog.DEFAULT);
  }
}
