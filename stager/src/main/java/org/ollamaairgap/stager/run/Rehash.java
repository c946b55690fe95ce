package org.ollamaairgap.stager.run;

import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.BlobCheck;
import org.ollamaairgap.common.verify.BlobChecker;
import org.ollamaairgap.stager.inventory.InventoryFileRecorder;

/**
 * The re-hash after each pull: every blob the staged manifest references, pre-existing ones too
 * (Ollama trusts any blob file that exists). The same read computes each blob's chunk digests, kept
 * for the inventory only when the whole SHA-256 matched.
 */
final class Rehash {
  private final BlobChecker checker;
  private final PullListener listener;
  private final InventoryFileRecorder chunks;

  Rehash(StoreLayout layout, PullListener listener, InventoryFileRecorder chunks) {
    this.checker = new BlobChecker(layout);
    this.listener = listener;
    this.chunks = chunks;
  }

  /** Re-hashes every blob of the manifest; returns what is wrong, or null. */
  String check(ModelName model, Manifest manifest) {
    List<String> problems = new ArrayList<>();
    for (Descriptor blob : manifest.blobs().values()) {
      BlobCheck check =
          checker.checkChunked(
              blob.digest(),
              blob.size(),
              ChunkedHash.DEFAULT_CHUNK_SIZE,
              n -> listener.hashed(model, n),
              chunks::record);
      if (!check.ok()) {
        problems.add(check.detail());
      }
    }
    if (problems.isEmpty()) {
      return null;
    }
    return "verification failed for "
        + problems.size()
        + " of "
        + manifest.blobs().size()
        + " blobs: "
        + String.join("; ", problems)
        + ". Delete the damaged blob file"
        + (problems.size() > 1 ? "s" : "")
        + " and run the stager again to download "
        + (problems.size() > 1 ? "them" : "it")
        + " anew.";
  }
}
