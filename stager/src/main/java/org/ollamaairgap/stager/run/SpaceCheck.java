package org.ollamaairgap.stager.run;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.progress.ProgressLog;

/**
 * Before any download: do the blobs that are not yet in the store fit in the space left? A blob
 * shared by two models counts once; blobs already present ({@link StoreWriter#hasBlob}, the rule
 * the download uses) count zero, and a file of the wrong size counts in full, as it is fetched
 * again.
 */
final class SpaceCheck {
  private SpaceCheck() {}

  /**
   * The bytes still missing for these manifests, saturated at {@link Long#MAX_VALUE}: each manifest
   * keeps its own total within a long, but two of them together can overflow, and a wrapped
   * (negative) sum would pass any free-space comparison.
   */
  static long missing(StoreLayout layout, Map<ModelName, Manifest> manifests) {
    StoreWriter store = new StoreWriter(layout);
    Map<Digest, Long> needed = new LinkedHashMap<>();
    for (Manifest manifest : manifests.values()) {
      for (Descriptor blob : manifest.blobs().values()) {
        if (!store.hasBlob(blob)) {
          needed.put(blob.digest(), blob.size());
        }
      }
    }
    long sum = 0;
    for (long size : needed.values()) {
      sum = size > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + size;
    }
    return sum;
  }

  static void check(StoreLayout layout, Map<ModelName, Manifest> manifests) throws StageException {
    long missing = missing(layout, manifests);
    if (missing == 0) {
      return;
    }
    long usable;
    try {
      usable = Files.getFileStore(layout.workDir()).getUsableSpace();
    } catch (IOException e) {
      throw new StageException(
          StageException.Reason.NOT_WRITABLE,
          "cannot read the free space of " + layout.root() + ": " + e,
          e);
    }
    if (missing > usable) {
      List<String> names = new ArrayList<>();
      manifests.keySet().forEach(name -> names.add(name.displayShortest()));
      throw new StageException(
          StageException.Reason.NO_SPACE,
          "not enough space in "
              + layout.root()
              + ": the blobs still missing for "
              + String.join(", ", names)
              + " need "
              + amount(missing)
              + ", but only "
              + amount(usable)
              + " is free. Free "
              + amount(missing - usable)
              + " on that volume (or grow it), or stage fewer models per run. Nothing was"
              + " downloaded.");
    }
  }

  private static String amount(long bytes) {
    return ProgressLog.bytes(bytes) + " (" + bytes + " bytes)";
  }
}
