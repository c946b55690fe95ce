package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Verifies a whole Ollama store: walks {@code manifests/*&#47;*&#47;*&#47;*} exactly as Ollama
 * lists models, parses every manifest strictly, checks each distinct blob once (in parallel, the
 * largest first), checks the required and pinned models, and reports what would make {@code ollama
 * serve} fail or mutate a read-only store. It only reads: nothing in the store is created, changed
 * or opened unless it is a regular file.
 */
public final class StoreVerifier {
  private static final Pattern BLOB = Pattern.compile("sha256-[0-9a-f]{64}");
  private static final Pattern PARTIAL = Pattern.compile("sha256-[0-9a-f]{64}-partial(-[0-9]+)?");
  private static final int MANIFEST_DEPTH = 4;
  private static final int LISTED_NAMES = 5;

  /**
   * How to verify.
   *
   * @param hash hash every blob ({@code full}) or only check presence and size ({@code size})
   * @param parallelism blobs checked at once, at least 1
   * @param requirements models that must be present, some pinned to a manifest digest
   */
  public record Options(boolean hash, int parallelism, List<Requirement> requirements) {
    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      requirements = List.copyOf(requirements);
    }
  }

  /** A manifest file found by the walk, valid or not. */
  private record Entry(Path file, ModelName name, Manifest manifest) {
    String display() {
      return name == null ? file.toString() : name.displayShortest();
    }
  }

  /** Who references a blob, and with which size. */
  private static final class Reference {
    final Digest digest;
    final long size;
    final Set<String> models = new LinkedHashSet<>();
    final Set<String> disagreeing = new LinkedHashSet<>();

    Reference(Digest digest, long size) {
      this.digest = digest;
      this.size = size;
    }
  }

  private final StoreLayout layout;
  private final Options options;
  private final VerifyListener listener;
  private final List<Finding> findings = new ArrayList<>();

  public StoreVerifier(StoreLayout layout, Options options, VerifyListener listener) {
    this.layout = layout;
    this.options = options;
    this.listener = listener;
  }

  /**
   * Runs the verification. Problems with models are findings in the report; only a store that
   * cannot be looked at at all is an exception.
   */
  public VerificationReport verify() throws StoreUnavailableException, InterruptedException {
    long start = System.nanoTime();
    checkRoot();
    boolean blobsDir = checkDir(layout.blobsDir(), FindingKind.BLOBS_DIR_MISSING);
    boolean manifestsDir = checkDir(layout.manifestsDir(), FindingKind.MANIFESTS_DIR_MISSING);
    List<Entry> entries = manifestsDir ? walkManifests() : List.of();
    Map<Digest, Reference> references = references(entries);
    long total = references.values().stream().mapToLong(r -> r.size).sum();
    listener.planned(
        new VerificationPlan(
            layout.root(),
            options.hash(),
            options.parallelism(),
            entries.size(),
            references.size(),
            total));
    checkRequirements(entries);
    LongAdder checked = new LongAdder();
    // Without blobs/ every blob is missing: one finding says so, not one per blob.
    Map<Digest, BlobCheck> checks =
        blobsDir ? checkBlobs(references, checked) : new LinkedHashMap<>();
    long[] unreferenced = blobsDir ? scanBlobsDir(references.keySet()) : new long[2];
    List<ModelResult> models = results(entries, checks);
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(Finding::severity));
    return new VerificationReport(
        layout.root().toString(),
        options.hash() ? "full" : "size",
        options.parallelism(),
        models,
        checks.size(),
        checked.sum(),
        (int) unreferenced[0],
        unreferenced[1],
        sorted,
        (System.nanoTime() - start) / 1_000_000);
  }

  private void checkRoot() throws StoreUnavailableException {
    Path root = layout.root();
    if (!Files.exists(root)) {
      throw new StoreUnavailableException(
          "models directory "
              + root
              + " does not exist: check OLLAMA_MODELS / --models-dir and the volume mount");
    }
    if (!Files.isDirectory(root)) {
      throw new StoreUnavailableException(
          "models directory " + root + " is not a directory: check OLLAMA_MODELS / --models-dir");
    }
    try (DirectoryStream<Path> list = Files.newDirectoryStream(root)) {
      var unused = list.iterator().hasNext(); // listing is what proves it readable
    } catch (IOException | RuntimeException e) {
      throw new StoreUnavailableException(
          "models directory "
              + root
              + " cannot be read ("
              + e
              + "): check the mount and that this user may read it",
          e);
    }
  }

  private boolean checkDir(Path dir, FindingKind kind) throws StoreUnavailableException {
    if (Files.isDirectory(dir)) {
      if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
        throw new StoreUnavailableException(
            dir + " cannot be read: check that this user may read and enter it");
      }
      return true;
    }
    String what =
        Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? "is not a directory" : "is missing";
    String hint =
        kind == FindingKind.BLOBS_DIR_MISSING
            ? "ollama serve creates blobs/ at start and fails on a read-only mount; stage the models"
                + " again or create the empty directory on the writable side"
            : "ollama serve starts but every /api/tags call fails and no model is usable; check"
                + " that OLLAMA_MODELS points at the store (the directory holding blobs/ and"
                + " manifests/) and stage the models";
    add(new Finding(kind, null, null, dir.toString(), null, null, dir + " " + what, hint));
    return false;
  }

  private List<Entry> walkManifests() {
    Path base = layout.manifestsDir();
    List<Entry> entries = new ArrayList<>();
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
                add(
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
              add(
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
      add(
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
      add(
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
        add(
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

  private Entry readManifest(Path file, Path relative, BasicFileAttributes attrs) {
    ModelName name;
    try {
      name = ModelName.fromManifestPath(relative);
    } catch (StoreException e) {
      add(
          new Finding(
              FindingKind.INVALID_MODEL_NAME,
              null,
              null,
              file.toString(),
              null,
              null,
              file + " does not name a valid model (" + e.getMessage() + "), so Ollama skips it",
              "remove the file or move it to manifests/<host>/<namespace>/<model>/<tag>"));
      return new Entry(file, null, null);
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
      add(
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
    return new Entry(file, name, manifest);
  }

  private void checkRequirements(List<Entry> entries) {
    for (Requirement requirement : options.requirements()) {
      String wanted = requirement.name().displayShortest();
      Entry found = null;
      for (Entry entry : entries) {
        if (entry.name() != null && entry.name().sameAs(requirement.name())) {
          found = entry;
          break;
        }
      }
      if (found == null) {
        add(
            new Finding(
                FindingKind.REQUIRED_MODEL_MISSING,
                wanted,
                null,
                layout.manifest(requirement.name()).toString(),
                "a manifest",
                "none",
                "required model " + wanted + " is not in the store",
                "stage " + wanted + " (or fix the model list the verifier is given)"));
        continue;
      }
      Digest pin = requirement.manifestDigest();
      if (pin != null && found.manifest() != null && !pin.equals(found.manifest().digest())) {
        add(
            new Finding(
                FindingKind.EXPECTED_DIGEST_MISMATCH,
                found.display(),
                pin.toString(),
                found.file().toString(),
                pin.toString(),
                found.manifest().digest().toString(),
                "manifest of "
                    + found.display()
                    + " is not the pinned one (model ID "
                    + found.manifest().digest().shortHex()
                    + ", pinned "
                    + pin.shortHex()
                    + ")",
                "stage the pinned version, or update the pin if the new version is intended"));
      }
    }
  }

  private static Map<Digest, Reference> references(List<Entry> entries) {
    Map<Digest, Reference> references = new LinkedHashMap<>();
    for (Entry entry : entries) {
      if (entry.manifest() == null) {
        continue;
      }
      for (Descriptor d : entry.manifest().blobs().values()) {
        Reference ref = references.computeIfAbsent(d.digest(), k -> new Reference(k, d.size()));
        if (ref.size == d.size()) {
          ref.models.add(entry.display());
        } else {
          ref.disagreeing.add(entry.display() + " says " + d.size());
        }
      }
    }
    return references;
  }

  private Map<Digest, BlobCheck> checkBlobs(Map<Digest, Reference> references, LongAdder checked)
      throws InterruptedException {
    List<Reference> order = new ArrayList<>(references.values());
    // Largest first, so that the long hashes overlap and no big blob starts last.
    order.sort(Comparator.comparingLong((Reference r) -> r.size).reversed());
    BlobChecker checker = new BlobChecker(layout);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.parallelism(),
            r -> {
              Thread t = new Thread(r, "verify-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Map<Digest, Future<BlobCheck>> futures = new LinkedHashMap<>();
    try {
      for (Reference ref : order) {
        futures.put(ref.digest, pool.submit(() -> checkOne(checker, ref, checked)));
      }
      Map<Digest, BlobCheck> checks = new LinkedHashMap<>();
      for (Map.Entry<Digest, Future<BlobCheck>> f : futures.entrySet()) {
        try {
          checks.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("checking " + f.getKey() + " failed", e.getCause());
        }
      }
      return checks;
    } finally {
      pool.shutdownNow();
    }
  }

  private BlobCheck checkOne(BlobChecker checker, Reference ref, LongAdder checked) {
    BlobCheck check =
        checker.check(
            ref.digest,
            ref.size,
            options.hash(),
            n -> {
              checked.add(n);
              listener.bytesChecked(n);
            });
    if (!options.hash() && check.ok()) {
      checked.add(ref.size);
      listener.bytesChecked(ref.size);
    }
    listener.blobChecked(check);
    String models = String.join(",", ref.models);
    if (!check.ok()) {
      add(blobFinding(check, models));
    }
    if (!ref.disagreeing.isEmpty()) {
      add(
          new Finding(
              FindingKind.BLOB_SIZE_MISMATCH,
              models + "," + String.join(",", ref.disagreeing).replaceAll(" says [0-9]+", ""),
              ref.digest.toString(),
              layout.blob(ref.digest).toString(),
              "one size",
              "manifests disagree",
              "manifests disagree on the size of "
                  + ref.digest
                  + ": "
                  + models
                  + " say "
                  + ref.size
                  + ", "
                  + String.join(", ", ref.disagreeing),
              "stage the models again; one of the manifests is wrong"));
    }
    return check;
  }

  private Finding blobFinding(BlobCheck check, String models) {
    String blob = check.digest().toString();
    String path = layout.blob(check.digest()).toString();
    String again = "stage " + models + " again on the writable side";
    String size = "size=" + check.expectedSize();
    String actualSize = check.actualSize() < 0 ? null : "size=" + check.actualSize();
    return switch (check.status()) {
      case MISSING ->
          new Finding(
              FindingKind.BLOB_MISSING, models, blob, path, size, "no file", check.detail(), again);
      case NOT_REGULAR_FILE ->
          new Finding(
              FindingKind.BLOB_NOT_REGULAR_FILE,
              models,
              blob,
              path,
              "a regular file",
              null,
              check.detail(),
              "remove it and " + again);
      case OUTSIDE_STORE ->
          new Finding(
              FindingKind.BLOB_OUTSIDE_STORE,
              models,
              blob,
              path,
              "a file inside the store",
              null,
              check.detail(),
              "replace the link by the file itself (" + again + ")");
      case SIZE_MISMATCH ->
          new Finding(
              FindingKind.BLOB_SIZE_MISMATCH,
              models,
              blob,
              path,
              size,
              actualSize,
              check.detail(),
              "delete " + path + " and " + again);
      case DIGEST_MISMATCH ->
          new Finding(
              FindingKind.BLOB_DIGEST_MISMATCH,
              models,
              blob,
              path,
              "sha256=" + check.digest().hex(),
              "sha256=" + check.actualDigest().hex(),
              "blob content is corrupt: " + check.detail(),
              "delete " + path + " and " + again);
      case UNREADABLE ->
          new Finding(
              FindingKind.BLOB_UNREADABLE,
              models,
              blob,
              path,
              null,
              null,
              check.detail(),
              "check the file's permissions and the mount");
      case OK -> throw new IllegalArgumentException("not a problem: " + check);
    };
  }

  /** Returns {count, bytes} of unreferenced blobs; adds findings for odd names. */
  private long[] scanBlobsDir(Set<Digest> referenced) {
    Path dir = layout.blobsDir();
    Map<FindingKind, List<String>> leftovers = new EnumMap<>(FindingKind.class);
    Map<FindingKind, long[]> leftoverBytes = new EnumMap<>(FindingKind.class);
    List<String> unreferenced = new ArrayList<>();
    long unreferencedBytes = 0;
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      list.forEach(entries::add);
    } catch (IOException e) {
      add(
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
        add(legacy(path, name));
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
    leftovers.forEach((kind, names) -> add(leftover(dir, kind, names, leftoverBytes.get(kind)[0])));
    if (!unreferenced.isEmpty()) {
      add(
          new Finding(
              FindingKind.UNREFERENCED_BLOBS,
              null,
              null,
              dir.toString(),
              null,
              unreferenced.size() + " blobs, " + unreferencedBytes + " bytes",
              unreferenced.size()
                  + " blobs ("
                  + human(unreferencedBytes)
                  + ") in "
                  + dir
                  + " are used by no manifest: "
                  + listed(unreferenced),
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
        names.size() + " " + what + " in " + dir + ": " + listed(names),
        "finish or clean up the pull on the writable side; harmless with OLLAMA_NOPRUNE=1"
            + " (without it ollama serve tries to delete them at start)");
  }

  private List<ModelResult> results(List<Entry> entries, Map<Digest, BlobCheck> checks) {
    Set<String> failedModels = new HashSet<>();
    synchronized (findings) {
      for (Finding f : findings) {
        if (f.severity() == Severity.ERROR && f.model() != null) {
          for (String m : f.model().split(",", -1)) {
            failedModels.add(m);
          }
        }
      }
    }
    List<ModelResult> results = new ArrayList<>();
    for (Entry entry : entries) {
      Manifest manifest = entry.manifest();
      String display = entry.display();
      boolean ok = entry.name() != null && manifest != null && !failedModels.contains(display);
      if (ok) {
        for (Digest d : manifest.blobs().keySet()) {
          BlobCheck check = checks.get(d);
          ok &= check != null && check.ok();
        }
      }
      results.add(
          new ModelResult(
              entry.name() == null ? entry.file().toString() : entry.name().toString(),
              display,
              manifest == null ? null : manifest.digest().toString(),
              manifest == null ? -1 : manifest.totalSize(),
              manifest == null ? 0 : manifest.blobs().size(),
              ok));
    }
    return results;
  }

  private void add(Finding finding) {
    synchronized (findings) {
      findings.add(finding);
    }
    listener.found(finding);
  }

  private static String listed(List<String> names) {
    List<String> shown = names.subList(0, Math.min(LISTED_NAMES, names.size()));
    String more =
        names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "";
    return String.join(", ", shown) + more;
  }

  /** Bytes for people, binary units as {@code ls -h}. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
