package org.ollamaairgap.stager.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.stager.testing.TestClock;

class ProgressLogTest {
  private static final Digest A = Digest.of(new byte[32]);
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ProgressTracker tracker = new ProgressTracker(clock);
  private final List<String> lines = new ArrayList<>();
  private final ProgressLog log = new ProgressLog(tracker, lines::add);

  @Test
  void tick_pullingModel_logsPercentBytesRateAndEta() throws Exception {
    ModelName model = ModelName.parse("llama3:8b");
    tracker.state(model, ModelState.PULLING);
    tracker.blob(model, A, 4L << 30);
    log.tick();
    clock.advance(Duration.ofSeconds(10));
    tracker.transferred(model, 1L << 30);
    tracker.blobCompleted(model, A, 1L << 30);
    log.tick();

    assertThat(lines)
        .containsExactly(
            "llama3:8b: pulling 0.0% 0 B of 4.0 GiB, rate unknown, ETA unknown",
            "llama3:8b: pulling 25.0% 1.0 GiB of 4.0 GiB, 102.4 MiB/s, ETA 30s");
  }

  @Test
  void tick_verifyingModel_logsRehashProgress_andIdleModelsNothing() throws Exception {
    ModelName model = ModelName.parse("qwen2.5:0.5b");
    tracker.state(ModelName.parse("waiting"), ModelState.PENDING);
    tracker.blob(model, A, 1000);
    tracker.state(model, ModelState.VERIFYING);
    tracker.hashed(model, 250);
    log.tick();

    assertThat(lines)
        .containsExactly(
            "qwen2.5:0.5b: verifying 25.0% 250 B of 1000 B re-hashed, rate unknown, ETA unknown");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0 B",
    "1023, 1023 B",
    "1536, 1.5 KiB",
    "4831838208, 4.5 GiB",
    "257698037760, 240.0 GiB"
  })
  void bytes_binaryUnits(long bytes, String text) {
    assertThat(ProgressLog.bytes(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"100, 10, 10s", "6000, 10, 10m00s", "7260000, 1000, 2h01m", "1, 0, unknown"})
  void eta_readable(long remaining, double rate, String text) {
    assertThat(ProgressLog.eta(remaining, rate, true)).isEqualTo(text);
  }
}
