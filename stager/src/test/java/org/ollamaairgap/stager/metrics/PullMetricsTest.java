package org.ollamaairgap.stager.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.stager.progress.FanOut;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.testing.Scrape;
import org.ollamaairgap.stager.testing.TestClock;

/** The series as Prometheus scrapes them: names, labels and values are the contract. */
// Quarkus 3.33 ships the simpleclient-based registry, deprecated upstream but what /q/metrics uses.
@SuppressWarnings("deprecation")
class PullMetricsTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ProgressTracker tracker = new ProgressTracker(clock);
  private final PullListener events =
      new FanOut(List.of(tracker, new PullMetrics(registry, tracker)));

  @Test
  void scrape_duringAndAfterAPull_showsTheContractSeries() throws Exception {
    ModelName model = ModelName.parse("llama3:8b");
    ModelName other = ModelName.parse("example.org:5000/team/m:v1");
    Digest a = Digest.of(new byte[32]);
    events.state(model, ModelState.PENDING);
    events.state(other, ModelState.PENDING);
    events.state(model, ModelState.PULLING);
    events.blob(model, a, 1000);
    events.transferred(model, 400);
    events.blobCompleted(model, a, 400);
    events.retry(model, "503");

    var scrape = Scrape.parse(registry.scrape());
    assertThat(scrape)
        .containsEntry("stager_model_size_bytes{model=\"llama3:8b\"}", 1000.0)
        .containsEntry("stager_model_completed_bytes{model=\"llama3:8b\"}", 400.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"pending\"}", 0.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"pulling\"}", 1.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"verifying\"}", 0.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"done\"}", 0.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"failed\"}", 0.0)
        .containsEntry("stager_transferred_bytes_total{model=\"llama3:8b\"}", 400.0)
        .containsEntry("stager_retries_total{model=\"llama3:8b\"}", 1.0)
        .containsEntry(
            "stager_model_state{model=\"example.org:5000/team/m:v1\",state=\"pending\"}", 1.0)
        .containsEntry("stager_models{state=\"pending\"}", 1.0)
        .containsEntry("stager_models{state=\"pulling\"}", 1.0)
        .containsEntry("stager_models{state=\"done\"}", 0.0)
        .doesNotContainKey(
            "stager_pull_duration_seconds_count{model=\"llama3:8b\",outcome=\"done\"}");

    clock.advance(Duration.ofSeconds(90));
    events.blobCompleted(model, a, 1000);
    events.state(model, ModelState.VERIFYING);
    events.state(model, ModelState.DONE);
    events.state(other, ModelState.FAILED);

    scrape = Scrape.parse(registry.scrape());
    assertThat(scrape)
        .containsEntry("stager_model_completed_bytes{model=\"llama3:8b\"}", 1000.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"done\"}", 1.0)
        .containsEntry("stager_model_state{model=\"llama3:8b\",state=\"pulling\"}", 0.0)
        .containsEntry(
            "stager_pull_duration_seconds_count{model=\"llama3:8b\",outcome=\"done\"}", 1.0)
        .containsEntry(
            "stager_pull_duration_seconds_sum{model=\"llama3:8b\",outcome=\"done\"}", 90.0)
        .containsEntry(
            "stager_pull_duration_seconds_count{model=\"example.org:5000/team/m:v1\","
                + "outcome=\"failed\"}",
            1.0)
        .containsEntry("stager_models{state=\"done\"}", 1.0)
        .containsEntry("stager_models{state=\"failed\"}", 1.0)
        .containsEntry("stager_models{state=\"pulling\"}", 0.0);
  }
}
