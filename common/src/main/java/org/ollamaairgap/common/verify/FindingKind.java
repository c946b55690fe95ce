package org.ollamaairgap.common.verify;

/** What a finding is about; its severity is fixed per kind so that reports stay comparable. */
public enum FindingKind {
  /**
   * {@code blobs/} does not exist: {@code ollama serve} creates it at start and fails read-only.
   */
  BLOBS_DIR_MISSING(Severity.ERROR),
  /**
   * {@code manifests/} does not exist: Ollama starts, but every {@code /api/tags} call fails and no
   * model is usable, so an init container must not let it start.
   */
  MANIFESTS_DIR_MISSING(Severity.ERROR),
  /** A file at {@code manifests/*&#47;*&#47;*&#47;*} whose path is not a valid model name. */
  INVALID_MODEL_NAME(Severity.ERROR),
  /** A manifest that is unreadable, not a regular file or not a valid manifest. */
  INVALID_MANIFEST(Severity.ERROR),
  /**
   * Two manifest paths spell a host, namespace, model or tag differently only in letter case:
   * Ollama resolves each part of a request to one of the spellings at random.
   */
  CASE_VARIANT(Severity.ERROR),
  /**
   * An entry at {@code manifests/*&#47;*&#47;*&#47;*} that cannot be looked at (a dangling symbolic
   * link, a loop, no permission): Ollama's listing stops at it, so every model is affected.
   */
  MANIFEST_LISTING_BROKEN(Severity.ERROR),
  /** A symbolic link under {@code manifests/} or {@code blobs/} that leads out of the store. */
  LINK_OUTSIDE_STORE(Severity.ERROR),
  /**
   * A config blob Ollama cannot decode (not a JSON object, or a field of the wrong type): Ollama
   * leaves the model out of {@code /api/tags} without an error, so no client is offered it.
   */
  CONFIG_UNREADABLE(Severity.ERROR),
  /** A blob a manifest names does not exist. */
  BLOB_MISSING(Severity.ERROR),
  /** A blob is a directory, FIFO, socket or device. */
  BLOB_NOT_REGULAR_FILE(Severity.ERROR),
  /** A blob is a symbolic link that leaves the store. */
  BLOB_OUTSIDE_STORE(Severity.ERROR),
  /** A blob's length differs from the manifest's size. */
  BLOB_SIZE_MISMATCH(Severity.ERROR),
  /** A blob's SHA-256 differs from its name. */
  BLOB_DIGEST_MISMATCH(Severity.ERROR),
  /** A blob could not be read. */
  BLOB_UNREADABLE(Severity.ERROR),
  /** A legacy {@code sha256:<hex>} blob name: Ollama renames it at every start, even NOPRUNE. */
  LEGACY_BLOB_NAME(Severity.ERROR),
  /** A required model has no manifest. */
  REQUIRED_MODEL_MISSING(Severity.ERROR),
  /** A pinned model's manifest bytes differ from the pin. */
  EXPECTED_DIGEST_MISMATCH(Severity.ERROR),
  /**
   * The pinned or signed inventory ({@code --inventory-digest}, {@code --trust-key}) is missing,
   * unreadable, not the pinned bytes, not a valid inventory, or its envelope does not verify:
   * nothing in it is trusted.
   */
  INVENTORY_NOT_TRUSTED(Severity.ERROR),
  /** With {@code --only-trusted}: a model on disk that the trusted inventory does not list. */
  UNTRUSTED_MODEL(Severity.ERROR),
  /** An empty directory under {@code manifests/} (or an empty {@code manifests/}). */
  EMPTY_MANIFEST_DIR(Severity.WARNING),
  /** {@code -partial} / {@code -partial-N} files of an interrupted pull. */
  PARTIAL_LEFTOVER(Severity.WARNING),
  /** {@code .tmp} files of an interrupted tensor pull. */
  TMP_LEFTOVER(Severity.WARNING),
  /** Any other file in {@code blobs/} whose name is not a blob name. */
  STRAY_BLOB_FILE(Severity.WARNING),
  /** Blobs no manifest references (one finding with their count and total size). */
  UNREFERENCED_BLOBS(Severity.WARNING),
  /**
   * A dot-file at {@code manifests/*&#47;*&#47;*&#47;*} ({@code .DS_Store}, AppleDouble {@code
   * ._*}): Ollama skips it with a warning, but its start-up prune is then skipped too.
   */
  DOT_FILE(Severity.WARNING),
  /** A file in {@code manifests/} at a depth Ollama never looks at. */
  IGNORED_MANIFEST_FILE(Severity.INFO);

  private final Severity severity;

  FindingKind(Severity severity) {
    this.severity = severity;
  }

  public Severity severity() {
    return severity;
  }
}
