package org.ollamaairgap.stager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.stager.progress.ModelProgress;
import org.ollamaairgap.stager.progress.ProgressTracker;

/**
 * The stager's Prometheus series, exactly as docs/stager.md ("Metrics") names them. Gauges read the
 * tracker, which this object holds (Micrometer keeps only weak references to gauge objects);
 * counters and the timer are fed from the events. It must come after the tracker in a {@code
 * FanOut}.
 *
 * <pre>
 *   stager_model_size_bytes{model}            stager_model_completed_bytes{model}
 *   stager_model_state{model,state}           stager_transferred_bytes_total{model}
 *   stager_retries_total{model}               stager_pull_duration_seconds{model,outcome}
 *   stager_models{state}
 * </pre>
 */
public final class PullMetrics implements PullListener {
  private final MeterRegistry registry;
  private final ProgressTracker tracker;
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();

  private record Meters(Counter transferred, Counter retries) {}

  public PullMetrics(MeterRegistry registry, ProgressTracker tracker) {
    this.registry = registry;
    this.tracker = tracker;
    for (ModelState state : ModelState.values()) {
      Gauge.builder("stager.models", tracker, t -> t.count(state))
          .description("How many models are in each state")
          .tag("state", state.label())
          .strongReference(true)
          .register(registry);
    }
  }

  @Override
  public void state(ModelName model, ModelState state) {
    meters(model);
    if (state == ModelState.DONE || state == ModelState.FAILED) {
      ModelProgress progress = tracker.get(model);
      Instant started = progress.started();
      Instant finished = progress.finished();
      Duration wall =
          started == null || finished == null ? Duration.ZERO : Duration.between(started, finished);
      Timer.builder("stager.pull.duration")
          .description("Wall time per model, from the start of its pull to done or failed")
          .tag("model", progress.label())
          .tag("outcome", state.label())
          .register(registry)
          .record(wall);
    }
  }

  @Override
  public void transferred(ModelName model, long bytes) {
    meters(model).transferred().increment((double) bytes);
  }

  @Override
  public void retry(ModelName model, String reason) {
    meters(model).retries().increment();
  }

  private Meters meters(ModelName model) {
    return meters.computeIfAbsent(model.key(), key -> register(tracker.get(model)));
  }

  private Meters register(ModelProgress progress) {
    String label = progress.label();
    Gauge.builder("stager.model.size.bytes", progress, p -> (double) p.size())
        .description("Total bytes of the model (config and layers), once known")
        .tag("model", label)
        .strongReference(true)
        .register(registry);
    Gauge.builder("stager.model.completed.bytes", progress, p -> (double) p.completed())
        .description("Bytes of the model present and accounted for")
        .tag("model", label)
        .strongReference(true)
        .register(registry);
    for (ModelState state : ModelState.values()) {
      Gauge.builder("stager.model.state", progress, p -> p.state() == state ? 1 : 0)
          .description("1 for the model's current state, 0 for the others")
          .tag("model", label)
          .tag("state", state.label())
          .strongReference(true)
          .register(registry);
    }
    Counter transferred =
        Counter.builder("stager.transferred.bytes")
            .description("Bytes received over the network in this run")
            .tag("model", label)
            .register(registry);
    Counter retries =
        Counter.builder("stager.retries")
            .description("Retried requests and parts")
            .tag("model", label)
            .register(registry);
    return new Meters(transferred, retries);
  }
}
