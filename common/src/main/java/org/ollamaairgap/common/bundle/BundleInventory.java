package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.inventory.InventoryException;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.sign.InventorySignature;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The inventory a bundle carries: the source store's inventory narrowed to exactly the exported
 * models (their chunk digests come from the stager's re-hash of those bytes), and with a key its
 * DSSE envelope. After an import it becomes the target store's inventory, so the verifier's {@code
 * --trust-key} checks the imported store with the same signature.
 */
public final class BundleInventory {
  private BundleInventory() {}

  /**
   * What goes with an export.
   *
   * @param files {@link OciLayout#INVENTORY} and, when signed, {@link OciLayout#ENVELOPE}; empty
   *     when the source has no inventory covering every model
   * @param note why no inventory travels, or null
   */
  public record Files(Map<String, byte[]> files, String note) {}

  /**
   * The files for exporting {@code models} from {@code source}. With {@code signer} the source's
   * inventory must list every model with the manifest it now has (every stager run writes it);
   * otherwise a bundle without one is still a bundle.
   */
  public static Files forExport(StoreLayout source, List<ModelName> models, Signer signer)
      throws BundleException, IOException {
    String problem;
    try {
      StoreInventory inventory = InventoryFile.read(source).inventory();
      Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
      problem = narrow(source, inventory, models, manifests);
      if (problem == null) {
        StoreInventory subset = subset(inventory, manifests);
        byte[] bytes = InventoryFile.toJson(subset);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(OciLayout.INVENTORY, bytes);
        if (signer != null) {
          files.put(OciLayout.ENVELOPE, InventorySignature.sign(signer, bytes, manifests).toJson());
        }
        return new Files(files, null);
      }
    } catch (InventoryException e) {
      problem = e.getMessage();
    }
    if (signer != null) {
      throw new BundleException(
          "cannot sign the bundle: "
              + problem
              + "; stage the models into the source store again (every run writes its"
              + " inventory), then export");
    }
    return new Files(Map.of(), "the bundle carries no inventory: " + problem);
  }

  /** Null when the inventory lists every model with its manifest now on disk, else why not. */
  private static String narrow(
      StoreLayout source,
      StoreInventory inventory,
      List<ModelName> models,
      Map<ModelName, Manifest> manifests)
      throws IOException {
    for (ModelName name : models) {
      StoreInventory.Model listed = inventory.model(name);
      if (listed == null) {
        return "the source store's inventory " + source.inventory() + " does not list " + name;
      }
      Manifest manifest;
      try {
        manifest = Manifest.parse(java.nio.file.Files.readAllBytes(source.manifest(name)));
      } catch (NoSuchFileException | StoreException e) {
        return "model " + name + " has no usable manifest in " + source.root();
      }
      if (!manifest.digest().equals(listed.manifestDigest())) {
        return "the source store's inventory lists "
            + name
            + " as "
            + listed.manifestDigest()
            + ", but its manifest is now "
            + manifest.digest();
      }
      manifests.put(listed.name(), manifest);
    }
    return null;
  }

  private static StoreInventory subset(
      StoreInventory inventory, Map<ModelName, Manifest> manifests) {
    Map<Digest, ChunkedHash> blobs = new LinkedHashMap<>();
    for (Manifest m : manifests.values()) {
      m.blobs().keySet().forEach(d -> blobs.put(d, inventory.blobs().get(d)));
    }
    return StoreInventory.of(manifests, blobs);
  }

  /** Whether the bytes name exactly models the import has now committed, with these manifests. */
  static boolean coveredBy(byte[] inventory, Map<ModelName, Digest> committed, String source) {
    StoreInventory parsed;
    try {
      parsed = InventoryFile.parse(inventory, source);
    } catch (InventoryException e) {
      return false;
    }
    for (StoreInventory.Model m : parsed.models().values()) {
      boolean found = false;
      for (Map.Entry<ModelName, Digest> c : committed.entrySet()) {
        found |= c.getKey().sameAs(m.name()) && c.getValue().equals(m.manifestDigest());
      }
      if (!found) {
        return false;
      }
    }
    return !parsed.models().isEmpty();
  }
}
