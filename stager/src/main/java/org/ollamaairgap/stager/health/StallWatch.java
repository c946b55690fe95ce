package org.ollamaairgap.stager.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.stager.progress.ModelProgress;
import org.ollamaairgap.stager.progress.ProgressTracker;

/**
 * Decides whether a transfer is stalled: a model is pulling and nothing moved for it (no byte
 * received, no blob advanced, nothing hashed) for the stall timeout. A model in {@code verifying}
 * is never stalled: re-hashing a large blob is silent work, not a hang.
 */
public final class StallWatch {
  private final ProgressTracker tracker;
  private final Duration stallTimeout;

  /** A stalled model and how long it has been silent. */
  public record Stall(String model, Duration silent) {}

  public StallWatch(ProgressTracker tracker, Duration stallTimeout) {
    this.tracker = tracker;
    this.stallTimeout = stallTimeout;
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  /** The first stalled model, if any. */
  public Optional<Stall> stalled() {
    Instant now = tracker.clock().instant();
    for (ModelProgress model : tracker.all()) {
      if (model.state() != ModelState.PULLING) {
        continue;
      }
      Duration silent = Duration.between(model.lastProgress(), now);
      if (silent.compareTo(stallTimeout) >= 0) {
        return Optional.of(new Stall(model.label(), silent));
      }
    }
    return Optional.empty();
  }
}
