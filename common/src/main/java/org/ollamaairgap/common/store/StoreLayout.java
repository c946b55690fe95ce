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
 *   root/.ollama-airgap/lock                             single-writer lock (and lock.takeover)
 *   root/.ollama-airgap/inventory.json                   what the store holds (inventory.dsse.json)
 *   root/.ollama-airgap/tombstones.json                  blobs waiting for the prune grace
 *   root/.ollama-airgap/staging/                         temp files, partial blobs, resume state
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

  /** Every temp file we write ends so, and a killed run's are removed by this suffix. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final String PRUNE_TRASH = "prune-";

  private static final String STAGING = "staging";
  private static final String LOCK = "lock";
  private static final String WRITE_PROBE = "write-probe-";

  private final Path root;

  public StoreLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /**
   * The store root from an {@code OLLAMA_MODELS} value, read as Ollama reads it: blanks and quotes
   * around the value trimmed, {@code ~} not expanded. Both apps take the variable through this, so
   * a quoted value names the same store for the stager, the verifier and Ollama.
   */
  public static StoreLayout fromOllamaModels(String value) {
    String trimmed = value.strip();
    int start = 0;
    int end = trimmed.length();
    while (start < end && isQuote(trimmed.charAt(start))) {
      start++;
    }
    while (end > start && isQuote(trimmed.charAt(end - 1))) {
      end--;
    }
    String path = trimmed.substring(start, end);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("OLLAMA_MODELS is empty: give the store root");
    }
    return new StoreLayout(Path.of(path));
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
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
    return workDir().resolve(STAGING);
  }

  /** {@code staging/<purpose>.<token>.tmp}: a temp file, renamed into place once complete. */
  public Path stagingTemp(String purpose, String token) {
    return stagingDir().resolve(purpose + "." + token + TEMP_SUFFIX);
  }

  /** {@code staging/sha256-<hex>.partial}: a blob being downloaded, sparse, at full size. */
  public Path partialBlob(Digest digest) {
    return stagingDir().resolve(digest.fileName() + ".partial");
  }

  /** {@code staging/sha256-<hex>.parts.json}: which bytes of the partial blob are written. */
  public Path partsState(Digest digest) {
    return stagingDir().resolve(digest.fileName() + ".parts.json");
  }

  /**
   * {@code staging/prune-<token>}: a manifest subtree a prune has renamed out of {@code manifests/}
   * in one step, deleted from here; one left by a killed prune is deleted by the next.
   */
  public Path pruneTrash(String token) {
    return stagingDir().resolve(PRUNE_TRASH + token);
  }

  /** Whether {@code path} is a {@link #pruneTrash} directory. */
  public boolean isPruneTrash(Path path) {
    return stagingDir().equals(path.getParent())
        && path.getFileName().toString().startsWith(PRUNE_TRASH);
  }

  /** {@code .ollama-airgap/lock}: the single-writer lock outside a cluster. */
  public Path lockFile() {
    return workDir().resolve(LOCK);
  }

  /** {@code .ollama-airgap/lock.takeover}: held for the moment a stale lock is replaced. */
  public Path lockTakeover() {
    return workDir().resolve(LOCK + ".takeover");
  }

  /** {@code .ollama-airgap/lock.<token>.tmp}: a heartbeat being written, renamed over the lock. */
  public Path lockHeartbeatTemp(String token) {
    return workDir().resolve(LOCK + "." + token + TEMP_SUFFIX);
  }

  /** {@code .ollama-airgap/lock.<id>.new}: a full lock record, hard-linked to the lock name. */
  public Path lockCandidate(String id) {
    return workDir().resolve(LOCK + "." + id + ".new");
  }

  /** {@code .ollama-airgap/write-probe-<token>.tmp}: written and deleted to prove writability. */
  public Path writeProbe(String token) {
    return workDir().resolve(WRITE_PROBE + token + TEMP_SUFFIX);
  }

  /** {@code .ollama-airgap/inventory.json}: the versioned inventory; its SHA-256 is its digest. */
  public Path inventory() {
    return workDir().resolve("inventory.json");
  }

  /** {@code .ollama-airgap/inventory.dsse.json}: the inventory's DSSE signature envelope. */
  public Path inventorySignature() {
    return workDir().resolve("inventory.dsse.json");
  }

  /** {@code .ollama-airgap/tombstones.json}: unreferenced blobs and since when, for pruning. */
  public Path tombstones() {
    return workDir().resolve("tombstones.json");
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
