package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The token bucket on a test clock that a pause moves forward, so no test waits for real. */
class RateLimiterTest {

  @ParameterizedTest(name = "{0} B/s, idle {1} ms, takes {2}: waits {3} ms")
  @CsvSource({
    // bytesPerSecond, idleMs, takes (;), waitsMs (;)
    "0,    0,    5000;5000,     0;0", // no limit
    "1000, 0,    1000,          1000", // the bucket starts empty
    "1000, 0,    500;500,       500;500", // the average stays at the limit
    "1000, 5000, 1000,          0", // a burst of one second's worth is free
    "1000, 5000, 3000,          2000", // but the bucket holds one second only
    "1000, 250,  250;250;500,   0;250;500"
  })
  void acquire(long bytesPerSecond, long idleMs, String takes, String waitsMs)
      throws InterruptedException {
    long[] now = {0};
    List<Long> waits = new ArrayList<>();
    RateLimiter limiter =
        new RateLimiter(
            bytesPerSecond,
            () -> now[0],
            nanos -> {
              waits.set(waits.size() - 1, nanos / 1_000_000);
              now[0] += nanos;
            });
    now[0] += idleMs * 1_000_000;

    for (String n : takes.split(";")) {
      waits.add(0L);
      limiter.acquire(Integer.parseInt(n.trim()));
    }

    assertThat(waits)
        .containsExactlyElementsOf(
            Arrays.stream(waitsMs.split(";")).map(w -> Long.parseLong(w.trim())).toList());
  }
}
