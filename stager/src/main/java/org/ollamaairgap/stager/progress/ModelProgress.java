package org.ollamaairgap.stager.progress;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;

/**
 * What is known about one model during a run: its blobs' sizes and completed bytes, bytes moved,
 * retries, state and when it last made progress. Updated from driver threads, read by metrics,
 * health and the progress log.
 */
public final class ModelProgress {
  private final ModelName name;
  private final Map<Digest, Long> sizes = new ConcurrentHashMap<>();
  private final Map<Digest, Long> completed = new ConcurrentHashMap<>();
  private final AtomicLong transferred = new AtomicLong();
  private final AtomicLong hashed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private volatile ModelState state = ModelState.PENDING;
  private volatile Instant lastProgress;
  private volatile Instant started;
  private volatile Instant finished;

  ModelProgress(ModelName name, Instant now) {
    this.name = name;
    this.lastProgress = now;
  }

  public ModelName name() {
    return name;
  }

  /** The metrics label and log name, e.g. {@code llama3:8b}. */
  public String label() {
    return name.displayShortest();
  }

  public ModelState state() {
    return state;
  }

  /** Sum of the sizes of the blobs known so far. */
  public long size() {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Bytes present and accounted for, never more than a blob's size. */
  public long completed() {
    long sum = 0;
    for (Map.Entry<Digest, Long> entry : completed.entrySet()) {
      Long size = sizes.get(entry.getKey());
      sum += size == null ? entry.getValue() : Math.min(entry.getValue(), size);
    }
    return sum;
  }

  public int blobCount() {
    return sizes.size();
  }

  public long transferred() {
    return transferred.get();
  }

  public long hashed() {
    return hashed.get();
  }

  public long retries() {
    return retries.get();
  }

  public Instant lastProgress() {
    return lastProgress;
  }

  /** When pulling began, or null if it never did. */
  public Instant started() {
    return started;
  }

  /** When the model reached done or failed, or null. */
  public Instant finished() {
    return finished;
  }

  void state(ModelState next, Instant now) {
    if (next == ModelState.PULLING && started == null) {
      started = now;
    }
    if ((next == ModelState.DONE || next == ModelState.FAILED) && finished == null) {
      finished = now;
    }
    if (next == ModelState.VERIFYING && state != ModelState.VERIFYING) {
      hashed.set(0);
    }
    if (next != state) {
      lastProgress = now;
    }
    state = next;
  }

  void blob(Digest digest, long size) {
    sizes.put(digest, size);
  }

  void blobCompleted(Digest digest, long bytes, Instant now) {
    Long previous = completed.put(digest, bytes);
    if (previous == null || previous != bytes) {
      lastProgress = now;
    }
  }

  void transferred(long bytes, Instant now) {
    transferred.addAndGet(bytes);
    if (bytes > 0) {
      lastProgress = now;
    }
  }

  void hashed(long bytes, Instant now) {
    hashed.addAndGet(bytes);
    if (bytes > 0) {
      lastProgress = now;
    }
  }

  void retry() {
    retries.incrementAndGet();
  }
}
