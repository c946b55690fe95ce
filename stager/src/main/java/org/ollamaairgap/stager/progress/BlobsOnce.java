package org.ollamaairgap.stager.progress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;

/**
 * Keeps {@link PullListener#blob}'s contract, once per distinct blob of a model, whoever announces
 * it: the run announces what resolving found and what the staged manifest lists, and a driver
 * announces what it learns while pulling. Everything else passes through unchanged.
 */
public final class BlobsOnce implements PullListener {
  private final PullListener next;
  private final Set<Announced> announced = ConcurrentHashMap.newKeySet();

  private record Announced(String model, Digest digest) {}

  public BlobsOnce(PullListener next) {
    this.next = next;
  }

  @Override
  public void state(ModelName model, ModelState state) {
    next.state(model, state);
  }

  @Override
  public void blob(ModelName model, Digest digest, long size) {
    if (announced.add(new Announced(model.key(), digest))) {
      next.blob(model, digest, size);
    }
  }

  @Override
  public void blobCompleted(ModelName model, Digest digest, long completed) {
    next.blobCompleted(model, digest, completed);
  }

  @Override
  public void transferred(ModelName model, long bytes) {
    next.transferred(model, bytes);
  }

  @Override
  public void hashed(ModelName model, long bytes) {
    next.hashed(model, bytes);
  }

  @Override
  public void retry(ModelName model, String reason) {
    next.retry(model, reason);
  }
}
