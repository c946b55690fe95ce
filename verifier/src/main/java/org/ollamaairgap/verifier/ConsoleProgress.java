package org.ollamaairgap.verifier;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.app.run.Ticker;
import org.ollamaairgap.common.verify.BlobCheck;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.FindingKind;
import org.ollamaairgap.common.verify.VerificationPlan;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * Renders verification events as plain lines for {@code kubectl logs}: a start line, a progress
 * line at a steady interval (bytes checked of total, percent, rate, ETA) and one line per finding,
 * at most {@link org.ollamaairgap.common.verify.VerificationReport#SHOWN_PER_KIND} per kind, then
 * one line per kind saying how many more there were and where the full list is.
 */
final class ConsoleProgress implements VerifyListener, AutoCloseable {
  private final PrintStream out;
  private final Duration interval;
  private final Path report;
  private final Map<FindingKind, Long> beyond = new EnumMap<>(FindingKind.class);
  private final LongAdder bytes = new LongAdder();
  private final AtomicInteger blobs = new AtomicInteger();
  private volatile VerificationPlan plan;
  private volatile long started;
  private Ticker ticker;

  /** Findings of the walk, printed after the start line so that the log reads in order. */
  private final List<String> early = new ArrayList<>();

  /**
   * @param report the {@code --report} file, or null: where the full list of findings goes
   */
  ConsoleProgress(PrintStream out, Duration interval, Path report) {
    this.out = out;
    this.interval = interval;
    this.report = report;
  }

  @Override
  public synchronized void planned(VerificationPlan plan) {
    this.plan = plan;
    this.started = System.nanoTime();
    out.println(
        "verifying "
            + plan.root()
            + " (mode "
            + (plan.hashing() ? "full" : "size")
            + ", parallelism "
            + plan.parallelism()
            + "): "
            + plan.manifests()
            + " manifests, "
            + plan.blobs()
            + " distinct blobs, "
            + Formats.bytes(plan.totalBytes())
            + (plan.hashing() ? " to hash" : " to check"));
    early.forEach(out::println);
    early.clear();
    ticker = Ticker.every(interval, "progress", this::print);
  }

  @Override
  public void bytesChecked(long n) {
    bytes.add(n);
  }

  @Override
  public void blobChecked(BlobCheck check) {
    blobs.incrementAndGet();
  }

  @Override
  public void found(Finding finding) {
    synchronized (this) {
      if (plan == null) {
        early.add(finding.line());
        return;
      }
    }
    out.println(finding.line());
  }

  @Override
  public synchronized void foundBeyondLimit(Finding finding) {
    beyond.merge(finding.kind(), 1L, Long::sum);
  }

  /** One progress line: {@code progress: 1.2 GiB of 5.0 GiB (24%), 850.0 MiB/s, ETA 5s, ...}. */
  void print() {
    VerificationPlan p = plan;
    if (p == null) {
      return;
    }
    long done = bytes.sum();
    long total = p.totalBytes();
    double elapsed = (System.nanoTime() - started) / 1e9;
    double rate = elapsed > 0 ? done / elapsed : 0;
    String eta =
        rate > 0 && done < total
            ? Formats.duration(Duration.ofMillis((long) ((total - done) / rate * 1000)))
            : "unknown";
    out.println(
        String.format(
            Locale.ROOT,
            "progress: %s of %s (%d%%), %s, ETA %s, %d of %d blobs done",
            Formats.bytes(done),
            Formats.bytes(total),
            total == 0 ? 100 : done * 100 / total,
            Formats.rate(rate),
            eta,
            blobs.get(),
            p.blobs()));
  }

  /** Stops the progress lines; a line in flight is finished before the verdict is printed. */
  @Override
  public void close() {
    Ticker running;
    synchronized (this) {
      early.forEach(out::println); // the walk never finished: still show what it found
      early.clear();
      beyond.forEach((kind, count) -> out.println(moreLikeThis(kind, count)));
      beyond.clear();
      running = ticker;
    }
    if (running != null) {
      running.close(); // outside the lock: a tick in flight may be waiting to print
    }
  }

  private String moreLikeThis(FindingKind kind, long count) {
    return kind.severity()
        + " "
        + kind
        + ": and "
        + String.format(Locale.ROOT, "%,d", count)
        + " more like this, "
        + (report == null
            ? "not listed; give --report FILE (VERIFIER_REPORT) for the full list"
            : "listed in the report " + report);
  }
}
