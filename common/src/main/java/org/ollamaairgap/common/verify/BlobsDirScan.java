package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Lists {@code blobs/} as Ollama's start-up does: {@code fixBlobs} walks all of it, at any depth
 * and without following links, renaming every {@code sha256:*} entry and stopping at the first
 * error; the prune looks at the top level only, at blobs no manifest references and leftovers of
 * interrupted pulls. Reads names and attributes only, one directory entry at a time, so a million
 * stray files cost counts, not memory.
 */
final class BlobsDirScan {
  private static final Pattern BLOB = Pattern.compile("sha256-[0-9a-f]{64}");
  private static final Pattern PARTIAL = Pattern.compile("sha256-[0-9a-f]{64}-partial(-[0-9]+)?");
  private static final int NAMES_KEPT = 5;

  /** How many files of one sort, their bytes and the first few names. */
  private static final class Tally {
    long count;
    long bytes;
    final List<String> names = new ArrayList<>();

    void add(String name, long size) {
      count++;
      bytes += size;
      if (names.size() < NAMES_KEPT) {
        names.add(name);
      }
    }

    String listed() {
      long more = count - names.size();
      return String.join(", ", names) + (more > 0 ? " and " + more + " more" : "");
    }
  }

  private final StoreLayout layout;
  private final Findings findings;
  private final Path realRoot;

  BlobsDirScan(StoreLayout layout, Findings findings, Path realRoot) {
    this.layout = layout;
    this.findings = findings;
    this.realRoot = realRoot;
  }

  /** Returns {count, bytes} of unreferenced blobs; adds findings for odd names. */
  long[] scan(Set<Digest> referenced) {
    Path dir = layout.blobsDir();
    Map<FindingKind, Tally> leftovers = new EnumMap<>(FindingKind.class);
    Tally unreferenced = new Tally();
    Set<String> referencedNames = new HashSet<>();
    referenced.forEach(d -> referencedNames.add(d.fileName()));
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      for (Path path : list) {
        String name = path.getFileName().toString();
        BasicFileAttributes attrs = attributes(path);
        boolean directory = attrs != null && attrs.isDirectory();
        long size = attrs == null || directory ? 0 : attrs.size();
        if (name.startsWith("sha256:")) {
          findings.add(legacy(path, name));
        } else if (attrs != null && attrs.isSymbolicLink() && directoryLink(path)) {
          continue; // Ollama's walk and prune do not follow it, and neither do we
        } else if (directory) {
          walkBelow(path); // the prune ignores directories; fixBlobs walks into them
          continue;
        } else if (BLOB.matcher(name).matches()) {
          if (!referencedNames.contains(name)) {
            unreferenced.add(name, size);
          }
        } else {
          leftovers.computeIfAbsent(leftoverKind(name), k -> new Tally()).add(name, size);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      findings.add(cannotList(dir, e));
      return new long[2];
    }
    leftovers.forEach((kind, tally) -> findings.add(leftover(dir, kind, tally)));
    if (unreferenced.count > 0) {
      findings.add(
          new Finding(
              FindingKind.UNREFERENCED_BLOBS,
              null,
              null,
              dir.toString(),
              null,
              unreferenced.count + " blobs, " + unreferenced.bytes + " bytes",
              unreferenced.count
                  + " blobs ("
                  + Findings.human(unreferenced.bytes)
                  + ") in "
                  + dir
                  + " are used by no manifest: "
                  + unreferenced.listed()
                  + PendingDeletion.note(
                      layout,
                      unreferenced.count,
                      name ->
                          !referencedNames.contains(name)
                              && Files.isRegularFile(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)),
              "delete them on the writable side to reclaim the space, or keep OLLAMA_NOPRUNE=1"
                  + " (without it ollama serve tries to delete them at start)"));
    }
    return new long[] {unreferenced.count, unreferenced.bytes};
  }

  private static FindingKind leftoverKind(String name) {
    if (PARTIAL.matcher(name).matches()) {
      return FindingKind.PARTIAL_LEFTOVER;
    }
    return name.endsWith(".tmp") ? FindingKind.TMP_LEFTOVER : FindingKind.STRAY_BLOB_FILE;
  }

  /** Whether a link leads to a directory: then only where it leads matters. */
  private boolean directoryLink(Path link) {
    try {
      Path target = link.toRealPath();
      if (Files.isDirectory(target)) {
        outsideStore(link, target);
        return true;
      }
    } catch (IOException e) {
      // dangling or a loop: judged by its name like a file, and a referenced one fails its check
    }
    return false;
  }

  /** Below the top level only legacy names matter: fixBlobs renames them at any depth. */
  private void walkBelow(Path dir) {
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      for (Path path : list) {
        String name = path.getFileName().toString();
        BasicFileAttributes attrs = attributes(path);
        if (name.startsWith("sha256:")) {
          findings.add(legacy(path, name));
        }
        if (attrs == null) {
          continue;
        }
        if (attrs.isSymbolicLink()) {
          directoryLink(path);
        } else if (attrs.isDirectory()) {
          walkBelow(path);
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      findings.add(cannotList(dir, e));
    }
  }

  private void outsideStore(Path link, Path target) {
    if (target.startsWith(realRoot)) {
      return;
    }
    findings.add(
        new Finding(
            FindingKind.LINK_OUTSIDE_STORE,
            null,
            null,
            link.toString(),
            null,
            null,
            link
                + " is a symbolic link to the directory "
                + target
                + ", outside the store "
                + layout.root()
                + "; the verifier does not follow it",
            "remove the link on the writable side: blobs/ holds blob files only"));
  }

  private static Finding cannotList(Path dir, Exception e) {
    return new Finding(
        FindingKind.BLOB_UNREADABLE,
        null,
        null,
        dir.toString(),
        null,
        null,
        dir
            + " cannot be listed ("
            + ManifestWalk.why(e)
            + "): ollama serve walks all of blobs/ at start and fails on the first error",
        "check the mount and that this user may read the directory");
  }

  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  private static Finding legacy(Path path, String name) {
    String modern = "sha256-" + name.substring("sha256:".length());
    return new Finding(
        FindingKind.LEGACY_BLOB_NAME,
        null,
        null,
        path.toString(),
        "name " + modern,
        "name " + name,
        "legacy blob name "
            + path
            + ": ollama serve renames every sha256: name under blobs/, at any depth, at every"
            + " start, even with OLLAMA_NOPRUNE=1, and fails on a read-only mount",
        "rename it to " + modern + " on the writable side (or delete it if " + modern + " exists)");
  }

  private static Finding leftover(Path dir, FindingKind kind, Tally tally) {
    String what =
        switch (kind) {
          case PARTIAL_LEFTOVER -> "leftovers of an interrupted pull (-partial)";
          case TMP_LEFTOVER -> "leftovers of an interrupted pull (.tmp)";
          default -> "files that are not blobs";
        };
    return new Finding(
        kind,
        null,
        null,
        dir.toString(),
        null,
        tally.count + " files, " + tally.bytes + " bytes",
        tally.count + " " + what + " in " + dir + ": " + tally.listed(),
        "finish or clean up the pull on the writable side; harmless with OLLAMA_NOPRUNE=1"
            + " (without it ollama serve tries to delete them at start)");
  }
}
