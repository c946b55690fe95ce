package org.ollamaairgap.common.verify;

import java.time.Instant;
import java.util.function.Predicate;
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
   * @param count how many blobs are unreferenced
   * @param unreferenced whether a blob file name ({@code sha256-<hex>}) is one of them; a test, not
   *     a list, so that a store with a million of them costs no memory
   */
  static String note(StoreLayout layout, long count, Predicate<String> unreferenced) {
    Tombstones tombstones = Tombstones.read(layout.tombstones()).tombstones();
    if (tombstones.isEmpty()) {
      return "";
    }
    int pending = 0;
    Instant oldest = null;
    for (Tombstone t : tombstones.all()) {
      if (unreferenced.test(t.digest().fileName())) {
        pending++;
        oldest = oldest == null || t.since().isBefore(oldest) ? t.since() : oldest;
      }
    }
    if (pending == 0) {
      return "";
    }
    return "; "
        + (pending == count ? "all of them are" : pending + " of them are")
        + " pending deletion by the stager's prune (unreferenced since "
        + oldest
        + "), which deletes them once its grace has passed";
  }
}
