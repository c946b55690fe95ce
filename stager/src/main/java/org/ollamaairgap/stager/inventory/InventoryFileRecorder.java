package org.ollamaairgap.stager.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.InventorySignature;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Collects the chunk digests the run's re-hash computed and writes {@code
 * .ollama-airgap/inventory.json} for the models verified in this run. Only this run's digests go
 * in: an earlier inventory on the store is never merged, so every chunk digest in the file comes
 * from bytes whose whole SHA-256 matched in this run.
 */
public final class InventoryFileRecorder {
  private static final Logger LOG = Logger.getLogger(InventoryFileRecorder.class);

  private final Map<Digest, ChunkedHash> hashes = new ConcurrentHashMap<>();

  /** Keeps the chunk digests of a blob that passed its re-hash. */
  public void record(ChunkedHash hash) {
    hashes.put(hash.digest(), hash);
  }

  /**
   * Writes the inventory of {@code verified} (every blob of which was recorded) and returns its
   * digest; with {@code signer} also its DSSE envelope, without one removes an earlier envelope,
   * which signs another inventory. The caller holds the store's lock.
   */
  public Digest write(StoreWriter writer, Map<ModelName, Manifest> verified, Signer signer)
      throws IOException {
    StoreInventory inventory = StoreInventory.of(verified, hashes);
    Digest digest = InventoryFile.write(writer, inventory);
    Path envelope = writer.layout().inventorySignature();
    if (signer == null) {
      Files.deleteIfExists(envelope);
    } else {
      byte[] bytes = InventoryFile.toJson(inventory);
      writer.replaceDurably(envelope, InventorySignature.sign(signer, bytes, verified).toJson());
    }
    LOG.infof(
        "inventory of %d model%s written to %s%s: --inventory-digest %s"
            + " (VERIFIER_INVENTORY_DIGEST) for production",
        verified.size(),
        verified.size() == 1 ? "" : "s",
        writer.layout().inventory(),
        signer == null ? "" : ", signed by key " + signer.key().keyId(),
        digest);
    return digest;
  }
}
