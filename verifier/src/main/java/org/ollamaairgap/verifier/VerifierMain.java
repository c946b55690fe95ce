package org.ollamaairgap.verifier;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import org.ollamaairgap.app.StartupFailure;

/**
 * Entry point of the init container. {@code --help}, {@code --version} and bad usage are answered
 * before Quarkus starts (see {@link VerifierCommand}); a start-up failure after that is one line
 * and exit 2 (configuration) or 3 (environment), never a stack trace.
 */
@QuarkusMain
public final class VerifierMain {
  private VerifierMain() {}

  public static void main(String... args) {
    BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
    Optional<Integer> early =
        VerifierCommand.beforeStart(args, System.getenv(), System.out, System.err);
    if (early.isPresent()) {
      exit.accept(early.get(), null);
      return;
    }
    boolean watch = VerifierCommand.isWatch(args);
    if (!watch) {
      // Only verifier watch serves health and metrics; the init container must never fail on a
      // taken port, so its listener goes to an ephemeral port nobody outside the pod reaches.
      System.setProperty("quarkus.management.port", "0");
      System.setProperty("quarkus.management.host", "127.0.0.1");
    }
    Quarkus.run(
        Verifier.class,
        (code, failure) -> {
          if (failure == null) {
            exit.accept(code, null);
            return;
          }
          StartupFailure why =
              StartupFailure.of(failure, watch ? managementPort() : OptionalInt.empty());
          VerifierCommand.refuse(
              why.message(),
              VerifierCommand.terminationLog(args, Optional.empty(), System.getenv()),
              System.err);
          exit.accept(why.exit().code(), null);
        },
        args);
  }

  /** The management port in force for verifier watch, when it is a plain number. */
  private static OptionalInt managementPort() {
    String value =
        System.getProperty(
            "quarkus.management.port",
            System.getenv().getOrDefault(StartupFailure.PORT_ENV, "9000"));
    return value.strip().matches("\\d{1,5}")
        ? OptionalInt.of(Integer.parseInt(value.strip()))
        : OptionalInt.empty();
  }
}
