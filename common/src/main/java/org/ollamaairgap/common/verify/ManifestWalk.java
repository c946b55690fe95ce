package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Walks {@code manifests/} as Ollama sees it and parses every manifest strictly. Ollama globs
 * exactly {@code manifests/*&#47;*&#47;*&#47;*}, following symbolic links, and stats every match
 * before it looks at the name, so one entry there that cannot be stat'ed breaks the listing of
 * every model. Its start-up prune walks the real directories (links not followed) and removes the
 * empty ones. The walk follows links above the manifest depth as the glob does, but only inside the
 * store; it lists each directory as a stream and keeps only the manifests, so junk files cost
 * findings, not memory.
 */
final class ManifestWalk {
  private static final int MANIFEST_DEPTH = 4;
  private static final String EMPTY_HINT =
      "remove it on the writable side, or run Ollama with OLLAMA_NOPRUNE=1 (without it ollama"
          + " serve deletes empty directories at start and fails on a read-only mount)";

  private final StoreLayout layout;
  private final Findings findings;
  private final Path realRoot;
  private final List<ManifestEntry> entries = new ArrayList<>();

  ManifestWalk(StoreLayout layout, Findings findings, Path realRoot) {
    this.layout = layout;
    this.findings = findings;
    this.realRoot = realRoot;
  }

  List<ManifestEntry> walk() {
    Path base = layout.manifestsDir();
    if (Files.isSymbolicLink(base) && leavesStore(base, base)) {
      return entries;
    }
    if (!visit(base, 0, false)) {
      findings.add(
          finding(FindingKind.EMPTY_MANIFEST_DIR, base, base + " holds no manifest at all")
              .hint(EMPTY_HINT));
    }
    entries.sort(Comparator.comparing(e -> e.file().toString()));
    return entries;
  }

  /**
   * Visits one directory at {@code depth} (0 is {@code manifests/}); returns whether it holds
   * anything but empty directories, which is what Ollama's prune keeps. Empty directories are
   * reported at the top of each empty subtree only (removing it removes the rest), and only on the
   * real tree, not through links.
   */
  private boolean visit(Path dir, int depth, boolean throughLink) {
    boolean holds = false;
    List<Path> empty = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      for (Path entry : list) {
        int at = depth + 1;
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          holds = true;
          cannotLookAt(entry, at, "cannot be read (" + why(e) + ")");
          continue;
        }
        if (attrs.isDirectory()) {
          if (throughLink && at >= MANIFEST_DEPTH) {
            continue; // Ollama's glob stops here and its prune reaches the real directory
          }
          if (visit(entry, at, throughLink)) {
            holds = true;
          } else if (!throughLink) {
            empty.add(entry);
          }
          continue;
        }
        holds = true;
        if (attrs.isSymbolicLink()) {
          link(entry, at);
        } else {
          file(entry, at, attrs);
        }
        if (!empty.isEmpty() && !throughLink) {
          empty.forEach(this::reportEmpty);
          empty.clear();
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      // Ollama's glob silently skips a directory it cannot list; its prune fails on it.
      findings.add(
          finding(
                  FindingKind.INVALID_MANIFEST,
                  dir,
                  dir + " cannot be listed (" + why(e) + "), so Ollama sees no model in it")
              .hint("check the mount and that this user may read the directory"));
      return true;
    }
    if (holds) {
      empty.forEach(this::reportEmpty);
    }
    return holds;
  }

  /** A symbolic link: followed as Ollama's glob follows it, but never out of the store. */
  private void link(Path link, int depth) {
    if (depth > MANIFEST_DEPTH) {
      return; // Ollama's glob never gets here and its prune does not follow links
    }
    Path target;
    BasicFileAttributes attrs;
    try {
      target = link.toRealPath();
      attrs = Files.readAttributes(target, BasicFileAttributes.class);
    } catch (IOException e) {
      cannotLookAt(link, depth, "is a symbolic link that leads nowhere (" + why(e) + ")");
      return;
    }
    if (leavesStore(link, target)) {
      return;
    }
    if (attrs.isDirectory()) {
      if (depth < MANIFEST_DEPTH) {
        visit(link, depth, true);
      }
      return; // a directory at the tag level: Ollama skips it
    }
    file(link, depth, attrs);
  }

  private boolean leavesStore(Path link, Path target) {
    Path real;
    try {
      real = target.toRealPath();
    } catch (IOException e) {
      return false; // the caller reports what it cannot follow
    }
    if (real.startsWith(realRoot)) {
      return false;
    }
    findings.add(
        finding(
                FindingKind.LINK_OUTSIDE_STORE,
                link,
                link
                    + " is a symbolic link to "
                    + real
                    + ", outside the store "
                    + layout.root()
                    + "; the verifier does not follow it, so nothing Ollama would find through it"
                    + " is checked")
            .hint(
                "copy what it points at into the store on the writable side and replace the link"
                    + " by it, or remove the link"));
    return true;
  }

  /** An entry Ollama cannot stat: fatal for every listing at the manifest depth, skipped above. */
  private void cannotLookAt(Path entry, int depth, String why) {
    if (depth == MANIFEST_DEPTH) {
      findings.failAll();
      findings.add(
          finding(
                  FindingKind.MANIFEST_LISTING_BROKEN,
                  entry,
                  entry
                      + " "
                      + why
                      + ": Ollama stats every entry at manifests/*/*/*/* to list models and stops"
                      + " at this one, so /api/tags fails and no model can be found; every model in"
                      + " the store is affected")
              .hint("remove it (or make it a readable manifest file) on the writable side"));
    } else if (depth < MANIFEST_DEPTH) {
      findings.add(
          finding(
                  FindingKind.IGNORED_MANIFEST_FILE,
                  entry,
                  entry + " " + why + "; Ollama skips it and sees no model under it")
              .hint("nothing, unless models were meant to be there"));
    }
  }

  private void file(Path file, int depth, BasicFileAttributes attrs) {
    if (depth == MANIFEST_DEPTH) {
      ManifestEntry entry = readManifest(file, attrs);
      if (entry != null) {
        entries.add(entry);
      }
      return;
    }
    findings.add(
        finding(
                FindingKind.IGNORED_MANIFEST_FILE,
                file,
                file
                    + " is not at manifests/<host>/<namespace>/<model>/<tag>, so Ollama ignores it")
            .hint("nothing, unless it was meant to be a model"));
  }

  private void reportEmpty(Path dir) {
    findings.add(
        finding(FindingKind.EMPTY_MANIFEST_DIR, dir, "empty directory " + dir).hint(EMPTY_HINT));
  }

  /** Null when the path names no model (a finding says why). */
  private ManifestEntry readManifest(Path file, BasicFileAttributes attrs) {
    Path relative = layout.manifestsDir().relativize(file);
    ModelName name;
    try {
      name = ModelName.fromManifestPath(relative);
    } catch (StoreException e) {
      if (isDotFile(relative)) {
        findings.add(
            finding(
                    FindingKind.DOT_FILE,
                    file,
                    file
                        + " is a dot-file (left by macOS or a copy through a Mac-formatted disk):"
                        + " Ollama skips it, but it makes its start-up prune skip its work")
                .hint("delete it on the writable side; harmless with OLLAMA_NOPRUNE=1"));
      } else {
        findings.add(
            finding(
                    FindingKind.INVALID_MODEL_NAME,
                    file,
                    file
                        + " does not name a valid model ("
                        + e.getMessage()
                        + "), so Ollama skips it")
                .hint("remove the file or move it to manifests/<host>/<namespace>/<model>/<tag>"));
      }
      return null;
    }
    String problem = null;
    Manifest manifest = null;
    if (!attrs.isRegularFile()) {
      problem = "is not a regular file";
    } else if (attrs.size() > Manifest.MAX_BYTES) {
      problem = "has " + attrs.size() + " bytes, more than a manifest may have";
    } else {
      try {
        manifest = Manifest.parse(Files.readAllBytes(file));
      } catch (StoreException e) {
        problem = "is " + e.getMessage();
      } catch (IOException e) {
        problem = "cannot be read (" + why(e) + ")";
      }
    }
    if (problem != null) {
      String model = name.displayShortest();
      findings.add(
          new Finding(
              FindingKind.INVALID_MANIFEST,
              model,
              null,
              file.toString(),
              null,
              null,
              "manifest " + file + " " + problem,
              "stage " + model + " again (or delete the manifest)"));
    }
    return new ManifestEntry(file, name, manifest);
  }

  /** The system's reason without the path the message already names. */
  static String why(Exception e) {
    Throwable cause = e instanceof DirectoryIteratorException d ? d.getCause() : e;
    if (cause instanceof NoSuchFileException) {
      return "no such file";
    }
    if (cause instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(cause.getMessage());
  }

  private static boolean isDotFile(Path relative) {
    for (Path element : relative) {
      if (element.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static Draft finding(FindingKind kind, Path path, String message) {
    return new Draft(kind, path, message);
  }

  /** A finding about a path and no model, waiting for its hint. */
  private record Draft(FindingKind kind, Path path, String message) {
    Finding hint(String hint) {
      return new Finding(kind, null, null, path.toString(), null, null, message, hint);
    }
  }
}
