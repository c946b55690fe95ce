package org.ollamaairgap.stager.driver;

import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.StagerConfig;

/**
 * Makes one kind of {@link Driver}: a CDI bean per driver, found by {@link #name()} (the value of
 * {@code --driver}). Adding a driver means adding a bean; tests add a fake one the same way.
 */
public interface DriverProvider {
  /** The {@code --driver} value that selects this driver. */
  String name();

  /**
   * Checks the driver's options before anything is touched, so a bad one exits 2 (a mirror that is
   * not a URL, say). The default accepts everything.
   */
  default void check(StagerConfig config) throws UsageException {}

  /**
   * Opens a driver for this run. Called after the names were validated and the store proved
   * writable; may start processes or connections, which {@link Driver#close()} ends.
   */
  Driver open(StagerConfig config, StoreLayout layout) throws StageException;
}
