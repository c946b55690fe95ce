package org.ollamaairgap.stager.progress;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;

/**
 * Turns pull events into per-model {@link ModelProgress}: the one place that counts, so metrics,
 * health, progress lines and the summary agree. Thread-safe.
 */
public final class ProgressTracker implements PullListener {
  private final Clock clock;
  // Insertion order is the run's order, so progress lines come in the order models were listed.
  private final Map<String, ModelProgress> models = new ConcurrentHashMap<>();
  private final List<ModelProgress> ordered = new CopyOnWriteArrayList<>();

  public ProgressTracker(Clock clock) {
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  /** The model's progress, created (pending) on first use. */
  public ModelProgress get(ModelName model) {
    return models.computeIfAbsent(
        model.key(),
        key -> {
          ModelProgress progress = new ModelProgress(model, clock.instant());
          ordered.add(progress);
          return progress;
        });
  }

  /** Every model seen so far, in the order they first appeared. */
  public List<ModelProgress> all() {
    return new ArrayList<>(ordered);
  }

  /** How many models are in this state. */
  public int count(ModelState state) {
    int n = 0;
    for (ModelProgress progress : ordered) {
      if (progress.state() == state) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void state(ModelName model, ModelState state) {
    get(model).state(state, clock.instant());
  }

  @Override
  public void blob(ModelName model, Digest digest, long size) {
    get(model).blob(digest, size);
  }

  @Override
  public void blobCompleted(ModelName model, Digest digest, long completed) {
    get(model).blobCompleted(digest, completed, clock.instant());
  }

  @Override
  public void transferred(ModelName model, long bytes) {
    get(model).transferred(bytes, clock.instant());
  }

  @Override
  public void hashed(ModelName model, long bytes) {
    get(model).hashed(bytes, clock.instant());
  }

  @Override
  public void retry(ModelName model, String reason) {
    get(model).retry();
  }
}
