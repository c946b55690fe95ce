package org.ollamaairgap.common.verify;

import org.ollamaairgap.common.store.StoreLayout;

/** What each way a blob can fail its check means for the operator, as a finding. */
final class BlobFindings {
  private BlobFindings() {}

  /** The finding for a blob that failed its check, used by {@code models} (comma separated). */
  static Finding of(BlobCheck check, String models, StoreLayout layout) {
    String blob = check.digest().toString();
    String path = layout.blob(check.digest()).toString();
    String again = "stage " + models + " again on the writable side";
    String size = "size=" + check.expectedSize();
    String actualSize = check.actualSize() < 0 ? null : "size=" + check.actualSize();
    return switch (check.status()) {
      case MISSING ->
          new Finding(
              FindingKind.BLOB_MISSING, models, blob, path, size, "no file", check.detail(), again);
      case NOT_REGULAR_FILE ->
          new Finding(
              FindingKind.BLOB_NOT_REGULAR_FILE,
              models,
              blob,
              path,
              "a regular file",
              null,
              check.detail(),
              "remove it and " + again);
      case OUTSIDE_STORE ->
          new Finding(
              FindingKind.BLOB_OUTSIDE_STORE,
              models,
              blob,
              path,
              "a file inside the store",
              null,
              check.detail(),
              "replace the link by the file itself (" + again + ")");
      case SIZE_MISMATCH ->
          new Finding(
              FindingKind.BLOB_SIZE_MISMATCH,
              models,
              blob,
              path,
              size,
              actualSize,
              check.detail(),
              "delete " + path + " and " + again);
      case DIGEST_MISMATCH ->
          new Finding(
              FindingKind.BLOB_DIGEST_MISMATCH,
              models,
              blob,
              path,
              "sha256=" + check.digest().hex(),
              "sha256=" + check.actualDigest().hex(),
              "blob content is corrupt: " + check.detail(),
              "delete " + path + " and " + again);
      case UNREADABLE ->
          new Finding(
              FindingKind.BLOB_UNREADABLE,
              models,
              blob,
              path,
              null,
              null,
              check.detail(),
              "check the file's permissions and the mount");
      case OK -> throw new IllegalArgumentException("not a problem: " + check);
    };
  }
}
