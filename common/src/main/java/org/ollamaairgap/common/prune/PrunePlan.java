package org.ollamaairgap.common.prune;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;

/**
 * What a prune will do, decided from the store alone: a pure function of what is on disk, the model
 * list, the scope, the tombstones and the clock, so a dry run prints exactly what a real run then
 * does.
 *
 * <p>A blob is deleted only when it was already tombstoned <em>before</em> this run and the grace
 * has passed since, so a blob that a manifest referenced a moment ago is never deleted in the same
 * run (a production Ollama may have it open over NFS). A tombstoned blob that a manifest references
 * again loses its tombstone. While anything at manifest depth cannot be read, no blob is tombstoned
 * or deleted: that entry might reference it.
 *
 * @param removals manifests to remove, in order
 * @param tombstones the tombstone list once the manifests are removed (deletions included)
 * @param deletions blobs to delete, each with its tombstone
 * @param leftovers staging files older than the grace, and trash a killed prune left
 * @param revived blobs whose tombstone is dropped because a manifest references them again
 * @param blobsHeldBack why no blob is tombstoned or deleted this time, or null
 */
public record PrunePlan(
    List<Removal> removals,
    Tombstones tombstones,
    List<Tombstone> deletions,
    List<StoreContents.Leftover> leftovers,
    List<Digest> revived,
    String blobsHeldBack) {

  /** A manifest to remove: the model, its file and its size. */
  public record Removal(ModelName name, Path file, long manifestBytes) {}

  /** The grace period, the clock, the model list and the scope a plan is made with. */
  public record Rules(
      Collection<ModelName> listed, PruneScope scope, Duration grace, Instant now) {}

  public static PrunePlan make(StoreContents store, Tombstones previous, Rules rules) {
    List<Removal> removals = new ArrayList<>();
    Set<Digest> referencedBefore = new HashSet<>();
    Set<Digest> referencedAfter = new HashSet<>();
    Map<Digest, ModelName> leftBy = new java.util.HashMap<>();
    for (Map.Entry<ModelName, Manifest> entry : store.manifests().entrySet()) {
      ModelName name = entry.getKey();
      Manifest manifest = entry.getValue();
      boolean remove = rules.scope().contains(name) && !listed(name, rules.listed());
      for (Descriptor d : manifest.descriptors()) {
        referencedBefore.add(d.digest());
        if (remove) {
          leftBy.putIfAbsent(d.digest(), name);
        } else {
          referencedAfter.add(d.digest());
        }
      }
      if (remove) {
        removals.add(new Removal(name, store.manifestFiles().get(name), manifest.bytes().length));
      }
    }
    List<StoreContents.Leftover> leftovers = new ArrayList<>();
    for (StoreContents.Leftover leftover : store.leftovers()) {
      if (leftover.trash() || expired(leftover.modified(), rules)) {
        leftovers.add(leftover);
      }
    }
    List<Digest> revived = new ArrayList<>();
    for (Tombstone t : previous.all()) {
      if (referencedAfter.contains(t.digest()) || referencedBefore.contains(t.digest())) {
        revived.add(t.digest());
      }
    }
    if (!store.doubts().isEmpty()) {
      String why =
          store.doubts().size()
              + " entr"
              + (store.doubts().size() == 1 ? "y" : "ies")
              + " under manifests/ cannot be read, and might reference any blob: "
              + store.doubts().get(0);
      return new PrunePlan(removals, previous, List.of(), leftovers, List.of(), why);
    }
    List<Tombstone> kept = new ArrayList<>();
    List<Tombstone> deletions = new ArrayList<>();
    for (Map.Entry<Digest, Long> blob : store.blobs().entrySet()) {
      Digest digest = blob.getKey();
      if (referencedAfter.contains(digest)) {
        continue;
      }
      Tombstone old = previous.get(digest);
      if (referencedBefore.contains(digest) || old == null) {
        ModelName by = leftBy.get(digest);
        kept.add(
            new Tombstone(digest, blob.getValue(), rules.now(), by == null ? "" : by.toString()));
      } else {
        Tombstone current = new Tombstone(digest, blob.getValue(), old.since(), old.model());
        kept.add(current);
        if (expired(old.since(), rules)) {
          deletions.add(current);
        }
      }
    }
    return new PrunePlan(removals, Tombstones.of(kept), deletions, leftovers, revived, null);
  }

  private static boolean expired(Instant since, Rules rules) {
    return !since.plus(rules.grace()).isAfter(rules.now());
  }

  private static boolean listed(ModelName name, Collection<ModelName> listed) {
    for (ModelName wanted : listed) {
      if (wanted.sameAs(name)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return removals.isEmpty() && deletions.isEmpty() && leftovers.isEmpty();
  }

  /** Bytes the plan deletes: blobs, manifests and leftovers. */
  public long bytes() {
    long sum = 0;
    for (Removal r : removals) {
      sum = saturatedAdd(sum, r.manifestBytes());
    }
    for (Tombstone t : deletions) {
      sum = saturatedAdd(sum, t.size());
    }
    for (StoreContents.Leftover l : leftovers) {
      sum = saturatedAdd(sum, l.size());
    }
    return sum;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
