package org.ollamaairgap.stager.ollama;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.cli.UsageException;
import org.ollamaairgap.common.store.StoreLayout;
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

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public void check(StagerConfig config) throws UsageException {
    try {
      options(config, config.modelsDir().toAbsolutePath());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  @Override
  public Driver open(StagerConfig config, StoreLayout layout) {
    return new OllamaDriver(layout, options(config, layout.root()));
  }

  static OllamaOptions options(StagerConfig config, java.nio.file.Path modelsDir) {
    OllamaOptions.Builder builder =
        OllamaOptions.builder(modelsDir)
            .noprune(config.ollamaNoprune())
            .insecure(config.insecure())
            .readyTimeout(config.ollamaReadyTimeout())
            .stopTimeout(config.ollamaStopTimeout())
            .stallTimeout(config.stallTimeout())
            .retries(config.retries())
            // The server's own lines go to our log, marked, so kubectl logs shows both.
            .serverOutput(line -> LOG.info("ollama: " + line));
    config
        .ollamaHost()
        .filter(h -> !h.isBlank())
        .map(OllamaOptions::parseHost)
        .ifPresent(builder::host);
    config.ollamaBin().ifPresent(builder::binary);
    config.ollamaHome().ifPresent(builder::home);
    return builder.build();
  }
}
