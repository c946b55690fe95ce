package org.ollamaairgap.verifier;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The verifier's configuration: each property is also an environment variable ({@code
 * verifier.mode} is {@code VERIFIER_MODE}) and a flag ({@code --mode}); {@code verifier.models-dir}
 * defaults to {@code OLLAMA_MODELS} as Ollama reads it (see application.properties).
 */
@ConfigMapping(prefix = "verifier")
public interface VerifierConfig {
  /** How thoroughly blobs are checked. */
  enum Mode {
    /** Presence, size and SHA-256 of every blob. */
    FULL,
    /** Presence and size only: fast, misses corrupt content. */
    SIZE
  }

  /** The store root, {@code OLLAMA_MODELS}. */
  String modelsDir();

  /** Models that must be present. */
  Optional<List<String>> require();

  /** Models pinned to a manifest digest, {@code name@sha256:<hex>}. */
  Optional<List<String>> expect();

  /**
   * The SHA-256 the store's inventory file must have, {@code sha256:<hex>}; then its models are
   * required and pinned and its blobs verified chunk by chunk.
   */
  Optional<String> inventoryDigest();

  /** PEM public keys one of which must have signed the inventory's DSSE envelope. */
  Optional<List<Path>> trustKey();

  /** A model on disk that the trusted inventory does not list is an ERROR. */
  @WithDefault("false")
  boolean onlyTrusted();

  @WithDefault("full")
  Mode mode();

  /** Blobs hashed at once; 0 means one per available core. */
  @WithDefault("0")
  int parallelism();

  /** Where to write the JSON report; never inside the models directory. */
  Optional<Path> report();

  /** How often a progress line is printed while hashing. */
  @WithDefault("10s")
  Duration progressInterval();

  /**
   * Where Kubernetes picks up the reason of the exit; written only when it exists and is writable.
   */
  @WithDefault("/dev/termination-log")
  Path terminationLog();

  /** Where the verification record is kept; none: every blob is hashed on every start. */
  Optional<Path> recordDir();

  /** A recorded hash older than this is done again. */
  @WithDefault("7d")
  Duration reverifyAfter();

  /** {@code verifier watch}: the pause between the end of one pass and the start of the next. */
  @WithDefault("1h")
  Duration watchInterval();

  /** {@code verifier watch}: bytes per second a pass may read; none for no limit. */
  Optional<MemorySize> maxBandwidth();
}
