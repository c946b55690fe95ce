package org.ollamaairgap.stager.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.testing.TestClock;

class StallWatchTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ProgressTracker tracker = new ProgressTracker(clock);
  private final StallWatch watch = new StallWatch(tracker, TIMEOUT);
  private final ModelName model = name("llama3:8b");

  private static ModelName name(String text) {
    try {
      return ModelName.parse(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void stalled_pullingWithoutBytesForTheTimeout_isAStall() {
    tracker.state(model, ModelState.PULLING);
    clock.advance(TIMEOUT.minusSeconds(1));
    assertThat(watch.stalled()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(watch.stalled()).contains(new StallWatch.Stall("llama3:8b", TIMEOUT));
  }

  @Test
  void stalled_eachKindOfProgress_resetsTheTimer() {
    tracker.state(model, ModelState.PULLING);
    Digest blob = Digest.of(new byte[32]);
    Runnable[] progress = {
      () -> tracker.transferred(model, 1),
      () -> tracker.blobCompleted(model, blob, 5),
      () -> tracker.hashed(model, 1)
    };
    for (Runnable step : progress) {
      clock.advance(TIMEOUT.minusSeconds(1));
      step.run();
      clock.advance(Duration.ofSeconds(2));
      assertThat(watch.stalled()).isEmpty();
    }
  }

  @Test
  void stalled_verifyingOrFinishedModels_neverStall() {
    tracker.state(model, ModelState.VERIFYING);
    tracker.state(name("done"), ModelState.DONE);
    tracker.state(name("waiting"), ModelState.PENDING);
    clock.advance(TIMEOUT.multipliedBy(10));

    assertThat(watch.stalled()).isEmpty();
  }

  @Test
  void liveness_downWithModelAndSilence_whenStalled() {
    StallLiveness liveness = new StallLiveness();
    assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    liveness.watch(watch);
    tracker.state(model, ModelState.PULLING);
    clock.advance(Duration.ofMinutes(7));

    HealthCheckResponse response = liveness.call();

    assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(response.getData().orElseThrow())
        .containsEntry("model", "llama3:8b")
        .containsEntry("secondsSinceLastByte", 420L)
        .containsEntry("stallTimeoutSeconds", 300L);
  }
}
