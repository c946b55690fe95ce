package org.ollamaairgap.common.store;

import java.nio.file.Path;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * Every path of an Ollama model store ({@code OLLAMA_MODELS}). The getters are pure path arithmetic
 * and create nothing, unlike Ollama's own {@code BlobsPath}, because the verifier runs on a
 * read-only mount.
 *
 * <pre>
 *   root/manifests/&lt;host&gt;/&lt;namespace&gt;/&lt;model&gt;/&lt;tag&gt;   registry manifest bytes
 *   root/blobs/sha256-&lt;hex&gt;                              content-addressed blobs
 *   root/.ollama-airgap/                                 ours: staging files, resume state, lock
 * </pre>
 *
 * Our own directory sits beside {@code blobs/} and {@code manifests/} on the same filesystem, so
 * staged files can be renamed into place atomically, while Ollama, which lists <code>
 * manifests/*&#47;*&#47;*&#47;*</code> and prunes odd names in {@code blobs/}, never sees them.
 */
public final class StoreLayout {
  public static final String MANIFESTS = "manifests";
  public static final String BLOBS = "blobs";
  public static final String WORK = ".ollama-airgap";

  private final Path root;

  public StoreLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path manifestsDir() {
    return root.resolve(MANIFESTS);
  }

  public Path blobsDir() {
    return root.resolve(BLOBS);
  }

  /** {@code manifests/<host>/<namespace>/<model>/<tag>}. */
  public Path manifest(ModelName name) {
    return inside(
        manifestsDir()
            .resolve(name.host())
            .resolve(name.namespace())
            .resolve(name.model())
            .resolve(name.tag()));
  }

  /** {@code blobs/sha256-<hex>}. */
  public Path blob(Digest digest) {
    return inside(blobsDir().resolve(digest.fileName()));
  }

  /**
   * Our own working area on the store's filesystem, outside {@code blobs/} and {@code manifests/}.
   */
  public Path workDir() {
    return root.resolve(WORK);
  }

  /** Where blobs and manifests are written before they are renamed into place. */
  public Path stagingDir() {
    return workDir().resolve("staging");
  }

  /**
   * Names are validated so this cannot fail; the check is a second line of defence against a path
   * that would leave the store.
   */
  private Path inside(Path path) {
    Path normalized = path.normalize();
    if (!normalized.startsWith(root) || !normalized.equals(path)) {
      throw new IllegalArgumentException("path " + path + " leaves the store " + root);
    }
    return normalized;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
