package org.ollamaairgap.stager;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.stager.cli.StagerLaunch;

/**
 * Entry point of the staging Job. {@code --help}, {@code --version} and usage errors are answered
 * before Quarkus starts, so a busy management port or an unreachable cluster never hides them (exit
 * 0 or 2); a failed start is exit 3 naming the cause (a taken port and how to move it); everything
 * else happens in {@link Stager}.
 */
@QuarkusMain
public class StagerMain implements QuarkusApplication {
  @Inject Stager stager;

  public static void main(String... args) {
    BiConsumer<Integer, Throwable> exit = ApplicationLifecycleManager.getDefaultExitCodeHandler();
    StagerLaunch launch =
        new StagerLaunch(System.getenv(), System.out, System.err, Clock.systemUTC());
    Optional<ExitCode> early = launch.beforeStart(args);
    if (early.isPresent()) {
      exit.accept(early.get().code(), null);
      return;
    }
    Optional<ExitCode> bundle =
        launch.runBundle(args, System.in, new java.io.FileOutputStream(java.io.FileDescriptor.out));
    if (bundle.isPresent()) {
      exit.accept(bundle.get().code(), null);
      return;
    }
    Quarkus.run(
        StagerMain.class,
        (code, failure) ->
            exit.accept(failure == null ? code : launch.startFailed(args, failure).code(), null),
        args);
  }

  @Override
  public int run(String... args) {
    return stager.run(args);
  }
}
