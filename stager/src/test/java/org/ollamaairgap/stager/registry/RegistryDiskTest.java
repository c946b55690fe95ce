package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ollamaairgap.stager.testing.StageFailures.assertEnvironmentFailure;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A full disk (a 1 MB tmpfs) and a read-only target (a read-only bind mount): both stop the model
 * at once as environment problems with a clear reason. Needs root and mount; skipped otherwise.
 */
class RegistryDiskTest {
  @TempDir Path dir;
  FakeRegistry registry;
  Path store;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
    store = dir.resolve("models");
    Files.createDirectories(store);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
    run("umount", store.toString());
  }

  static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  RegistryDriver driver() {
    return new RegistryDriver(
        new StoreLayout(store),
        TestOptions.registry()
            .insecure(true)
            .parts(2)
            .partSize(256 * 1024)
            .retries(2)
            .sleeper(d -> {})
            .stallTimeout(Duration.ofSeconds(10))
            .build());
  }

  @Test
  void stage_diskFull_failsAtOnceWithNoSpaceAndTheNumbers() throws Exception {
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", store.toString()),
        "mounting a tmpfs needs root; skipped");
    SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 1, 3_000_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();

    try (RegistryDriver d = driver()) {
      assertEnvironmentFailure(
              () -> d.stage(m.name(), d.resolve(m.name()), PullListener.NONE), Reason.NO_SPACE)
          .matches(
              "out of space writing "
                  + Pattern.quote(new StoreLayout(store).partialBlob(weights).toString())
                  + ": the model still needs \\d+ bytes, \\d+ bytes free on "
                  + ".*; free space on the target or stage fewer models");
    }
    assertThat(new StoreLayout(store).blob(weights)).doesNotExist();
    assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();
  }

  @Test
  void stage_readOnlyTarget_failsWithNotWritableNamingThePath() throws Exception {
    Assumptions.assumeTrue(
        run("mount", "--bind", store.toString(), store.toString())
            && run("mount", "-o", "remount,ro,bind", store.toString()),
        "a read-only bind mount needs root; skipped");
    SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 1, 1000);
    registry.push(m);

    try (RegistryDriver d = driver()) {
      assertStageFailure(
              () -> d.stage(m.name(), d.resolve(m.name()), PullListener.NONE), Reason.NOT_WRITABLE)
          .isEqualTo(
              "cannot write "
                  + store.resolve("blobs")
                  + " (read-only file system); mount the models directory read-write"
                  + " and give the stager's user write access to it");
    }
    try (var files = Files.list(store)) {
      assertThat(files.toList()).isEqualTo(List.of());
    }
  }
}
