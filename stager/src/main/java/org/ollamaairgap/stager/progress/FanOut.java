package org.ollamaairgap.stager.progress;

import java.util.List;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.PullListener;

/** Passes every event to several listeners, in order: the tracker first, then its readers. */
public final class FanOut implements PullListener {
  private final List<PullListener> listeners;

  public FanOut(List<PullListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void state(ModelName model, ModelState state) {
    listeners.forEach(l -> l.state(model, state));
  }

  @Override
  public void blob(ModelName model, Digest digest, long size) {
    listeners.forEach(l -> l.blob(model, digest, size));
  }

  @Override
  public void blobCompleted(ModelName model, Digest digest, long completed) {
    listeners.forEach(l -> l.blobCompleted(model, digest, completed));
  }

  @Override
  public void transferred(ModelName model, long bytes) {
    listeners.forEach(l -> l.transferred(model, bytes));
  }

  @Override
  public void hashed(ModelName model, long bytes) {
    listeners.forEach(l -> l.hashed(model, bytes));
  }

  @Override
  public void retry(ModelName model, String reason) {
    listeners.forEach(l -> l.retry(model, reason));
  }
}
