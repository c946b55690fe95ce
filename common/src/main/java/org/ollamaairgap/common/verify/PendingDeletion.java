package org.ollamaairgap.common.verify;

import java.time.Instant;
import java.util.List;
import org.ollamaairgap.common.prune.Tombstone;
import org.ollamaairgap.common.prune.Tombstones;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * What the stager's prune has already planned for unreferenced blobs: read from its tombstone list,
 * only to say so in the warning (a tombstoned blob is no more a problem than any other unreferenced
 * one, and the list is never trusted for anything else).
 */
final class PendingDeletion {
  private PendingDeletion() {}

  /**
   * A sentence for the unreferenced-blobs warning, or empty.
   *
   * @param names unreferenced blob file names ({@code sha256-<hex>})
   */
  static String note(StoreLayout layout, List<String> names) {
    Tombstones tombstones = Tombstones.read(layout.tombstones()).tombstones();
    if (tombstones.isEmpty()) {
      return "";
    }
    int pending = 0;
    Instant oldest = null;
    for (Tombstone t : tombstones.all()) {
      if (names.contains(t.digest().fileName())) {
        pending++;
        oldest = oldest == null || t.since().isBefore(oldest) ? t.since() : oldest;
      }
    }
    if (pending == 0) {
      return "";
    }
    return "; "
        + (pending == names.size() ? "all of them are" : pending + " of them are")
        + " pending deletion by the stager's prune (unreferenced since "
        + oldest
        + "), which deletes them once its grace has passed";
  }
}
