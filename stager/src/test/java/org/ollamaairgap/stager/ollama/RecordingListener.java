package org.ollamaairgap.stager.ollama;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;

/** Records what a driver reports, the way the app's metrics would add it up. */
final class RecordingListener implements PullListener {
  final List<ModelState> states = new ArrayList<>();
  final Map<Digest, Long> sizes = new LinkedHashMap<>();
  final Map<Digest, List<Long>> completed = new LinkedHashMap<>();
  final List<String> retries = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  long transferred;
  int duplicateBlobs;

  @Override
  public synchronized void state(ModelName model, ModelState state) {
    states.add(state);
    events.add("state " + state.label());
  }

  @Override
  public synchronized void blob(ModelName model, Digest digest, long size) {
    if (sizes.put(digest, size) != null) {
      duplicateBlobs++;
    }
    events.add("blob " + digest.shortHex() + " " + size);
  }

  @Override
  public synchronized void blobCompleted(ModelName model, Digest digest, long bytes) {
    completed.computeIfAbsent(digest, d -> new ArrayList<>()).add(bytes);
  }

  @Override
  public synchronized void transferred(ModelName model, long bytes) {
    if (bytes <= 0) {
      throw new AssertionError("transferred must be a positive delta, got " + bytes);
    }
    transferred += bytes;
  }

  @Override
  public synchronized void retry(ModelName model, String reason) {
    retries.add(reason);
  }

  synchronized long size() {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The model's completed bytes: the last value of every blob. */
  synchronized long completedBytes() {
    long sum = 0;
    for (List<Long> values : completed.values()) {
      sum += values.get(values.size() - 1);
    }
    return sum;
  }
}
