package org.ollamaairgap.common.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;

/**
 * What a store holds, as the inventory file says: models sorted by canonical name and blobs by
 * digest, and nothing that changes from run to run (no time stamp, no host), so staging the same
 * models twice gives the same bytes and the same inventory digest.
 *
 * @param models by canonical name
 * @param blobs by digest; every blob a model lists is here
 */
public record StoreInventory(Map<ModelName, Model> models, Map<Digest, ChunkedHash> blobs) {
  /** The format version this code writes and the only one it reads. */
  public static final int VERSION = 1;

  /**
   * One model.
   *
   * @param name canonical name, {@code registry.ollama.ai/library/llama3.2:1b}
   * @param manifestDigest SHA-256 of the manifest file (the model ID {@code --expect} pins)
   * @param size config plus layers, as the manifest gives them
   * @param blobs the distinct blobs the manifest references, config first
   */
  public record Model(ModelName name, Digest manifestDigest, long size, List<Digest> blobs) {
    public Model {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(manifestDigest, "manifestDigest");
      blobs = List.copyOf(blobs);
    }
  }

  public StoreInventory {
    Map<ModelName, Model> sortedModels = new LinkedHashMap<>();
    models.values().stream()
        .sorted(Comparator.comparing(m -> m.name().toString()))
        .forEach(m -> sortedModels.put(m.name(), m));
    models = java.util.Collections.unmodifiableMap(sortedModels);
    blobs = java.util.Collections.unmodifiableMap(new TreeMap<>(blobs));
    for (Model model : models.values()) {
      for (Digest blob : model.blobs()) {
        if (!blobs.containsKey(blob)) {
          throw new IllegalArgumentException(
              model.name() + " lists blob " + blob + ", which the inventory does not describe");
        }
      }
    }
  }

  /**
   * The inventory of these models, from their manifests and the chunk digests computed while their
   * blobs were hashed. Every blob a manifest references must have its chunk digests, with the
   * digest and size the manifest gives.
   */
  public static StoreInventory of(
      Map<ModelName, Manifest> manifests, Map<Digest, ChunkedHash> hashes) {
    Map<ModelName, Model> models = new LinkedHashMap<>();
    Map<Digest, ChunkedHash> blobs = new LinkedHashMap<>();
    for (Map.Entry<ModelName, Manifest> entry : manifests.entrySet()) {
      Manifest manifest = entry.getValue();
      List<Digest> digests = new ArrayList<>();
      for (Descriptor blob : manifest.blobs().values()) {
        ChunkedHash hash = hashes.get(blob.digest());
        if (hash == null || !hash.digest().equals(blob.digest()) || hash.size() != blob.size()) {
          throw new IllegalArgumentException(
              entry.getKey()
                  + ": no chunk digests of blob "
                  + blob.digest()
                  + " ("
                  + blob.size()
                  + " bytes) were computed");
        }
        blobs.put(blob.digest(), hash);
        digests.add(blob.digest());
      }
      models.put(
          entry.getKey(),
          new Model(entry.getKey(), manifest.digest(), manifest.totalSize(), digests));
    }
    return new StoreInventory(models, blobs);
  }

  /** The model of this name, matched as Ollama matches names (case-insensitively), or null. */
  public Model model(ModelName name) {
    for (Model model : models.values()) {
      if (model.name().sameAs(name)) {
        return model;
      }
    }
    return null;
  }
}
