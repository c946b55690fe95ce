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
   * {@link #resolve(ModelName)}, reporting its retries (a manifest request that failed and is tried
   * again) to {@code listener}, so that they are logged and counted like the pull's own.
   */
  default Optional<Manifest> resolve(ModelName model, PullListener listener) throws StageException {
    return resolve(model);
  }

  /**
   * Stages the model's blobs: on return every blob its manifest names is present under its final
   * name. Blobs downloaded in this call were verified before they got that name; blobs that were
   * already there were not. The run then re-hashes every blob and only then calls {@link #commit}
   * (or {@link #abandon}), so a model's manifest never names a blob that failed its re-hash.
   *
   * @param resolved what {@link #resolve} returned for this model, to avoid fetching it twice
   * @return the manifest to commit, with the registry's bytes
   */
  Manifest stage(ModelName model, Optional<Manifest> resolved, PullListener listener)
      throws StageException;

  /**
   * Makes a staged model visible: writes (or replaces) its manifest. Called only after every blob
   * it names passed the re-hash. A driver whose puller writes the manifest itself (Ollama) has
   * nothing left to do.
   */
  default void commit(ModelName model, Manifest manifest) throws StageException {}

  /**
   * The model failed after {@link #stage} returned: puts back what the store showed for it before
   * (the previous manifest, or none), for a driver whose puller already wrote the new one.
   */
  default void abandon(ModelName model) throws StageException {}

  @Override
  default void close() {}
}
