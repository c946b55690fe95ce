package org.ollamaairgap.stager.ollama;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the {@code ollama} driver reaches Ollama and how patient it is.
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

  /** Ollama's default port, used when {@code OLLAMA_HOST} names none and has no scheme. */
  public static final int DEFAULT_PORT = 11434;

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
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
    }
    if (verifyBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "verifyBytesPerSecond must be positive, got " + verifyBytesPerSecond);
    }
    if (stallTimeout.isZero() || stallTimeout.isNegative()) {
      throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
    }
  }

  /** Defaults for everything but the store: start {@code ollama serve} from {@code PATH}. */
  public static Builder builder(Path modelsDir) {
    return new Builder(modelsDir);
  }

  /**
   * The base URL for an {@code OLLAMA_HOST} value, read as Ollama's own client reads it: no scheme
   * means {@code http} and port 11434; {@code http://} without a port means 80, {@code https://}
   * 443; an empty host means 127.0.0.1; a path is dropped.
   *
   * @throws IllegalArgumentException with a message for people when the value is unusable
   */
  public static URI parseHost(String value) {
    String text = value == null ? "" : value.strip();
    String scheme = "http";
    int defaultPort = DEFAULT_PORT;
    int sep = text.indexOf("://");
    if (sep >= 0) {
      scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
      text = text.substring(sep + 3);
      if (scheme.equals("http")) {
        defaultPort = 80;
      } else if (scheme.equals("https")) {
        defaultPort = 443;
      } else {
        throw new IllegalArgumentException(
            "OLLAMA_HOST '" + value + "' has scheme '" + scheme + "', expected http or https");
      }
    }
    int slash = text.indexOf('/');
    if (slash >= 0) {
      text = text.substring(0, slash);
    }
    String host = text;
    int port = defaultPort;
    int colon = text.lastIndexOf(':');
    boolean bracketed = text.startsWith("[");
    if (colon >= 0 && (!bracketed || colon > text.indexOf(']'))) {
      host = text.substring(0, colon);
      String portText = text.substring(colon + 1);
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "OLLAMA_HOST '" + value + "' has port '" + portText + "', expected a number", e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "OLLAMA_HOST '" + value + "' has port " + port + ", expected 1-65535");
      }
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    try {
      return new URI(scheme + "://" + host + ":" + port);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "OLLAMA_HOST '" + value + "' is not a usable address: " + e.getMessage(), e);
    }
  }

  /** Builds {@link OllamaOptions} with the documented defaults. */
  public static final class Builder {
    private URI host;
    private Path binary;
    private final Path modelsDir;
    private boolean noprune = true;
    private boolean insecure;
    private Duration readyTimeout = Duration.ofSeconds(60);
    private Duration stallTimeout = Duration.ofMinutes(2);
    private long verifyBytesPerSecond = 25_000_000L;
    private int retries = 5;
    private Duration backoff = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Path home;
    private Map<String, String> serverEnv = Map.of();
    private Consumer<String> serverOutput =
        line -> System.getLogger(OllamaServer.class.getName()).log(System.Logger.Level.INFO, line);
    private Sleeper sleeper = Sleeper.REAL;

    private Builder(Path modelsDir) {
      this.modelsDir = modelsDir;
    }

    public Builder host(URI host) {
      this.host = host;
      return this;
    }

    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    public Builder noprune(boolean noprune) {
      this.noprune = noprune;
      return this;
    }

    public Builder insecure(boolean insecure) {
      this.insecure = insecure;
      return this;
    }

    public Builder readyTimeout(Duration readyTimeout) {
      this.readyTimeout = readyTimeout;
      return this;
    }

    public Builder stallTimeout(Duration stallTimeout) {
      this.stallTimeout = stallTimeout;
      return this;
    }

    public Builder verifyBytesPerSecond(long verifyBytesPerSecond) {
      this.verifyBytesPerSecond = verifyBytesPerSecond;
      return this;
    }

    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    public Builder backoff(Duration backoff) {
      this.backoff = backoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    public Builder home(Path home) {
      this.home = home;
      return this;
    }

    public Builder serverEnv(Map<String, String> serverEnv) {
      this.serverEnv = serverEnv;
      return this;
    }

    public Builder serverOutput(Consumer<String> serverOutput) {
      this.serverOutput = serverOutput;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public OllamaOptions build() {
      return new OllamaOptions(
          host,
          binary,
          modelsDir,
          noprune,
          insecure,
          readyTimeout,
          stallTimeout,
          verifyBytesPerSecond,
          retries,
          backoff,
          maxBackoff,
          stopTimeout,
          home,
          serverEnv,
          serverOutput,
          sleeper);
    }
  }
}
