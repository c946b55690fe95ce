package org.ollamaairgap.stager.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;

/**
 * Turns the lines of Ollama's {@code /api/pull} stream into {@link PullListener} events, the same
 * events the registry driver reports, and remembers what the driver needs to decide how the attempt
 * ended. One instance lives across all attempts of one model, so a retried pull that resumes is not
 * counted twice.
 *
 * <p>How bytes are told apart (Ollama reports only absolute {@code completed} values, every 60 ms):
 *
 * <ul>
 *   <li>The first line for a digest is a baseline, never a transfer: a cache hit (one line with
 *       {@code completed == total}) and a resumed blob (starts at the bytes already present) both
 *       look like that. A fresh download's first line can already include up to 60 ms of bytes;
 *       they are not counted, so {@code transferred} errs low, never high.
 *   <li>After that, every increase is a transfer; a decrease (a part retried from scratch) lowers
 *       {@code completed} and is not a transfer, and bytes fetched again count again.
 *   <li>Ollama downloads one blob after another and stops reporting a blob the moment it is done,
 *       often before a line with {@code completed == total}. So when the next blob (or {@code
 *       verifying sha256 digest}) appears, the previous blobs are complete and the missing tail is
 *       counted as transferred.
 *   <li>A blob finished within the first 60 ms gets no line at all, while a cache hit always gets
 *       one. So a manifest blob never announced was downloaded, and counts as transferred when the
 *       manifest is read after {@code success}.
 * </ul>
 *
 * <p>Tensor (safetensors) models report one aggregate line shape with the fake digest {@code
 * sha256:model}, which is not a {@link Digest}. It feeds {@link PullListener#transferred} (so
 * throughput and stall detection work) but no per-blob event: a made-up digest would become a
 * phantom blob in the model's size and completed bytes. The real blobs are reported from the
 * manifest after {@code success}.
 */
final class PullProgress {
  static final String AGGREGATE_DIGEST = "sha256:model";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the stream is; decides the stall limit and the wording of errors. */
  enum Phase {
    CONNECTING("waiting for Ollama to answer"),
    MANIFEST("pulling the manifest"),
    DOWNLOADING("pulling blobs"),
    VERIFYING("verifying sha256 digests"),
    WRITING("writing the manifest");

    final String description;

    Phase(String description) {
      this.description = description;
    }
  }

  private final ModelName model;
  private final PullListener listener;
  private final Map<Digest, Blob> blobs = new LinkedHashMap<>();
  private long aggregateTotal;
  private long aggregateCompleted = -1;
  private long transferred;

  private Phase phase;
  private String lastStatus;
  private String error;
  private boolean success;
  private ModelState state;

  private static final class Blob {
    final long total;
    long completed;
    final boolean cacheHit;
    boolean done;

    Blob(long total, long completed) {
      this.total = total;
      this.completed = completed;
      this.cacheHit = total > 0 && completed == total;
      this.done = cacheHit;
    }
  }

  PullProgress(ModelName model, PullListener listener) {
    this.model = model;
    this.listener = listener;
  }

  /** A new {@code /api/pull} begins; what was counted so far stays. */
  void startAttempt() {
    phase = Phase.CONNECTING;
    lastStatus = null;
    error = null;
    success = false;
    setState(ModelState.PULLING);
  }

  /**
   * Takes one line of the stream.
   *
   * @return whether the line shows progress (a new status, a new blob or more bytes); lines that
   *     repeat the same numbers every 60 ms do not, so a stalled download is noticed
   */
  boolean accept(String line) {
    if (line.isBlank()) {
      return false;
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      return false; // Ollama never sends this; ignore rather than fail a pull on it
    }
    if (node == null || !node.isObject()) {
      return false;
    }
    String err = text(node, "error");
    if (!err.isEmpty()) {
      error = err;
      return true;
    }
    String status = text(node, "status");
    String digest = text(node, "digest");
    boolean progress = !status.equals(lastStatus);
    lastStatus = status;
    if (!digest.isEmpty()) {
      long total = node.path("total").asLong(0);
      long completed = node.path("completed").asLong(0);
      phase = Phase.DOWNLOADING;
      Digest parsed = parseDigest(digest);
      if (parsed == null) {
        return aggregate(total, completed) || progress;
      }
      return blob(parsed, total, completed) || progress;
    }
    switch (status) {
      case "pulling manifest" -> phase = Phase.MANIFEST;
      case "verifying sha256 digest" -> {
        finishAnnounced();
        phase = Phase.VERIFYING;
        setState(ModelState.VERIFYING);
      }
      case "writing manifest" -> {
        finishAnnounced();
        phase = Phase.WRITING;
      }
      case "success" -> success = true;
      default -> {
        // "removing unused layers", "couldn't remove unused layers: ..." and future statuses:
        // informational, they neither fail nor finish the pull.
      }
    }
    return progress;
  }

