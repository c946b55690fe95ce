package org.ollamaairgap.stager.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ollamaairgap.common.progress.Outcome;

/**
 * One model of the inventory.
 *
 * @param name canonical name, {@code registry.ollama.ai/library/llama3.2:3b}
 * @param manifestDigest SHA-256 of the manifest file now in the store, {@code sha256:<hex>}; null
 *     when the store has none
 * @param sizeBytes config plus layers, from that manifest; 0 when there is none
 * @param blobCount distinct blobs that manifest references
 * @param stagedAt when that manifest was written into the store (its modification time, ISO-8601)
 * @param outcome the run's outcome for the model: {@code done} (staged and every blob re-hashed in
 *     this run), {@code failed} or {@code skipped}
 * @param reason why it failed or was skipped; null when done
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InventoryModel(
    String name,
    String manifestDigest,
    long sizeBytes,
    int blobCount,
    String stagedAt,
    Outcome outcome,
    String reason) {
  /** Whether production may pin this model: verified in this run and present. */
  public boolean pinnable() {
    return outcome == Outcome.DONE && manifestDigest != null;
  }
}
