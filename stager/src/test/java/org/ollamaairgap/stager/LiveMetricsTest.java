package org.ollamaairgap.stager;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.testing.FakeDriver;
import org.ollamaairgap.stager.testing.Scrape;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Scrapes the running program on its management port while a gated fake pull is held in the middle:
 * the contract's series move as the test releases chunks, liveness goes DOWN while the transfer is
 * held past the stall timeout and UP again when bytes flow, and the final values are still served
 * while the program lingers. The test opens the gates; nothing waits on wall time.
 */
@QuarkusMainTest
class LiveMetricsTest {
  // application.properties' quarkus.management.test-port, unless a build on a shared machine moves
  // it with -Dquarkus.management.test-port=N (Maven passes it on to the test JVM and to Quarkus).
  private static final int PORT = Integer.getInteger("quarkus.management.test-port", 19091);
  private static final String MODEL = "model=\"gated:1\"";

  @TempDir Path tmp;
  private final ExecutorService background = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    background.shutdownNow();
  }

  @Test
  void metricsMoveDuringAPull_andLivenessGoesDownOnAStall(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    StoreLayout layout = new StoreLayout(models);
    Path gates = Files.createDirectories(FakeDriver.gates(layout));
    SyntheticModel model = FakeDriver.model(ModelName.parse("gated:1"));
    long size = model.manifest().totalSize();
    long configSize = model.manifest().config().size();
    long chunk = FakeDriver.SMALL / FakeDriver.CHUNKS;

    Future<LaunchResult> run =
        background.submit(
            () ->
                launcher.launch(
                    "--driver=fake",
                    "--models-dir=" + models,
                    "--stall-timeout=2s",
                    "--progress-interval=100ms",
                    "--linger=10s",
                    "gated:1",
                    "ok-after:1"));

    // Held before chunk 1: the config and the first chunk of the weights are in. The fake says
    // when it is held there; a scrape before that may land between the config and the chunk.
    awaitFile(gates.resolve("held-1"));
    Map<String, Double> first = scrapeUntil(s -> !s.isEmpty());
    assertThat(first)
        .containsEntry("stager_model_size_bytes{" + MODEL + "}", (double) size)
        .containsEntry("stager_model_completed_bytes{" + MODEL + "}", (double) configSize + chunk)
        .containsEntry("stager_transferred_bytes_total{" + MODEL + "}", (double) configSize + chunk)
        .containsEntry("stager_model_state{" + MODEL + ",state=\"pulling\"}", 1.0)
        .containsEntry("stager_model_state{" + MODEL + ",state=\"pending\"}", 0.0)
        .containsEntry("stager_model_state{model=\"ok-after:1\",state=\"pending\"}", 1.0)
        .containsEntry("stager_models{state=\"pulling\"}", 1.0)
        .containsEntry("stager_models{state=\"pending\"}", 1.0)
        .containsEntry("stager_retries_total{" + MODEL + "}", 0.0);
    assertThat(given().port(PORT).get("/q/health/ready").statusCode()).isEqualTo(200);

    // Nothing moves while the gate is shut: after the stall timeout, liveness is DOWN.
    Response down = healthUntil(r -> r.statusCode() == 503);
    JsonPath check = down.jsonPath();
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getString("checks[0].name")).isEqualTo("transfer progress");
    assertThat(check.getString("checks[0].data.model")).isEqualTo("gated:1");
    assertThat(check.getLong("checks[0].data.secondsSinceLastByte")).isGreaterThanOrEqualTo(2);

    // One more chunk: the series move and liveness is UP again.
    Files.createFile(gates.resolve("release-1"));
    awaitFile(gates.resolve("held-2"));
    Map<String, Double> second = scrapeUntil(s -> !s.isEmpty());
    assertThat(second)
        .containsEntry(
            "stager_model_completed_bytes{" + MODEL + "}", (double) configSize + 2 * chunk)
        .containsEntry(
            "stager_transferred_bytes_total{" + MODEL + "}", (double) configSize + 2 * chunk);
    // UP as soon as the bytes are seen (polled: held again at chunk 2, it goes DOWN once more
    // after the stall timeout, and a loaded machine may be that slow between two requests).
    assertThat(healthUntil(r -> r.statusCode() == 200).jsonPath().getString("status"))
        .isEqualTo("UP");

    // Let it finish; the final values are still served while it lingers.
    Files.createFile(gates.resolve("release-2"));
    Files.createFile(gates.resolve("release-3"));
    Map<String, Double> last =
        scrapeUntil(s -> s.getOrDefault("stager_models{state=\"done\"}", 0.0) == 2.0);
    assertThat(last)
        .containsEntry("stager_model_completed_bytes{" + MODEL + "}", (double) size)
        .containsEntry("stager_model_state{" + MODEL + ",state=\"done\"}", 1.0)
        .containsEntry("stager_model_state{" + MODEL + ",state=\"pulling\"}", 0.0)
        .containsEntry("stager_pull_duration_seconds_count{" + MODEL + ",outcome=\"done\"}", 1.0);

    LaunchResult result = run.get();
    assertThat(result.exitCode()).isZero();
    assertThat(result.getOutput())
        .contains("gated:1: pulling ")
        .contains("serving /q/metrics for 10s more");
    // Also with a linger the summary is stdout's last line (kubectl logs job/... | tail -1 | jq).
    List<String> lines = result.getOutputStream();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(lines.get(lines.size() - 1))
                .get("outcome")
                .asText())
        .isEqualTo("ok");
  }

  private static Map<String, Double> scrapeUntil(Predicate<Map<String, Double>> condition)
      throws InterruptedException {
    return poll(
        () -> {
          try {
            return Scrape.parse(given().port(PORT).get("/q/metrics").asString());
          } catch (Exception e) { // RestAssured throws ConnectException undeclared
            return Map.of(); // not serving yet
          }
        },
        condition);
  }

  private static void awaitFile(Path file) throws InterruptedException {
    poll(() -> Files.exists(file), exists -> exists);
  }

  private static Response healthUntil(Predicate<Response> condition) throws InterruptedException {
    return poll(() -> given().port(PORT).get("/q/health/live"), condition);
  }

  /** Polls until the condition holds; the bound only turns a broken program into a failure. */
  private static <T> T poll(java.util.function.Supplier<T> probe, Predicate<T> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 90_000_000_000L;
    T value = probe.get();
    while (!condition.test(value)) {
      assertThat(System.nanoTime())
          .as("condition never held; last value: %s", value)
          .isLessThan(deadline);
      Thread.sleep(20);
      value = probe.get();
    }
    return value;
  }
}
