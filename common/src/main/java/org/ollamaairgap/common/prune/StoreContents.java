package org.ollamaairgap.common.prune;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * What a prune decides from: the manifests at {@code manifests/*&#47;*&#47;*&#47;*} (as Ollama
 * lists them), the {@code blobs/sha256-<hex>} files, and our own staging leftovers. Nothing is
 * followed through a symbolic link. Anything at manifest depth that looks like a model but cannot
 * be read is a <em>doubt</em>: it might reference any blob, so while there is one no blob is
 * deleted.
 *
 * @param manifests parsed manifests by name
 * @param manifestFiles where each manifest is
 * @param doubts entries at manifest depth that could not be read as manifests, with why
 * @param blobs blob files on disk and their sizes
 * @param leftovers regular files and our own trash directories under the staging directory
 */
public record StoreContents(
    Map<ModelName, Manifest> manifests,
    Map<ModelName, Path> manifestFiles,
    List<String> doubts,
    Map<Digest, Long> blobs,
    List<Leftover> leftovers) {

  /** A file or directory under {@code .ollama-airgap/staging/}, and when it last changed. */
  public record Leftover(Path path, long size, Instant modified, boolean trash) {}

  public static StoreContents scan(StoreLayout layout) throws IOException {
    for (Path dir : List.of(layout.manifestsDir(), layout.blobsDir(), layout.workDir())) {
      if (Files.isSymbolicLink(dir)) {
        throw new IOException(
            "refusing to prune: "
                + dir
                + " is a symbolic link (to "
                + Files.readSymbolicLink(dir)
                + "); a prune deletes only inside the store. Replace the link by the directory.");
      }
    }
    Map<ModelName, Manifest> manifests = new TreeMap<>(StoreContents::compareNames);
    Map<ModelName, Path> files = new TreeMap<>(StoreContents::compareNames);
    List<String> doubts = new ArrayList<>();
    walkManifests(layout.manifestsDir(), 0, manifests, files, doubts);
    return new StoreContents(manifests, files, doubts, blobs(layout.blobsDir()), leftovers(layout));
  }

  private static int compareNames(ModelName a, ModelName b) {
    return a.toString().compareTo(b.toString());
  }

  private static void walkManifests(
      Path dir,
      int depth,
      Map<ModelName, Manifest> manifests,
      Map<ModelName, Path> files,
      List<String> doubts)
      throws IOException {
    for (Path entry : list(dir)) {
      BasicFileAttributes attrs =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (depth < 3) {
        if (attrs.isDirectory()) {
          walkManifests(entry, depth + 1, manifests, files, doubts);
        } else if (attrs.isSymbolicLink()) {
          doubts.add(entry + " is a symbolic link where a directory of models is expected");
        }
        continue;
      }
      Path relative = dir.getParent().getParent().getParent().relativize(entry);
      ModelName name;
      try {
        name = ModelName.fromManifestPath(relative);
      } catch (StoreException e) {
        continue; // not a name Ollama would list (.DS_Store and the like): references nothing
      }
      if (!attrs.isRegularFile()) {
        doubts.add(entry + " is not a regular file");
        continue;
      }
      try {
        manifests.put(name, Manifest.parse(Files.readAllBytes(entry)));
        files.put(name, entry);
      } catch (StoreException | IOException e) {
        doubts.add(entry + " cannot be read as a manifest: " + e.getMessage());
      }
    }
  }

  private static Map<Digest, Long> blobs(Path blobsDir) throws IOException {
    Map<Digest, Long> blobs = new TreeMap<>();
    for (Path entry : list(blobsDir)) {
      String name = entry.getFileName().toString();
      if (!name.startsWith("sha256-")) {
        continue;
      }
      BasicFileAttributes attrs =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        continue;
      }
      try {
        blobs.put(Digest.parse("sha256:" + name.substring("sha256-".length())), attrs.size());
      } catch (StoreException e) {
        // not one of Ollama's blob names (e.g. "-partial"): never ours to delete
      }
    }
    return blobs;
  }

  private static List<Leftover> leftovers(StoreLayout layout) throws IOException {
    List<Leftover> leftovers = new ArrayList<>();
    Path staging = layout.stagingDir();
    if (Files.isSymbolicLink(staging)) {
      return leftovers;
    }
    for (Path entry : list(staging)) {
      BasicFileAttributes attrs =
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      boolean trash = layout.isPruneTrash(entry) && attrs.isDirectory();
      if (attrs.isRegularFile() || trash) {
        leftovers.add(
            new Leftover(entry, attrs.size(), attrs.lastModifiedTime().toInstant(), trash));
      }
    }
    return leftovers;
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException e) {
      return entries;
    }
    entries.sort(null);
    return entries;
  }
}
