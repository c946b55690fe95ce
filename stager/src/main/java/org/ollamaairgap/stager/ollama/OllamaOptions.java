package org.ollamaairgap.stager.ollama;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the {@code ollama} driver reaches Ollama and how patient it is, as the run's configuration
 * sets it ({@link OllamaDriverProvider#options} maps {@code StagerConfig} onto this; its defaults
 * and checks live there, not here).
 *
 * @param host an existing Ollama server (from {@code OLLAMA_HOST}); null to start {@code ollama
 *     serve} as a child process
 * @param binary the {@code ollama} executable for the child process; null to look it up on {@code
 *     PATH}; a bare name is looked up on {@code PATH} too
 * @param modelsDir the store root ({@code OLLAMA_MODELS}); the child writes there, and the driver
 *     reads the manifest Ollama wrote from there
 * @param noprune pass {@code OLLAMA_NOPRUNE=1} to the child (no start-up pruning, no "removing
 *     unused layers" after a pull)
 * @param insecure pass {@code insecure: true} to {@code /api/pull} (plain HTTP to the registry)
 * @param readyTimeout how long the server may take to answer {@code GET /} with "Ollama is running"
 * @param stallTimeout how long a pull may make no progress (outside the verify phase) before it is
 *     cancelled and retried
 * @param verifyBytesPerSecond the slowest hashing rate assumed for Ollama's silent {@code verifying
 *     sha256 digest} phase; that phase may stay silent for {@code stallTimeout} plus the downloaded
 *     bytes at this rate
 * @param retries how many times a model's pull is retried after a transient failure
 * @param backoff the wait before the first retry; it doubles per retry up to {@code maxBackoff}
 * @param maxBackoff the longest wait between retries
 * @param stopTimeout how long the child gets to exit after SIGTERM before it is killed
 * @param home {@code HOME} for the child (Ollama creates {@code $HOME/.ollama/id_ed25519}); null to
 *     inherit the stager's
 * @param serverEnv extra environment for the child (e.g. {@code HTTPS_PROXY}); the stager's own
 *     environment is inherited anyway
 * @param serverOutput receives every line the child prints (stdout and stderr)
 * @param sleeper waits between retries; tests pass one that records instead of sleeping
 */
public record OllamaOptions(
    URI host,
    Path binary,
    Path modelsDir,
    boolean noprune,
    boolean insecure,
    Duration readyTimeout,
    Duration stallTimeout,
    long verifyBytesPerSecond,
    int retries,
    Duration backoff,
    Duration maxBackoff,
    Duration stopTimeout,
    Path home,
    Map<String, String> serverEnv,
    Consumer<String> serverOutput,
    Sleeper sleeper) {

  /** Waits between retries. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  public OllamaOptions {
    Objects.requireNonNull(modelsDir, "modelsDir");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(serverOutput, "serverOutput");
    Objects.requireNonNull(sleeper, "sleeper");
    serverEnv = Map.copyOf(serverEnv == null ? Map.of() : serverEnv);
  }
}
