package org.ollamaairgap.verifier;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.ConfigValidationException;
import java.util.function.BiConsumer;

/**
 * Entry point of the init container. Quarkus validates the environment's {@code VERIFIER_*} values
 * before {@link Verifier#run} is reached; a bad one would otherwise end in exit 1 and a stack
 * trace. The exit handler turns it into exit 2 and one line, as for a bad flag.
 */
@QuarkusMain
public final class VerifierMain {
  private VerifierMain() {}

  public static void main(String... args) {
    Quarkus.run(Verifier.class, VerifierMain::exit, args);
  }

  static void exit(int code, Throwable failure) {
    BiConsumer<Integer, Throwable> standard =
        ApplicationLifecycleManager.getDefaultExitCodeHandler();
    ConfigValidationException invalid = configProblem(failure);
    if (invalid != null) {
      StringBuilder line = new StringBuilder("verifier: invalid configuration:");
      for (int i = 0; i < invalid.getProblemCount(); i++) {
        line.append(' ').append(invalid.getProblem(i).getMessage().replace('\n', ' '));
      }
      System.err.println(line);
      Verifier.writeTerminationLog(line.toString());
      standard.accept(Verifier.EXIT_USAGE, null);
      return;
    }
    standard.accept(code, failure);
  }

  private static ConfigValidationException configProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConfigValidationException e) {
        return e;
      }
    }
    return null;
  }
}
