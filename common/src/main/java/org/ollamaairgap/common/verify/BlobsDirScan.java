package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Lists {@code blobs/} as Ollama's start-up does: blobs no manifest references, legacy {@code
 * sha256:} names it would rename, and leftovers of interrupted pulls it would try to delete. Reads
 * names and attributes only.
 */
final class BlobsDirScan {
  private static final Pattern BLOB = Pattern.compile("sha256-[0-9a-f]{64}");
  private static final Pattern PARTIAL = Pattern.compile("sha256-[0-9a-f]{64}-partial(-[0-9]+)?");

  private final StoreLayout layout;
  private final Findings findings;

  BlobsDirScan(StoreLayout layout, Findings findings) {
    this.layout = layout;
    this.findings = findings;
  }

  /** Returns {count, bytes} of unreferenced blobs; adds findings for odd names. */
  long[] scan(Set<Digest> referenced) {
    Path dir = layout.blobsDir();
    Map<FindingKind, List<String>> leftovers = new EnumMap<>(FindingKind.class);
    Map<FindingKind, long[]> leftoverBytes = new EnumMap<>(FindingKind.class);
    List<String> unreferenced = new ArrayList<>();
    long unreferencedBytes = 0;
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      list.forEach(entries::add);
    } catch (IOException e) {
      findings.add(
          new Finding(
              FindingKind.BLOB_UNREADABLE,
              null,
              null,
              dir.toString(),
              null,
              null,
              dir + " cannot be listed (" + e + ")",
              "check the mount and permissions"));
      return new long[2];
    }
    entries.sort(Comparator.naturalOrder());
    Set<String> referencedNames = new HashSet<>();
    referenced.forEach(d -> referencedNames.add(d.fileName()));
    for (Path path : entries) {
      String name = path.getFileName().toString();
      BasicFileAttributes attrs = attributes(path);
      boolean directory = attrs != null && attrs.isDirectory();
      long size = attrs == null || directory ? 0 : attrs.size();
      if (name.startsWith("sha256:")) {
        findings.add(legacy(path, name));
      } else if (BLOB.matcher(name).matches()) {
        if (!referencedNames.contains(name)) {
          unreferenced.add(name);
          unreferencedBytes += size;
        }
      } else if (directory) {
        continue; // Ollama's prune looks at files only
      } else {
        FindingKind kind =
            PARTIAL.matcher(name).matches()
                ? FindingKind.PARTIAL_LEFTOVER
                : name.endsWith(".tmp") ? FindingKind.TMP_LEFTOVER : FindingKind.STRAY_BLOB_FILE;
        leftovers.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
        leftoverBytes.computeIfAbsent(kind, k -> new long[1])[0] += size;
      }
    }
    leftovers.forEach(
        (kind, names) -> findings.add(leftover(dir, kind, names, leftoverBytes.get(kind)[0])));
    if (!unreferenced.isEmpty()) {
      findings.add(
          new Finding(
              FindingKind.UNREFERENCED_BLOBS,
              null,
              null,
              dir.toString(),
              null,
              unreferenced.size() + " blobs, " + unreferencedBytes + " bytes",
              unreferenced.size()
                  + " blobs ("
                  + Findings.human(unreferencedBytes)
                  + ") in "
                  + dir
                  + " are used by no manifest: "
                  + Findings.listed(unreferenced)
                  + PendingDeletion.note(layout, unreferenced),
              "delete them on the writable side to reclaim the space, or keep OLLAMA_NOPRUNE=1"
                  + " (without it ollama serve tries to delete them at start)"));
    }
    return new long[] {unreferenced.size(), unreferencedBytes};
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
            + ": ollama serve renames it at every start, even with"
            + " OLLAMA_NOPRUNE=1, and fails on a read-only mount",
        "rename it to " + modern + " on the writable side (or delete it if " + modern + " exists)");
  }

  private static Finding leftover(Path dir, FindingKind kind, List<String> names, long bytes) {
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
        names.size() + " files, " + bytes + " bytes",
        names.size() + " " + what + " in " + dir + ": " + Findings.listed(names),
        "finish or clean up the pull on the writable side; harmless with OLLAMA_NOPRUNE=1"
            + " (without it ollama serve tries to delete them at start)");
  }
}
