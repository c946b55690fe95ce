package org.ollamaairgap.stager;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValidationException;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;

/** Entry point of the staging Job: everything happens in {@link Stager}. */
@QuarkusMain
public class StagerMain implements QuarkusApplication {
  @Inject Stager stager;

  /**
   * Quarkus reads the configuration before {@code run}: a bad environment value (say {@code
   * STAGER_LINGER=soon}) fails start-up. That is bad configuration, exit 2 as the contract says;
   * any other start-up failure (the management port taken) is the environment, exit 3.
   */
  public static void main(String... args) {
    BiConsumer<Integer, Throwable> standard =
        ApplicationLifecycleManager.getDefaultExitCodeHandler();
    Quarkus.run(
        StagerMain.class,
        (exitCode, failure) -> {
          if (failure == null) {
            standard.accept(exitCode, null);
            return;
          }
          boolean config = isConfiguration(failure);
          System.err.println(
              "stager: "
                  + (config ? "invalid configuration: " : "cannot start: ")
                  + failure.getMessage());
          standard.accept(config ? 2 : 3, failure);
        },
        args);
  }

  static boolean isConfiguration(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConfigValidationException || t instanceof ConfigurationException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int run(String... args) {
    return stager.run(args);
  }
}
