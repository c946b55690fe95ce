package org.ollamaairgap.stager.driver;

import java.util.Optional;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;

/** Puts one model at a time into the store. Implementations are used from one thread. */
public interface Driver extends AutoCloseable {

  /**
   * What the model will consist of, fetched before any blob moves so the run can check free space
   * for all models first. Empty when the driver cannot know before it pulls (Ollama resolves the
   * manifest itself).
   */
  Optional<Manifest> resolve(ModelName model) throws StageException;

  /**
   * Stages the model: on return its manifest is in the store and every blob it names is present
   * under its final name. Blobs downloaded in this call were verified before they got that name;
   * blobs that were already there were not (the run re-hashes everything afterwards).
   *
   * @param resolved what {@link #resolve} returned for this model, to avoid fetching it twice
   * @return the manifest now in the store
   */
  Manifest stage(ModelName model, Optional<Manifest> resolved, PullListener listener)
      throws StageException;

  @Override
  default void close() {}
}
