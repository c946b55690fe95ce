package org.ollamaairgap.common.sign;

import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * The subject names of a signed store inventory: each file by its path relative to the store root,
 * as Ollama lays it out, so a subject can be checked with {@code sha256sum} from the store root.
 */
public final class StoreSubjects {
  /** The inventory file itself; its digest is the inventory digest. */
  public static final String INVENTORY = ".ollama-airgap/inventory.json";

  private StoreSubjects() {}

  /** {@code manifests/<host>/<namespace>/<model>/<tag>}. */
  public static String manifest(ModelName name) {
    return "manifests/"
        + name.host()
        + "/"
        + name.namespace()
        + "/"
        + name.model()
        + "/"
        + name.tag();
  }

  /** {@code blobs/sha256-<hex>}. */
  public static String blob(Digest digest) {
    return "blobs/" + digest.fileName();
  }
}
