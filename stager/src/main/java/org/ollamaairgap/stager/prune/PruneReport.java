package org.ollamaairgap.stager.prune;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The summary's {@code prune} object.
 *
 * @param mode {@code dry-run} or {@code on}
 * @param manifestsRemoved manifests removed (dry run: that would be)
 * @param blobsTombstoned unreferenced blobs now waiting for the grace
 * @param blobsDeleted blobs deleted after the grace (dry run: that would be)
 * @param prunedBytes every byte deleted (dry run: 0)
 * @param prunedBytesByModel bytes deleted per model
 * @param removedModels the models whose manifest left the store (dry run: would leave)
 * @param heldBack why no blob was tombstoned or deleted, when something under manifests/ could not
 *     be read
 */
public record PruneReport(
    String mode,
    int manifestsRemoved,
    int blobsTombstoned,
    int blobsDeleted,
    long prunedBytes,
    Map<String, Long> prunedBytesByModel,
    List<String> removedModels,
    @JsonInclude(JsonInclude.Include.NON_NULL) String heldBack) {
  public PruneReport {
    prunedBytesByModel = Map.copyOf(prunedBytesByModel);
    removedModels = List.copyOf(removedModels);
  }
}
