package org.ollamaairgap.common.verify;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Verifies a whole Ollama store: walks {@code manifests/*&#47;*&#47;*&#47;*} exactly as Ollama
 * lists models ({@link ManifestWalk}), checks the required and pinned models ({@link
 * RequirementCheck}), with a pinned inventory also its models and chunk digests ({@link
 * TrustedInventory}), checks each distinct blob once ({@link BlobVerification}), lists {@code
 * blobs/} ({@link BlobsDirScan}), and reports what would make {@code ollama serve} fail or mutate a
 * read-only store. It only reads: nothing in the store is created, changed or opened unless it is a
 * regular file.
 */
public final class StoreVerifier {
  /**
   * How to verify.
   *
   * @param hash hash every blob ({@code full}) or only check presence and size ({@code size})
   * @param parallelism blobs checked at once, at least 1
   * @param requirements models that must be present, some pinned to a manifest digest
   * @param trust what makes the store's inventory trusted ({@link InventoryTrust#NONE}: verify
   *     without one); a trusted inventory's models are required and pinned to their manifests, and
   *     the blobs it describes are verified chunk by chunk
   */
  public record Options(
      boolean hash, int parallelism, List<Requirement> requirements, InventoryTrust trust) {
    public Options {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      requirements = List.copyOf(requirements);
      java.util.Objects.requireNonNull(trust, "trust");
    }

    /** Without an inventory. */
    public Options(boolean hash, int parallelism, List<Requirement> requirements) {
      this(hash, parallelism, requirements, InventoryTrust.NONE);
    }
  }

  private final StoreLayout layout;
  private final Options options;
  private final VerifyListener listener;
  private final Findings findings;
  private final BlobShortcut shortcut;

  public StoreVerifier(StoreLayout layout, Options options, VerifyListener listener) {
    this(layout, options, listener, BlobShortcut.NONE);
  }

  /** With {@code shortcut}, an earlier check may stand in for hashing a blob. */
  public StoreVerifier(
      StoreLayout layout, Options options, VerifyListener listener, BlobShortcut shortcut) {
    this.layout = layout;
    this.options = options;
    this.listener = listener;
    this.findings = new Findings(listener);
    this.shortcut = shortcut;
  }

  /**
   * Runs the verification. Problems with models are findings in the report; only a store that
   * cannot be looked at at all is an exception.
   */
  public VerificationReport verify() throws StoreUnavailableException, InterruptedException {
    long start = System.nanoTime();
    checkRoot();
    Path realRoot = realRoot();
    boolean blobsDir = checkDir(layout.blobsDir(), FindingKind.BLOBS_DIR_MISSING);
    boolean manifestsDir = checkDir(layout.manifestsDir(), FindingKind.MANIFESTS_DIR_MISSING);
    List<ManifestEntry> entries =
        manifestsDir ? new ManifestWalk(layout, findings, realRoot).walk() : List.of();
    new CaseVariants(layout, findings).check(entries);
    Map<Digest, BlobReference> references = BlobReference.of(entries);
    long total = references.values().stream().mapToLong(r -> r.size).sum();
    listener.planned(
        new VerificationPlan(
            layout.root(),
            options.hash(),
            options.parallelism(),
            entries.size(),
            references.size(),
            total));
    List<Requirement> requirements = new ArrayList<>(options.requirements());
    Map<Digest, ChunkedHash> described = Map.of();
    if (options.trust().enabled()) {
      StoreInventory trusted = TrustedInventory.load(layout, options.trust(), findings);
      if (trusted != null) {
        requirements.addAll(TrustedInventory.requirements(trusted));
        described = trusted.blobs();
        if (options.trust().onlyTrusted()) {
          TrustedInventory.onlyListed(trusted, entries, layout, findings);
        }
      }
    }
    new RequirementCheck(layout, findings).check(requirements, entries);
    BlobVerification blobs = new BlobVerification(layout, options, listener, findings, shortcut);
    // Without blobs/ every blob is missing: one finding says so, not one per blob.
    Map<Digest, BlobCheck> checks =
        blobsDir ? blobs.checkAll(references, described) : new LinkedHashMap<>();
    new ConfigCheck(layout, findings).check(entries, checks);
    long[] unreferenced =
        blobsDir
            ? new BlobsDirScan(layout, findings, realRoot).scan(references.keySet())
            : new long[2];
    List<ModelResult> models = results(entries, checks);
    return new VerificationReport(
        layout.root().toString(),
        options.hash() ? "full" : "size",
        options.parallelism(),
        models,
        checks.size(),
        blobs.bytesChecked(),
        (int) unreferenced[0],
        unreferenced[1],
        findings.sorted(),
        findings.counts(),
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

  /** The root with every link resolved: what "inside the store" is measured against. */
  private Path realRoot() throws StoreUnavailableException {
    try {
      return layout.root().toRealPath();
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "models directory "
              + layout.root()
              + " cannot be resolved ("
              + e.getMessage()
              + "): check OLLAMA_MODELS / --models-dir and the volume mount",
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
    findings.add(new Finding(kind, null, null, dir.toString(), null, null, dir + " " + what, hint));
    return false;
  }

  private List<ModelResult> results(List<ManifestEntry> entries, Map<Digest, BlobCheck> checks) {
    List<ModelResult> results = new ArrayList<>();
    for (ManifestEntry entry : entries) {
      Manifest manifest = entry.manifest();
      String display = entry.display();
      boolean ok = entry.name() != null && manifest != null && !findings.failed(display);
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
              manifest == null ? null : manifest.digest(),
              manifest == null ? -1 : manifest.totalSize(),
              manifest == null ? 0 : manifest.blobs().size(),
              ok));
    }
    return results;
  }

  /** Bytes for people, binary units as {@code ls -h}. */
  public static String human(long bytes) {
    return Findings.human(bytes);
  }
}
