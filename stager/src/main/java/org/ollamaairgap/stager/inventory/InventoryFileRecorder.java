package org.ollamaairgap.stager.inventory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Collects the chunk digests the run's re-hash computed and writes {@code
 * .ollama-airgap/inventory.json} for the models verified in this run. Only this run's digests go
 * in: an earlier inventory on the store is never merged, so every chunk digest in the file comes
 * from bytes whose whole SHA-256 matched in this run.
 */
public final class InventoryFileRecorder {
  private final Map<Digest, ChunkedHash> hashes = new ConcurrentHashMap<>();

  /** Keeps the chunk digests of a blob that passed its re-hash. */
  public void record(ChunkedHash hash) {
    hashes.put(hash.digest(), hash);
  }

  /**
   * Writes the inventory of {@code verified} (every blob of which was recorded) and returns its
   * digest. The caller holds the store's lock.
   */
  public Digest write(StoreWriter writer, Map<ModelName, Manifest> verified) throws IOException {
    return InventoryFile.write(writer, StoreInventory.of(verified, hashes));
  }
}
