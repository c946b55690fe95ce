package org.ollamaairgap.stager.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.lock.LockHeldException;
import org.ollamaairgap.stager.lock.StoreLock;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.testing.FakeDriver;
import org.ollamaairgap.stager.testing.TestClock;

/** How the run uses the store lock: before the driver opens, checked between models. */
class StagingRunLockTest {
  @TempDir Path tmp;

  private RunResult run(StoreLock lock, AtomicInteger opened, String... names) {
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));
    ProgressTracker tracker =
        new ProgressTracker(new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    return new StagingRun(layout, tracker, PullListener.NONE)
        .lockedBy(lock, Duration.ofSeconds(7))
        .run(
            List.of(names),
            () -> {
              opened.incrementAndGet();
              return new FakeDriver(layout);
            });
  }

  @Test
  void lockHeld_exits3WithTheHoldersMessage_beforeTheDriverOpens() {
    AtomicInteger opened = new AtomicInteger();
    StoreLock held =
        new StoreLock() {
          @Override
          public Held acquire(Duration wait) throws LockHeldException {
            assertThat(wait).isEqualTo(Duration.ofSeconds(7));
            throw new LockHeldException("pod-x", "held by pod-x");
          }

          @Override
          public String describe() {
            return "test lock";
          }
        };

    RunResult result = run(held, opened, "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.reason()).isEqualTo("held by pod-x");
    assertThat(opened).hasValue(0);
    assertThat(tmp.resolve("models/manifests")).doesNotExist();
  }

  @Test
  void lockLostDuringTheRun_stopsBeforeTheNextModel_andReleases() {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger checks = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    StoreLock losing =
        new StoreLock() {
          @Override
          public Held acquire(Duration wait) {
            return new Held() {
              @Override
              public Optional<String> lost() {
                // still ours before the first model, lost before the second
                return checks.incrementAndGet() == 1
                    ? Optional.empty()
                    : Optional.of("the lock file now belongs to pod-y");
              }

              @Override
              public void close() {
                closed.incrementAndGet();
              }
            };
          }

          @Override
          public String describe() {
            return "test lock";
          }
        };

    RunResult result = run(losing, opened, "ok-a:1", "ok-b:1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.reason())
        .isEqualTo(
            "stopped writing: lost the store lock: the lock file now belongs to pod-y. Another"
                + " stager may be writing the store; run again once it has finished.");
    assertThat(result.models())
        .extracting(ModelReport::outcome)
        .containsExactly(Outcome.DONE, Outcome.SKIPPED);
    assertThat(closed).hasValue(1);
  }
}
