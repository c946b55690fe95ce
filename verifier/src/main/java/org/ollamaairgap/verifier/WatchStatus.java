package org.ollamaairgap.verifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.verify.BlobCheck;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.FindingKind;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.VerificationPlan;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * What {@code verifier watch} knows of the store, for its health checks and metrics (DESIGN §8):
 * started after a first pass with no ERROR, not ready from the moment a pass finds an ERROR until a
 * pass ends clean. Labels stay low-cardinality: blob states and finding severities and kinds, never
 * a digest or a path (the finding lines and the readiness data name the blob).
 */
@ApplicationScoped
public class WatchStatus implements VerifyListener {
  /** A blob's state as the last check of it said. */
  enum BlobState {
    OK,
    FAILED,
    UNCHECKED
  }

  private final MeterRegistry registry;

  /** The last verdict on every blob the store referenced at its last check. */
  private final Map<Digest, Boolean> blobs = new ConcurrentHashMap<>();

  private final Set<Digest> seenThisPass = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> findingsThisPass = new ConcurrentHashMap<>();

  /** Findings of the last pass that ended, by severity and kind; read by the gauges. */
  private final Map<String, AtomicLong> findings = new ConcurrentHashMap<>();

  private volatile int plannedBlobs;
  private volatile boolean started;
  private volatile boolean passing;

  /** The first ERROR line of the pass that made the pod unready, or of the store's absence. */
  private volatile String downReason = "no pass has finished yet";

  private volatile String firstError;
  private volatile double lastPassSeconds = Double.NaN;
  private volatile double lastPassEpochSeconds = Double.NaN;
  private Counter verifiedBytes;

  WatchStatus(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the series; only watch mode calls it, so the one-shot verifier has none. */
  synchronized void register() {
    if (verifiedBytes != null) {
      return;
    }
    for (BlobState state : BlobState.values()) {
      Gauge.builder("verifier.blobs", this, s -> s.count(state))
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("Blobs the store references, by the verdict of their last check")
          .register(registry);
    }
    verifiedBytes =
        Counter.builder("verifier.verified.bytes")
            .description("Bytes read and hashed by verifier watch since it started")
            .register(registry);
    Gauge.builder("verifier.pass.duration", this, s -> s.lastPassSeconds)
        .baseUnit("seconds")
        .description("Wall time of the last pass that ended")
        .register(registry);
    Gauge.builder("verifier.last.pass.timestamp", this, s -> s.lastPassEpochSeconds)
        .baseUnit("seconds")
        .description("When the last pass ended, in seconds since the epoch")
        .register(registry);
  }

  boolean started() {
    return started;
  }

  /** Null when ready, else why not. */
  String downReason() {
    return passing ? null : downReason;
  }

  /** A pass begins: findings are counted afresh, blob verdicts carry over until re-checked. */
  void passStarted() {
    seenThisPass.clear();
    findingsThisPass.clear();
    firstError = null;
  }

  /**
   * A pass ended: {@code report} null when the store could not be looked at ({@code why} says why).
   */
  void passEnded(VerificationReport report, String why, double seconds, double epochSeconds) {
    blobs.keySet().retainAll(seenThisPass);
    for (Map.Entry<String, AtomicLong> seen : findings.entrySet()) {
      AtomicLong now = findingsThisPass.get(seen.getKey());
      seen.getValue().set(now == null ? 0 : now.get());
    }
    for (Map.Entry<String, AtomicLong> now : findingsThisPass.entrySet()) {
      findings.computeIfAbsent(now.getKey(), this::findingGauge).set(now.getValue().get());
    }
    lastPassSeconds = seconds;
    lastPassEpochSeconds = epochSeconds;
    if (report != null && report.ok()) {
      started = true;
      passing = true;
      return;
    }
    passing = false;
    String first = firstError;
    downReason =
        first != null
            ? first
            : report == null || report.findings().isEmpty() ? why : report.findings().get(0).line();
  }

  @Override
  public void planned(VerificationPlan plan) {
    plannedBlobs = plan.blobs();
  }

  @Override
  public void bytesChecked(long bytes) {
    Counter counter = verifiedBytes;
    if (counter != null) {
      counter.increment(bytes);
    }
  }

  @Override
  public void blobChecked(BlobCheck check) {
    seenThisPass.add(check.digest());
    blobs.put(check.digest(), check.ok());
  }

  @Override
  public void found(Finding finding) {
    count(finding);
  }

  @Override
  public void foundBeyondLimit(Finding finding) {
    count(finding);
  }

  private void count(Finding finding) {
    Severity severity = finding.kind().severity();
    findingsThisPass
        .computeIfAbsent(key(severity, finding.kind()), k -> new AtomicLong())
        .incrementAndGet();
    if (severity == Severity.ERROR) {
      // From the moment a pass finds an ERROR, not at its end: no answers from a corrupt model.
      synchronized (this) {
        if (firstError == null) {
          firstError = finding.line();
          downReason = firstError;
        }
      }
      passing = false;
    }
  }

  private long count(BlobState state) {
    long failed = blobs.values().stream().filter(ok -> !ok).count();
    long ok = blobs.size() - failed;
    return switch (state) {
      case OK -> ok;
      case FAILED -> failed;
      case UNCHECKED -> Math.max(0, plannedBlobs - seenThisPass.size() - staleOnly());
    };
  }

  /** Blobs with a verdict from an earlier pass that this pass has not reached yet. */
  private long staleOnly() {
    return blobs.keySet().stream().filter(d -> !seenThisPass.contains(d)).count();
  }

  private static String key(Severity severity, FindingKind kind) {
    return severity.name().toLowerCase(Locale.ROOT) + "/" + kind.name().toLowerCase(Locale.ROOT);
  }

  private AtomicLong findingGauge(String key) {
    AtomicLong value = new AtomicLong();
    int slash = key.indexOf('/');
    Gauge.builder("verifier.findings", value, AtomicLong::get)
        .tag("severity", key.substring(0, slash))
        .tag("kind", key.substring(slash + 1))
        .description("Findings of the last pass that ended, by severity and kind")
        .register(registry);
    return value;
  }
}
