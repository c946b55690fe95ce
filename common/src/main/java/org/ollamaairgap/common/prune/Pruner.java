package org.ollamaairgap.common.prune;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Carries out a {@link PrunePlan} in an order that survives a kill at any point:
 *
 * <ol>
 *   <li>the tombstone list is written first (it names the blobs the removed manifests leave), so a
 *       kill after a manifest is gone still has its blobs waiting for the grace;
 *   <li>each manifest leaves {@code manifests/} in one rename: of the manifest file, or of the
 *       highest directory it would leave empty (an empty directory under {@code manifests/} stops
 *       {@code ollama serve} on a read-only mount), into our staging directory, and is deleted
 *       there;
 *   <li>expired blobs are unlinked, one at a time;
 *   <li>the tombstone list is written again without them;
 *   <li>staging leftovers are deleted.
 * </ol>
 *
 * The caller holds the single-writer lock. Only paths the plan names, all inside the store, are
 * touched, and none is followed through a symbolic link.
 */
public final class Pruner {
  private final StoreLayout layout;
  private final StoreWriter writer;
  private final PruneListener listener;

  public Pruner(StoreWriter writer, PruneListener listener) {
    this.layout = writer.layout();
    this.writer = writer;
    this.listener = listener;
  }

  public PruneResult carryOut(PrunePlan plan, Duration grace) throws IOException {
    Map<String, Long> byModel = new TreeMap<>();
    long bytes = 0;
    int tombstoned =
        plan.blobsHeldBack() == null ? plan.tombstones().size() - plan.deletions().size() : 0;
    StoreWriter.mkdirs(layout.stagingDir());
    if (plan.blobsHeldBack() == null) {
      plan.tombstones().write(writer, layout.tombstones());
    }
    for (PrunePlan.Removal removal : plan.removals()) {
      removeManifest(removal.file());
      String model = removal.name().toString();
      listener.deleted(
          removal.file(), removal.manifestBytes(), model, "model " + model + " is not listed");
      byModel.merge(model, removal.manifestBytes(), Long::sum);
      bytes += removal.manifestBytes();
    }
    int deleted = 0;
    for (Tombstone t : plan.deletions()) {
      Path blob = layout.blob(t.digest());
      if (Files.deleteIfExists(blob)) {
        deleted++;
        bytes += t.size();
        byModel.merge(t.model(), t.size(), Long::sum);
        listener.deleted(
            blob,
            t.size(),
            t.model(),
            "no manifest has referenced it since "
                + t.since()
                + ", longer than the grace "
                + grace);
      }
    }
    if (plan.blobsHeldBack() == null && !plan.deletions().isEmpty()) {
      java.util.List<Tombstone> rest = new java.util.ArrayList<>(plan.tombstones().all());
      rest.removeAll(plan.deletions());
      Tombstones.of(rest).write(writer, layout.tombstones());
    }
    int leftovers = 0;
    for (StoreContents.Leftover leftover : plan.leftovers()) {
      deleteTree(leftover.path());
      leftovers++;
      bytes += leftover.size();
      listener.deleted(
          leftover.path(),
          leftover.size(),
          "",
          leftover.trash()
              ? "left by an interrupted prune"
              : "a staging leftover unchanged since " + leftover.modified() + ", past the grace");
    }
    byModel.remove("");
    return new PruneResult(plan.removals().size(), tombstoned, deleted, leftovers, bytes, byModel);
  }

  /** Moves the manifest, or the highest directory it alone keeps non-empty, out in one rename. */
  private void removeManifest(Path manifest) throws IOException {
    Path target = manifest;
    Path dir = manifest.getParent();
    while (!dir.equals(layout.manifestsDir()) && onlyEntry(dir, target)) {
      target = dir;
      dir = dir.getParent();
    }
    if (target.equals(manifest)) {
      Files.deleteIfExists(manifest);
      return;
    }
    Path trash = layout.pruneTrash(Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(trash);
  }

  private static boolean onlyEntry(Path dir, Path entry) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        if (!p.equals(entry)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Deletes a file or a directory tree, links themselves and never what they point at. */
  private static void deleteTree(Path path) throws IOException {
    if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone: a second prune after a kill
    }
  }
}
