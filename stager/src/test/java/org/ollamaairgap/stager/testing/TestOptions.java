package org.ollamaairgap.stager.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.stager.config.ConfigCheck;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.ollama.OllamaDriverProvider;
import org.ollamaairgap.stager.ollama.OllamaOptions;
import org.ollamaairgap.stager.registry.RegistryDriverProvider;
import org.ollamaairgap.stager.registry.RegistryOptions;

/**
 * The one way tests make driver options: from environment variables, read through the stager's own
 * {@code application.properties}, {@link StagerConfig} defaults, {@link ConfigCheck} and the
 * providers' mapping, exactly as a run does. A test sets what it cares about by its operator name,
 * so it can never run on a default that production does not have. Only what no operator can set
 * (how to wait, the backoff, where the server's lines go) is set directly.
 */
public final class TestOptions {
  /** Quarkus' ordinals for application.properties and the environment. */
  private static final int PROPERTIES = 250;

  private static final int ENVIRONMENT = 300;

  private TestOptions() {}

  /**
   * The configuration a stager started with this environment sees (no flags).
   *
   * @throws IllegalArgumentException if a value would make the stager exit 2
   */
  public static StagerConfig config(Map<String, String> env) {
    URL properties =
        Objects.requireNonNull(
            TestOptions.class.getClassLoader().getResource("application.properties"));
    StagerConfig config;
    try {
      config =
          new SmallRyeConfigBuilder()
              .withSources(
                  new PropertiesConfigSource(properties, PROPERTIES),
                  new EnvConfigSource(env, ENVIRONMENT))
              .addDefaultInterceptors()
              .withConverter(Duration.class, 200, new DurationConverter())
              .withConverter(Path.class, 200, new PathConverter())
              .withConverter(MemorySize.class, 200, new MemorySizeConverter())
              .withMapping(StagerConfig.class)
              .withValidateUnknown(false)
              .build()
              .getConfigMapping(StagerConfig.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ConfigCheck.check(config);
    } catch (UsageException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return config;
  }

  /** Registry-driver options; the store is not part of them. */
  public static Registry registry() {
    return new Registry();
  }

  /** Ollama-driver options for a store. */
  public static Ollama ollama(Path store) {
    return new Ollama(store);
  }

  /** Environment variables by their documented names, shared by both kinds. */
  @SuppressWarnings("unchecked")
  abstract static class Env<T extends Env<T>> {
    final Map<String, String> env = new HashMap<>();

    /** Any environment variable, e.g. {@code NO_PROXY}. */
    public T env(String name, Object value) {
      env.put(name, String.valueOf(value));
      return (T) this;
    }

    public T insecure(boolean value) {
      return env("STAGER_INSECURE", value);
    }

    public T stallTimeout(Duration value) {
      return env("STAGER_STALL_TIMEOUT", value);
    }

    public T retries(int value) {
      return env("STAGER_RETRIES", value);
    }

    StagerConfig config(Path store) {
      Map<String, String> all = new HashMap<>(env);
      all.putIfAbsent("OLLAMA_MODELS", store.toString());
      return TestOptions.config(all);
    }
  }

  /** Builds {@link RegistryOptions} through the production mapping. */
  public static final class Registry extends Env<Registry> {
    private RegistryOptions.Sleeper sleeper = RegistryOptions.Sleeper.REAL;
    private Duration backoffBase;
    private Duration backoffMax;
    private Clock clock;

    private Registry() {}

    public Registry parts(int value) {
      return env("STAGER_PARTS", value);
    }

    /** Bytes. */
    public Registry partSize(long value) {
      return env("STAGER_PART_SIZE", value);
    }

    /** Bytes per second. */
    public Registry maxBandwidth(long value) {
      return env("STAGER_MAX_BANDWIDTH", value);
    }

    /** Bytes per second. */
    public Registry minRate(long value) {
      return env("STAGER_MIN_RATE", value);
    }

    public Registry minRateWindow(Duration value) {
      return env("STAGER_MIN_RATE_WINDOW", value);
    }

    public Registry mirror(URI value) {
      return env("STAGER_MIRROR", value);
    }

    public Registry caBundle(Path value) {
      return env("STAGER_CA_BUNDLE", value);
    }

    public Registry sleeper(RegistryOptions.Sleeper value) {
      sleeper = value;
      return this;
    }

    public Registry backoffBase(Duration value) {
      backoffBase = value;
      return this;
    }

    public Registry backoffMax(Duration value) {
      backoffMax = value;
      return this;
    }

    public Registry clock(Clock value) {
      clock = value;
      return this;
    }

    public RegistryOptions build() {
      RegistryOptions o =
          RegistryDriverProvider.options(config(Path.of("/unused-store")), Map.copyOf(env));
      return new RegistryOptions(
          o.insecure(),
          o.mirror(),
          o.caBundle(),
          o.httpsProxy(),
          o.noProxy(),
          o.tokenHosts(),
          o.parts(),
          o.partSize(),
          o.maxBandwidth(),
          o.minRate(),
          o.minRateWindow(),
          o.stallTimeout(),
          o.retries(),
          backoffBase == null ? o.backoffBase() : backoffBase,
          backoffMax == null ? o.backoffMax() : backoffMax,
          o.connectTimeout(),
          o.checkpointInterval(),
          o.userAgent(),
          clock == null ? o.clock() : clock,
          sleeper);
    }
  }

  /** Builds {@link OllamaOptions} through the production mapping. */
  public static final class Ollama extends Env<Ollama> {
    private final Path store;
    private OllamaOptions.Sleeper sleeper = OllamaOptions.Sleeper.REAL;
    private Duration backoff;
    private Duration maxBackoff;
    private Long verifyBytesPerSecond;
    private Map<String, String> serverEnv;
    private Consumer<String> serverOutput;

    private Ollama(Path store) {
      this.store = store;
    }

    public Ollama host(URI value) {
      return env("OLLAMA_HOST", value);
    }

    public Ollama binary(Path value) {
      return env("STAGER_OLLAMA_BIN", value);
    }

    public Ollama home(Path value) {
      return env("STAGER_OLLAMA_HOME", value);
    }

    public Ollama noprune(boolean value) {
      return env("STAGER_OLLAMA_NOPRUNE", value);
    }

    public Ollama readyTimeout(Duration value) {
      return env("STAGER_OLLAMA_READY_TIMEOUT", value);
    }

    public Ollama stopTimeout(Duration value) {
      return env("STAGER_OLLAMA_STOP_TIMEOUT", value);
    }

    public Ollama sleeper(OllamaOptions.Sleeper value) {
      sleeper = value;
      return this;
    }

    public Ollama backoff(Duration value) {
      backoff = value;
      return this;
    }

    public Ollama maxBackoff(Duration value) {
      maxBackoff = value;
      return this;
    }

    public Ollama verifyBytesPerSecond(long value) {
      verifyBytesPerSecond = value;
      return this;
    }

    /** Extra environment of a started {@code ollama serve} (the fake's switches). */
    public Ollama serverEnv(Map<String, String> value) {
      serverEnv = value;
      return this;
    }

    public Ollama serverOutput(Consumer<String> value) {
      serverOutput = value;
      return this;
    }

    public OllamaOptions build() {
      OllamaOptions o = OllamaDriverProvider.options(config(store), store);
      return new OllamaOptions(
          o.host(),
          o.binary(),
          o.modelsDir(),
          o.noprune(),
          o.insecure(),
          o.readyTimeout(),
          o.stallTimeout(),
          verifyBytesPerSecond == null ? o.verifyBytesPerSecond() : verifyBytesPerSecond,
          o.retries(),
          backoff == null ? o.backoff() : backoff,
          maxBackoff == null ? o.maxBackoff() : maxBackoff,
          o.stopTimeout(),
          o.home(),
          serverEnv == null ? o.serverEnv() : serverEnv,
          serverOutput == null ? o.serverOutput() : serverOutput,
          sleeper);
    }
  }
}
