package org.ollamaairgap.verifier;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.pace.NanoClock;
import org.ollamaairgap.common.pace.ReadLimiter;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * {@code verifier watch}: the one-shot verification in a loop. The first pass may accept blobs from
 * the verification record as the init container does; every later pass reads and hashes every blob
 * again (so the blobs the first pass accepted are re-hashed by the second), walks the store afresh
 * (models added or removed are picked up) and reads at most {@code --max-bandwidth}. Runs until the
 * process is stopped.
 */
final class Watch {
  private final Verifier verifier;
  private final Plan plan;
  private final VerifierConfig config;
  private final WatchStatus status;
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();

  Watch(Verifier verifier, Plan plan, VerifierConfig config, WatchStatus status, PrintStream out) {
    this.verifier = verifier;
    this.plan = plan;
    this.config = config;
    this.status = status;
    this.out = out;
  }

  ExitCode run() {
    status.register();
    long budget = config.maxBandwidth().map(size -> size.asLongValue()).orElse(0L);
    ReadLimiter limiter = new ReadLimiter(budget, NanoClock.SYSTEM);
    VerifyListener listener = status.and(paced(limiter));
    for (long pass = 1; ; pass++) {
      out.println(
          "watch pass "
              + pass
              + " starts"
              + (budget > 0 ? " (reading at most " + Formats.bytes(budget) + "/s)" : ""));
      status.passStarted();
      limiter.startPass();
      long start = System.nanoTime();
      Duration reverifyAfter = pass == 1 ? config.reverifyAfter() : Duration.ZERO;
      Verifier.Outcome outcome = verifier.check(plan, config, reverifyAfter, listener);
      double seconds = (System.nanoTime() - start) / 1e9;
      status.passEnded(
          outcome.report(),
          "the store "
              + plan.layout().root()
              + " could not be verified (exit "
              + outcome.exit().code()
              + ")",
          seconds,
          clock.millis() / 1e3);
      out.println(
          "watch pass "
              + pass
              + " ended: "
              + (outcome.exit() == ExitCode.OK ? "ready" : "NOT READY")
              + "; next pass in "
              + Formats.duration(config.watchInterval()));
      out.flush();
      try {
        Thread.sleep(config.watchInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.OK;
      }
    }
  }

  /** Holds each hashing thread after a chunk until the budget allows what it read. */
  private VerifyListener paced(ReadLimiter limiter) {
    if (!plan.options().hash() || limiter.bytesPerSecond() == 0) {
      return VerifyListener.NONE; // size mode reads no content: nothing to pace
    }
    LongConsumer pace = limiter.pacing(bytes -> {});
    return new VerifyListener() {
      @Override
      public void bytesChecked(long bytes) {
        pace.accept(bytes);
      }
    };
  }
}
