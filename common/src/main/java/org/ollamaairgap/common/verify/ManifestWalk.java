package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Walks {@code manifests/*&#47;*&#47;*&#47;*} exactly as Ollama lists models and parses every
 * manifest strictly. Files elsewhere in the tree, names Ollama would skip and empty directories
 * that Ollama's start-up prune would try to remove are findings.
 */
final class ManifestWalk {
  private static final int MANIFEST_DEPTH = 4;

  private final StoreLayout layout;
  private final Findings findings;

  ManifestWalk(StoreLayout layout, Findings findings) {
    this.layout = layout;
    this.findings = findings;
  }

  List<ManifestEntry> walk() {
    Path base = layout.manifestsDir();
    List<ManifestEntry> entries = new ArrayList<>();
    Set<Path> emptyTrees = new LinkedHashSet<>();
    Deque<int[]> counts = new ArrayDeque<>();
    try {
      Files.walkFileTree(
          base,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          MANIFEST_DEPTH + 4,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              counts.push(new int[1]);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (!counts.isEmpty()) {
                counts.peek()[0]++;
              }
              Path relative = base.relativize(file);
              if (attrs.isDirectory()) {
                return FileVisitResult.CONTINUE; // deeper than we walk: Ollama ignores it too
              }
              if (relative.getNameCount() == MANIFEST_DEPTH) {
                entries.add(readManifest(file, relative, attrs));
              } else {
                findings.add(
                    new Finding(
                        FindingKind.IGNORED_MANIFEST_FILE,
                        null,
                        null,
                        file.toString(),
                        null,
                        null,
                        file
                            + " is not at manifests/<host>/<namespace>/<model>/<tag>, so Ollama"
                            + " ignores it",
                        "nothing, unless it was meant to be a model"));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (!counts.isEmpty()) {
                counts.peek()[0]++;
              }
              String why =
                  e instanceof FileSystemLoopException
                      ? "is a symbolic link loop"
                      : "cannot be read (" + e + ")";
              findings.add(
                  new Finding(
                      FindingKind.INVALID_MANIFEST,
                      null,
                      null,
                      file.toString(),
                      null,
                      null,
                      file + " " + why,
                      "fix or remove it on the writable side"));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              int files = counts.pop()[0];
              if (files == 0) {
                emptyTrees.add(dir);
              } else if (!counts.isEmpty()) {
                counts.peek()[0] += files;
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      findings.add(
          new Finding(
              FindingKind.INVALID_MANIFEST,
              null,
              null,
              base.toString(),
              null,
              null,
              base + " cannot be listed (" + e + ")",
              "check the mount and permissions"));
    }
    reportEmptyDirectories(base, emptyTrees);
    entries.sort(Comparator.comparing(e -> e.file().toString()));
    return entries;
  }

  /**
   * Ollama's start-up prune removes every directory under {@code manifests/} that holds no file,
   * bottom-up, and {@code manifests/} itself when it ends up empty; on a read-only mount the first
   * removal fails and so does the start. Only the topmost directory of each empty subtree is
   * reported: removing it removes the rest.
   */
  private void reportEmptyDirectories(Path base, Set<Path> emptyTrees) {
    String hint =
        "remove it on the writable side, or run Ollama with OLLAMA_NOPRUNE=1 (without it ollama"
            + " serve deletes empty directories at start and fails on a read-only mount)";
    if (emptyTrees.contains(base)) {
      findings.add(
          new Finding(
              FindingKind.EMPTY_MANIFEST_DIR,
              null,
              null,
              base.toString(),
              null,
              null,
              base + " holds no manifest at all",
              hint));
      return;
    }
    for (Path dir : emptyTrees) {
      if (!emptyTrees.contains(dir.getParent())) {
        findings.add(
            new Finding(
                FindingKind.EMPTY_MANIFEST_DIR,
                null,
                null,
                dir.toString(),
                null,
                null,
                "empty directory " + dir,
                hint));
      }
    }
  }

  private ManifestEntry readManifest(Path file, Path relative, BasicFileAttributes attrs) {
    ModelName name;
    try {
      name = ModelName.fromManifestPath(relative);
    } catch (StoreException e) {
      findings.add(
          new Finding(
              FindingKind.INVALID_MODEL_NAME,
              null,
              null,
              file.toString(),
              null,
              null,
              file + " does not name a valid model (" + e.getMessage() + "), so Ollama skips it",
              "remove the file or move it to manifests/<host>/<namespace>/<model>/<tag>"));
      return new ManifestEntry(file, null, null);
    }
    String problem = null;
    Manifest manifest = null;
    if (attrs.isSymbolicLink()) {
      problem = "is a dangling symbolic link";
    } else if (!attrs.isRegularFile()) {
      problem = "is not a regular file";
    } else if (attrs.size() > Manifest.MAX_BYTES) {
      problem = "has " + attrs.size() + " bytes, more than a manifest may have";
    } else {
      try {
        manifest = Manifest.parse(Files.readAllBytes(file));
      } catch (StoreException e) {
        problem = "is " + e.getMessage();
      } catch (IOException e) {
        problem = "cannot be read (" + e + ")";
      }
    }
    if (problem != null) {
      findings.add(
          new Finding(
              FindingKind.INVALID_MANIFEST,
              name.displayShortest(),
              null,
              file.toString(),
              null,
              null,
              "manifest " + file + " " + problem,
              "stage " + name.displayShortest() + " again (or delete the manifest)"));
    }
    return new ManifestEntry(file, name, manifest);
  }
}
