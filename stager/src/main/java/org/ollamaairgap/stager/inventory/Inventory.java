package org.ollamaairgap.stager.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.stream.Collectors;
import org.ollamaairgap.common.model.Digest;

/**
 * What the store holds for the models a run was asked for. Goes into the JSON summary and, in a
 * cluster, into the inventory ConfigMap.
 *
 * @param store the store root
 * @param generatedAt ISO-8601 end of the run
 * @param generatedBy the stager that wrote it (pod name or user@host)
 * @param models in the order asked for
 * @param inventoryDigest the SHA-256 of {@code .ollama-airgap/inventory.json} as this run wrote it
 *     (the value for the verifier's {@code --inventory-digest}), or null when none was written
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Inventory(
    String store,
    String generatedAt,
    String generatedBy,
    List<InventoryModel> models,
    @JsonInclude(JsonInclude.Include.NON_NULL) String inventoryDigest) {

  public Inventory {
    models = List.copyOf(models);
  }

  /** Without an inventory file. */
  public Inventory(
      String store, String generatedAt, String generatedBy, List<InventoryModel> models) {
    this(store, generatedAt, generatedBy, models, null);
  }

  /** The same inventory with the digest of the inventory file (null: none written). */
  public Inventory withInventoryDigest(Digest digest) {
    return new Inventory(
        store, generatedAt, generatedBy, models, digest == null ? null : digest.toString());
  }

  /**
   * The value for the verifier's {@code --expect} ({@code VERIFIER_EXPECT}): {@code
   * name@sha256:<manifest digest>} for every model staged and verified in this run, comma
   * separated, canonical names. Failed models are left out: production must not pin bytes that
   * staging did not verify.
   */
  @JsonProperty(value = "expect", access = JsonProperty.Access.READ_ONLY)
  public String expect() {
    return models.stream()
        .filter(InventoryModel::pinnable)
        .map(m -> m.name() + "@" + m.manifestDigest())
        .collect(Collectors.joining(","));
  }
}
