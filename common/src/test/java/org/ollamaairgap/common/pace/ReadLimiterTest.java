package org.ollamaairgap.common.pace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadLimiterTest {
  static final long SECOND = 1_000_000_000L;
  static final long MB = 1_000_000L;

  /** A fake clock: sleeping advances it instantly and is recorded. */
  static final class FakeClock implements NanoClock {
    long now = 42 * SECOND;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }

    void pass(long nanos) {
      now += nanos;
    }
  }

  /**
   * Reads {@code chunks} chunks of {@code chunk} bytes, each taking {@code readNanos} of the
   * reader's own time, and returns the pass's duration.
   */
  static long pass(ReadLimiter limiter, FakeClock clock, int chunks, long chunk, long readNanos)
      throws InterruptedException {
    long start = clock.now;
    limiter.startPass();
    for (int i = 0; i < chunks; i++) {
      clock.pass(readNanos);
      limiter.acquire(chunk);
    }
    return clock.now - start;
  }

  static Stream<Arguments> passes() {
    // budget, chunks, chunk size, read time per chunk, expected pass duration
    return Stream.of(
        Arguments.of("instant reads are held to the budget", 1 * MB, 10, 1 * MB, 0L, 10 * SECOND),
        Arguments.of("small chunks add up the same", 1 * MB, 40, 256_000L, 0L, 10_240_000_000L),
        Arguments.of(
            "reader slower than the budget is never held",
            1 * MB,
            5,
            1 * MB,
            2 * SECOND,
            10 * SECOND),
        Arguments.of("reader at half the budget", 2 * MB, 4, 1 * MB, SECOND, 4 * SECOND),
        Arguments.of(
            "high budget, 100 MB/s, 6 GB in 256 KiB chunks",
            100 * MB,
            22_888,
            262_144L,
            0L,
            59_999_518_720L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("passes")
  void holdsThePassToTheBudget(
      String name, long budget, int chunks, long chunk, long readNanos, long expected)
      throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(budget, clock);

    long duration = pass(limiter, clock, chunks, chunk, readNanos);

    // Rounding of each chunk's cost to whole nanoseconds: well under a microsecond per chunk.
    assertThat(duration).isBetween(expected - chunks, expected + chunks);
    double rate = (double) chunks * chunk * SECOND / duration;
    assertThat(rate).isLessThanOrEqualTo(budget * 1.0001);
  }

  @Test
  void pauseBetweenPassesDoesNotBecomeABurst() throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(1 * MB, clock);
    pass(limiter, clock, 10, MB, 0);

    clock.pass(3600 * SECOND); // the watch interval

    assertThat(pass(limiter, clock, 10, MB, 0)).isEqualTo(10 * SECOND);
  }

  @Test
  void idleTimeWithinAPassEarnsAtMostTheBurst() throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(1 * MB, clock);
    limiter.startPass();
    clock.pass(60 * SECOND); // e.g. a long stat of a slow directory

    long start = clock.now;
    for (int i = 0; i < 10; i++) {
      limiter.acquire(MB);
    }

    // A tenth of a second of credit and the first chunk (read during the gap), no more.
    assertThat(clock.now - start).isEqualTo(8_900_000_000L);
  }

  @Test
  void firstUseWithoutStartPassStartsThePass() throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(1 * MB, clock);

    long start = clock.now;
    limiter.acquire(MB);
    limiter.acquire(MB);

    assertThat(clock.now - start).isEqualTo(2 * SECOND);
  }

  @Test
  void readersSharingTheLimiterShareTheBudget() throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(1 * MB, clock);
    limiter.startPass();

    // Two hashing threads, interleaved: the second one's chunk waits for the first one's too.
    limiter.acquire(MB);
    limiter.acquire(MB);
    limiter.acquire(MB);

    assertThat(clock.sleeps).containsExactly(SECOND, SECOND, SECOND);
  }

  @Test
  void unlimitedNeverWaits() throws InterruptedException {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(0, clock);

    pass(limiter, clock, 1000, 1L << 30, 0);

    assertThat(clock.sleeps).isEmpty();
    assertThat(ReadLimiter.unlimited().bytesPerSecond()).isZero();
  }

  @Test
  void pacingForwardsEachChunkAndWaitsForIt() {
    FakeClock clock = new FakeClock();
    ReadLimiter limiter = new ReadLimiter(1 * MB, clock);
    AtomicLong seen = new AtomicLong();
    LongConsumer progress = limiter.pacing(seen::addAndGet);

    progress.accept(MB / 2);
    progress.accept(MB / 2);

    assertThat(seen).hasValue(MB);
    assertThat(clock.sleeps).containsExactly(SECOND / 2, SECOND / 2);
  }

  @Test
  void unlimitedPacingIsTheProgressItself() {
    LongConsumer progress = n -> {};

    assertThat(ReadLimiter.unlimited().pacing(progress)).isSameAs(progress);
  }

  @Test
  void interruptedWaitLeavesTheFlagForTheReader() {
    NanoClock interrupting =
        new NanoClock() {
          @Override
          public long nanoTime() {
            return 0;
          }

          @Override
          public void sleep(long nanos) throws InterruptedException {
            throw new InterruptedException();
          }
        };
    LongConsumer progress = new ReadLimiter(1, interrupting).pacing(n -> {});

    progress.accept(10);

    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void negativeBudgetIsRefused() {
    assertThatThrownBy(() -> new ReadLimiter(-1, NanoClock.SYSTEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytesPerSecond must be 0 (no limit) or more, got -1");
  }
}
