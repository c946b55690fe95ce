package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;

/** Who references a blob, and with which size: the first manifest's size counts. */
final class BlobReference {
  final Digest digest;
  final long size;

  /** The models (display names) whose manifests agree on the size. */
  final Set<String> models = new LinkedHashSet<>();

  /** "model says N" for each model whose manifest gives another size. */
  final Set<String> disagreeing = new LinkedHashSet<>();

  /** The models (display names) of {@link #disagreeing}, in the same order. */
  final List<String> disagreeingModels = new ArrayList<>();

  BlobReference(Digest digest, long size) {
    this.digest = digest;
    this.size = size;
  }

  /** Every distinct blob the valid manifests reference, in the order first seen. */
  static Map<Digest, BlobReference> of(List<ManifestEntry> entries) {
    Map<Digest, BlobReference> references = new LinkedHashMap<>();
    for (ManifestEntry entry : entries) {
      if (entry.manifest() == null) {
        continue;
      }
      for (Descriptor d : entry.manifest().blobs().values()) {
        BlobReference ref =
            references.computeIfAbsent(d.digest(), k -> new BlobReference(k, d.size()));
        if (ref.size == d.size()) {
          ref.models.add(entry.display());
        } else if (ref.disagreeing.add(entry.display() + " says " + d.size())) {
          ref.disagreeingModels.add(entry.display());
        }
      }
    }
    return references;
  }
}