  private boolean blob(Digest digest, long total, long completed) {
    Blob blob = blobs.get(digest);
    if (blob == null) {
      finishAnnounced(); // blobs come one after another: the earlier ones are done
      blob = new Blob(total, completed);
      blobs.put(digest, blob);
      listener.blob(model, digest, total);
      listener.blobCompleted(model, digest, completed);
      return true;
    }
    if (completed == blob.completed) {
      return false;
    }
    if (blob.done && completed < blob.total) {
      // Fetched again: Ollama deleted it after a digest mismatch, or a retry resumes it.
      blob.done = false;
    }
    long delta = completed - blob.completed;
    blob.completed = completed;
    listener.blobCompleted(model, digest, completed);
    if (delta > 0) {
      transfer(delta);
      return true;
    }
    return false;
  }

  private boolean aggregate(long total, long completed) {
    aggregateTotal = Math.max(aggregateTotal, total);
    if (aggregateCompleted < 0) {
      aggregateCompleted = completed;
      return true;
    }
    long delta = completed - aggregateCompleted;
    aggregateCompleted = completed;
    if (delta > 0) {
      transfer(delta);
      return true;
    }
    return false;
  }

  /** Every announced blob is complete: count the tail that arrived after its last line. */
  private void finishAnnounced() {
    for (Map.Entry<Digest, Blob> e : blobs.entrySet()) {
      Blob blob = e.getValue();
      if (!blob.done) {
        blob.done = true;
        if (blob.completed < blob.total) {
          long tail = blob.total - blob.completed;
          blob.completed = blob.total;
          listener.blobCompleted(model, e.getKey(), blob.total);
          transfer(tail);
        }
      }
    }
  }

  /**
   * Ollama said {@code success} and wrote {@code manifest}: report the blobs the stream never
   * named, so size and completed bytes match the manifest.
   */
  void finish(Manifest manifest) {
    finishAnnounced();
    boolean tensor = aggregateCompleted >= 0;
    if (tensor && aggregateCompleted < aggregateTotal) {
      transfer(aggregateTotal - aggregateCompleted);
      aggregateCompleted = aggregateTotal;
    }
    for (Descriptor d : manifest.blobs().values()) {
      if (!blobs.containsKey(d.digest())) {
        Blob blob = new Blob(d.size(), d.size());
        blob.done = true;
        blobs.put(d.digest(), blob);
        listener.blob(model, d.digest(), d.size());
        listener.blobCompleted(model, d.digest(), d.size());
        if (!tensor) {
          transfer(d.size()); // never announced, so not a cache hit: downloaded within 60 ms
        }
      }
    }
  }

  private void transfer(long bytes) {
    transferred += bytes;
    listener.transferred(model, bytes);
  }

  private void setState(ModelState next) {
    if (state != next) {
      state = next;
      listener.state(model, next);
    }
  }

  /** The bytes Ollama hashes in its verify phase: every blob that was not a cache hit. */
  long bytesToVerify() {
    long sum = 0;
    for (Blob blob : blobs.values()) {
      if (!blob.cacheHit) {
        sum += blob.total;
      }
    }
    return Math.max(sum, aggregateTotal);
  }

  /** Sum of the distinct blobs announced so far. */
  long announcedSize() {
    long sum = 0;
    for (Blob blob : blobs.values()) {
      sum += blob.total;
    }
    return sum;
  }

  long transferred() {
    return transferred;
  }

  Phase phase() {
    return phase;
  }

  /** The last status line, for error messages; null before the first. */
  String lastStatus() {
    return lastStatus;
  }

  /** The {@code error} of an error line in this attempt, or null. */
  String error() {
    return error;
  }

  boolean success() {
    return success;
  }

  /** Where the pull was, for people: "pulling blob 6a0746a1ec1a (1.2 GB of 4.7 GB)". */
  String where() {
    if (phase == Phase.DOWNLOADING) {
      for (Map.Entry<Digest, Blob> e : blobs.entrySet()) {
        Blob blob = e.getValue();
        if (!blob.done) {
          return "pulling blob "
              + e.getKey().shortHex()
              + " ("
              + blob.completed
              + " of "
              + blob.total
              + " bytes)";
        }
      }
      if (aggregateCompleted >= 0) {
        return "pulling model (" + aggregateCompleted + " of " + aggregateTotal + " bytes)";
      }
    }
    return phase == null ? Phase.CONNECTING.description : phase.description;
  }

  private static Digest parseDigest(String text) {
    if (AGGREGATE_DIGEST.equals(text)) {
      return null;
    }
    try {
      return Digest.parse(text);
    } catch (StoreException e) {
      return null; // any other unparseable digest is treated like the aggregate shape
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
