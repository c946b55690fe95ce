package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  /** Base 100 ms, cap 2 s; the jitter factor is 0.5 + random, so random 0.5 means none. */
  @ParameterizedTest(name = "attempt {0}, random {1}, Retry-After {2} ms: {3} ms")
  @CsvSource({
    // attempt, random, retryAfterMs, expectedMs
    "1,  0.5,  ,      100",
    "1,  0.0,  ,      50", // jitter down to half
    "2,  0.5,  ,      200", // doubles
    "3,  0.75, ,      500", // 400 with a quarter more
    "5,  0.5,  ,      1600",
    "6,  0.5,  ,      2000", // 3200 capped
    "10, 0.99, ,      2000", // jitter never passes the cap
    "40, 0.5,  ,      2000", // the shift is bounded, no overflow
    "1,  0.5,  1000,  1000", // the server asks for longer: it wins
    "4,  0.5,  100,   800", // the server asks for less: ours wins
    "1,  0.5,  60000, 2000" // but never past the cap
  })
  void delay(int attempt, double random, Long retryAfterMs, long expectedMs) {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> random);

    Duration retryAfter = retryAfterMs == null ? null : Duration.ofMillis(retryAfterMs);

    assertThat(backoff.delay(attempt, retryAfter)).isEqualTo(Duration.ofMillis(expectedMs));
  }
}
