package org.ollamaairgap.stager.registry;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.ollamaairgap.common.cli.UsageException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.DriverProvider;

/** {@code --driver registry}: the stager speaks the registry protocol itself. */
@ApplicationScoped
public class RegistryDriverProvider implements DriverProvider {

  @Override
  public String name() {
    return "registry";
  }

  /**
   * Builds and closes a driver, because a bad CA bundle or URL is only rejected when the driver's
   * transport is made; this way it exits 2 before anything is touched.
   */
  @Override
  public void check(StagerConfig config) throws UsageException {
    try {
      new RegistryDriver(new StoreLayout(config.modelsDir()), options(config)).close();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  @Override
  public Driver open(StagerConfig config, StoreLayout layout) {
    return new RegistryDriver(layout, options(config));
  }

  static RegistryOptions options(StagerConfig config) {
    RegistryOptions.Builder builder =
        RegistryOptions.defaults().withProxyFromEnvironment(System.getenv()).toBuilder();
    builder
        .insecure(config.insecure())
        .parts(config.parts())
        .retries(config.retries())
        .stallTimeout(config.stallTimeout())
        .partSize(config.partSize().map(MemorySize::asLongValue).orElse(0L))
        .maxBandwidth(config.maxBandwidth().map(MemorySize::asLongValue).orElse(0L));
    config.mirror().map(RegistryDriverProvider::uri).ifPresent(builder::mirror);
    config.caBundle().ifPresent(builder::caBundle);
    config.allowTokenHost().ifPresent(builder::tokenHosts);
    config
        .httpsProxy()
        .filter(p -> !p.isBlank())
        .map(p -> uri(p.contains("://") ? p : "http://" + p))
        .ifPresent(builder::httpsProxy);
    return builder.build();
  }

  private static URI uri(String text) {
    try {
      return new URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getMessage(), e);
    }
  }
}
