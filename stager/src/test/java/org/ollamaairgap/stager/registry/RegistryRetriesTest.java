package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.metrics.PullMetrics;
import org.ollamaairgap.stager.progress.FanOut;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.progress.RetryLog;
import org.ollamaairgap.stager.run.RunResult;
import org.ollamaairgap.stager.run.StagingRun;
import org.ollamaairgap.stager.testing.TestClock;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Every retry of a run is logged once and counted in the summary and in {@code
 * stager_retries_total}: also those of the manifest requests made before any blob moves.
 */
class RegistryRetriesTest {
  @TempDir Path store;
  private FakeRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void retriedManifestRequests_areLoggedAndCounted() throws Exception {
    SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 3, 50_000);
    registry.push(m);
    registry.behaviour =
        (ex, n) -> {
          if (ex.getRequestURI().getPath().contains("/manifests/") && n <= 2) {
            FakeRegistry.send(ex, 503, "busy");
            return FakeRegistry.Answer.HANDLED;
          }
          return FakeRegistry.Answer.NORMAL;
        };
    StoreLayout layout = new StoreLayout(store);
    ProgressTracker tracker = new ProgressTracker(new TestClock(Instant.now()));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PullMetrics metrics = new PullMetrics(meters, tracker);
    List<String> log = new CopyOnWriteArrayList<>();
    RegistryOptions options =
        TestOptions.registry().insecure(true).retries(3).sleeper(d -> {}).build();

    RunResult result =
        new StagingRun(layout, tracker, new FanOut(List.of(metrics, new RetryLog(log::add))))
            .run(List.of(m.name().toString()), () -> new RegistryDriver(layout, options));

    assertThat(result.exitCode()).as(result.reason()).isZero();
    assertThat(result.models().get(0).retries()).isEqualTo(2);
    assertThat(meters.get("stager.retries").counter().count()).isEqualTo(2.0);
    String name = m.name().displayShortest();
    assertThat(log)
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith(name + ": manifest: HTTP 503: busy"))
        .anySatisfy(line -> assertThat(line).contains("; attempt 1 of 4 failed, next in "))
        .anySatisfy(line -> assertThat(line).contains("; attempt 2 of 4 failed, next in "));
  }
}
