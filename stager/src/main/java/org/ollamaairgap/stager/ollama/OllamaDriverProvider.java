package org.ollamaairgap.stager.ollama;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.ConfigCheck;
import org.ollamaairgap.stager.config.OllamaHost;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.DriverProvider;

/**
 * {@code --driver ollama} (the default): drives an Ollama server's own pull, either the one at
 * {@code OLLAMA_HOST} (e.g. a sidecar) or an {@code ollama serve} the driver starts itself.
 */
@ApplicationScoped
public class OllamaDriverProvider implements DriverProvider {
  private static final Logger LOG = Logger.getLogger("ollama");

  /**
   * The slowest hashing rate assumed for Ollama's silent verify phase: a slow NFS export still
   * reads 25 MB/s, so a longer silence than that allows is a stall.
   */
  static final long VERIFY_BYTES_PER_SECOND = 25_000_000L;

  /** The wait before the first retry of a whole pull; it doubles per retry. */
  static final Duration BACKOFF = Duration.ofSeconds(2);

  /** The longest wait between two pulls of a model. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public Driver open(StagerConfig config, StoreLayout layout) {
    return new OllamaDriver(layout, options(config, layout.root()));
  }

  /** The driver's options from the configuration, which {@link ConfigCheck} has passed. */
  public static OllamaOptions options(StagerConfig config, Path modelsDir) {
    StagerConfig.Ollama ollama = config.ollama();
    return new OllamaOptions(
        ollama.ollamaHost().filter(h -> !h.isBlank()).map(OllamaHost::parse).orElse(null),
        ollama.ollamaBin().orElse(null),
        modelsDir,
        ollama.ollamaNoprune(),
        config.transfer().insecure(),
        ollama.ollamaReadyTimeout(),
        config.transfer().stallTimeout(),
        VERIFY_BYTES_PER_SECOND,
        config.transfer().retries(),
        BACKOFF,
        MAX_BACKOFF,
        ollama.ollamaStopTimeout(),
        ollama.ollamaHome().orElse(null),
        proxyEnv(config.registry().httpsProxy()),
        // The server's own lines go to our log, marked, so kubectl logs shows both.
        line -> LOG.info("ollama: " + line),
        OllamaOptions.Sleeper.REAL);
  }

  /**
   * Ollama pulls through {@code HTTPS_PROXY} ({@code user:pass@} included, and {@code NO_PROXY} is
   * inherited): {@code --https-proxy} is the same setting for the server the driver starts.
   */
  private static Map<String, String> proxyEnv(java.util.Optional<String> proxy) {
    return proxy
        .map(String::strip)
        .filter(p -> !p.isEmpty())
        .map(p -> Map.of("HTTPS_PROXY", p))
        .orElse(Map.of());
  }
}
