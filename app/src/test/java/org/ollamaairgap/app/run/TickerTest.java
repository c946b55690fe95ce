package org.ollamaairgap.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The progress ticker stops cleanly: nothing it logs can follow the summary line. */
class TickerTest {
  @Test
  void close_waitsForTheTickInFlight_andNoTickRunsAfter() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch closing = new CountDownLatch(1);
    AtomicBoolean inFlight = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    Ticker ticker =
        Ticker.every(
            Duration.ofMillis(1),
            "test-ticker",
            () -> {
              inFlight.set(true);
              runs.incrementAndGet();
              started.countDown();
              try {
                // Still printing when close() is called: close() must wait for this to end.
                closing.await(30, TimeUnit.SECONDS);
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // interrupted mid-line: inFlight stays true and the test fails
              }
              inFlight.set(false);
            });
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    closing.countDown();
    ticker.close();

    assertThat(inFlight).as("a tick was still running after close()").isFalse();
    assertThat(runs).hasValue(1);
  }
}
