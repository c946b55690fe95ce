package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The minimum-rate rule on a clock the test drives (nanoseconds given, never measured). */
class MinRateTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void received_belowTheMinimumOverAWholeWindow_isTooSlowWithTheNumbers() throws Exception {
    MinRate rate = new MinRate(1024, Duration.ofSeconds(10), 0);
    rate.received(500, 5 * SECOND); // half a window: not judged yet

    assertThatThrownBy(() -> rate.received(500, 10 * SECOND))
        .isInstanceOf(MinRate.TooSlowException.class)
        .hasMessage(
            "slower than the minimum rate: 1000 bytes in 10.0 s (100 B/s), below --min-rate"
                + " 1.0 KiB/s over --min-rate-window 10s (STAGER_MIN_RATE,"
                + " STAGER_MIN_RATE_WINDOW)");
  }

  @Test
  void received_atTheMinimum_startsANewWindow() throws Exception {
    MinRate rate = new MinRate(1024, Duration.ofSeconds(10), 0);
    rate.received(10_240, 10 * SECOND);

    // The next window is judged on its own bytes only.
    rate.received(10_240, 20 * SECOND);
    assertThatThrownBy(() -> rate.received(1, 30 * SECOND))
        .isInstanceOf(MinRate.TooSlowException.class);
  }

  @Test
  void paused_timeSpentInOurOwnBandwidthLimit_doesNotCount() {
    MinRate rate = new MinRate(1024, Duration.ofSeconds(10), 0);
    rate.paused(9 * SECOND);

    assertThatCode(() -> rate.received(2048, 12 * SECOND)).doesNotThrowAnyException();
  }

  @Test
  void received_withNoMinimum_neverTrips() {
    MinRate rate = new MinRate(0, Duration.ofSeconds(1), 0);

    assertThatCode(() -> rate.received(1, 100 * SECOND)).doesNotThrowAnyException();
  }
}
