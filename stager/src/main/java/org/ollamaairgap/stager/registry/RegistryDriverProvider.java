package org.ollamaairgap.stager.registry;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.ConfigCheck;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.DriverProvider;

/** {@code --driver registry}: the stager speaks the registry protocol itself. */
@ApplicationScoped
public class RegistryDriverProvider implements DriverProvider {
  /** Ollama's first retry wait; it doubles per attempt. */
  static final Duration BACKOFF_BASE = Duration.ofSeconds(1);

  /** The longest wait between attempts, also the cap on a registry's {@code Retry-After}. */
  static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

  /** Long enough for a TLS handshake through a busy proxy, short enough to retry a dead host. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** At most a second of received bytes is fetched again after a crash. */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  @Override
  public String name() {
    return "registry";
  }

  /**
   * Builds and closes a driver, because a bad CA bundle is only rejected when the driver's
   * transport is made; this way it exits 2 before anything is touched.
   */
  @Override
  public void check(StagerConfig config) throws UsageException {
    try {
      new RegistryDriver(new StoreLayout(config.modelsDir()), options(config, System.getenv()))
          .close();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  @Override
  public Driver open(StagerConfig config, StoreLayout layout) {
    return new RegistryDriver(layout, options(config, System.getenv()));
  }

  /**
   * The driver's options from the configuration ({@link ConfigCheck} has passed it) and, for {@code
   * NO_PROXY} / {@code no_proxy}, the environment as a Go program reads it.
   */
  public static RegistryOptions options(StagerConfig config, Map<String, String> env) {
    StagerConfig.Registry registry = config.registry();
    StagerConfig.Transfer transfer = config.transfer();
    return new RegistryOptions(
        transfer.insecure(),
        registry.mirror().filter(m -> !m.isBlank()).map(ConfigCheck::url).orElse(null),
        registry.caBundle().orElse(null),
        proxy(registry.httpsProxy()),
        noProxy(env),
        registry.allowTokenHost().orElse(List.of()),
        registry.parts(),
        bytes(registry.partSize()),
        bytes(registry.maxBandwidth()),
        transfer.minRate().asLongValue(),
        transfer.minRateWindow(),
        transfer.stallTimeout(),
        transfer.retries(),
        BACKOFF_BASE,
        BACKOFF_MAX,
        CONNECT_TIMEOUT,
        CHECKPOINT_INTERVAL,
        RegistryOptions.DEFAULT_USER_AGENT,
        Clock.systemUTC(),
        RegistryOptions.Sleeper.REAL);
  }

  /** A proxy given as {@code host:port} means {@code http://host:port}, as in Go. */
  private static URI proxy(Optional<String> value) {
    return value
        .map(String::strip)
        .filter(p -> !p.isEmpty())
        .map(p -> ConfigCheck.url(p.contains("://") ? p : "http://" + p))
        .orElse(null);
  }

  private static List<String> noProxy(Map<String, String> env) {
    String no = env.get("NO_PROXY");
    if (no == null || no.isBlank()) {
      no = env.get("no_proxy");
    }
    if (no == null) {
      return List.of();
    }
    return Arrays.stream(no.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static long bytes(Optional<MemorySize> size) {
    return size.map(MemorySize::asLongValue).orElse(0L);
  }
}
