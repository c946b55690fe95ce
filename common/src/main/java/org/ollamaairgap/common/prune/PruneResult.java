package org.ollamaairgap.common.prune;

import java.util.Map;

/**
 * What a prune did.
 *
 * @param manifestsRemoved manifests removed from {@code manifests/}
 * @param blobsTombstoned unreferenced blobs now waiting for the grace
 * @param blobsDeleted blobs deleted after the grace
 * @param leftoversDeleted staging leftovers deleted
 * @param bytes every byte deleted
 * @param bytesByModel bytes deleted per model (the model a blob's removal came from)
 */
public record PruneResult(
    int manifestsRemoved,
    int blobsTombstoned,
    int blobsDeleted,
    int leftoversDeleted,
    long bytes,
    Map<String, Long> bytesByModel) {
  public PruneResult {
    bytesByModel = Map.copyOf(bytesByModel);
  }
}
