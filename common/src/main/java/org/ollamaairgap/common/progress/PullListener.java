package org.ollamaairgap.common.progress;

import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * What a driver reports while it stages a model. Every method has an empty default so adapters
 * implement only what they show. Calls may come from several threads at once.
 */
public interface PullListener {
  PullListener NONE = new PullListener() {};

  /** The model moved to another state. */
  default void state(ModelName model, ModelState state) {}

  /** A blob of the model became known, with its size in bytes (called once per distinct blob). */
  default void blob(ModelName model, Digest digest, long size) {}

  /**
   * Bytes of this blob present and accounted for, as an absolute value. It can go down when a part
   * is retried from scratch.
   */
  default void blobCompleted(ModelName model, Digest digest, long completed) {}

  /** Bytes received over the network just now (a delta), for throughput and stall detection. */
  default void transferred(ModelName model, long bytes) {}

  /** Bytes re-hashed just now (a delta) while verifying: progress that is not a transfer. */
  default void hashed(ModelName model, long bytes) {}

  /** A request or part failed and will be tried again. */
  default void retry(ModelName model, String reason) {}
}
