package org.ollamaairgap.stager.testing;

import jakarta.enterprise.context.ApplicationScoped;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.DriverProvider;

/** Makes {@code --driver fake} available to the app tests; it exists only on the test path. */
@ApplicationScoped
public class FakeDriverProvider implements DriverProvider {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Driver open(StagerConfig config, StoreLayout layout) {
    return new FakeDriver(layout);
  }
}
