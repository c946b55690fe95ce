package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.sign.Statement;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Fills a store from a bundle with the stager's commit rules: each blob's SHA-256 is checked while
 * it is copied into the store's staging directory, it is renamed into {@code blobs/} only when it
 * matches, and a model's manifest is written last, only when all its blobs are in place and
 * verified. A blob the store already has is hashed again and kept when it matches, which is how an
 * import resumes after a kill. A bad blob, manifest or signature writes no manifest for that model;
 * what the store held before is never damaged.
 *
 * <p>Two steps, so the caller can check free space and hold the store's lock in between: {@link
 * #plan} reads the index and the manifests (and checks the signature), {@link #apply} copies.
 */
public final class Importer {
  private final StoreWriter writer;
  private final BundleListener listener;
  private final BundleTrust trust;

  /** {@code trust} null: no signature is checked. */
  public Importer(StoreWriter writer, BundleListener listener, BundleTrust trust) {
    this.writer = writer;
    this.listener = listener;
    this.trust = trust;
  }

  /** A model that may be imported. */
  record Item(BundleIndex.Entry entry, Manifest manifest) {}

  /**
   * What an import will do.
   *
   * @param missingBytes the bytes of blobs the store does not have yet, for the free-space check
   */
  public record Plan(
      BundleSource source, List<Item> items, List<ModelOutcome> refused, long missingBytes) {
    /** How many models the bundle lists. */
    public int models() {
      return items.size() + refused.size();
    }
  }

  public Plan plan(BundleSource source) throws IOException, BundleException {
    BundleIndex index = source.index();
    List<ModelOutcome> refused = new ArrayList<>();
    Statement statement = null;
    if (trust != null) {
      try {
        statement = trust.check(source);
      } catch (SignatureCheckException e) {
        for (BundleIndex.Entry entry : index.entries()) {
          refused.add(ModelOutcome.failed(entry.name(), entry.manifest(), e.getMessage()));
        }
        return new Plan(source, List.of(), refused, 0);
      }
    }
    List<Item> items = new ArrayList<>();
    Map<Digest, Long> missing = new HashMap<>();
    for (BundleIndex.Entry entry : index.entries()) {
      String problem = null;
      Manifest manifest = null;
      try {
        manifest = manifest(source, entry);
        problem =
            statement == null
                ? null
                : BundleTrust.problem(statement, entry.name(), entry.manifest());
      } catch (StoreException e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        refused.add(ModelOutcome.failed(entry.name(), entry.manifest(), problem));
        continue;
      }
      items.add(new Item(entry, manifest));
      for (Descriptor d : manifest.blobs().values()) {
        if (!writer.hasBlob(d.digest(), d.size())) {
          missing.put(d.digest(), d.size());
        }
      }
    }
    return new Plan(
        source, items, refused, missing.values().stream().mapToLong(Long::longValue).sum());
  }

  private static Manifest manifest(BundleSource source, BundleIndex.Entry entry)
      throws IOException, BundleException, StoreException {
    String file = OciLayout.blobName(entry.manifest()) + " in " + source.describe();
    byte[] bytes = source.manifest(entry);
    if (bytes == null) {
      throw invalid("model " + entry.name() + ": its manifest " + file + " is missing");
    }
    Digest actual = Sha256.of(bytes);
    if (!actual.equals(entry.manifest()) || bytes.length != entry.size()) {
      throw invalid(
          "model "
              + entry.name()
              + ": manifest "
              + file
              + " has "
              + bytes.length
              + " bytes with SHA-256 "
              + actual
              + ", but index.json says "
              + entry.size()
              + " bytes with "
              + entry.manifest()
              + "; the bundle was changed or damaged");
    }
    try {
      return Manifest.parse(bytes);
    } catch (StoreException e) {
      throw invalid("model " + entry.name() + ": manifest " + file + ": " + e.getMessage());
    }
  }

  private static StoreException invalid(String message) {
    return new StoreException(StoreException.Reason.MANIFEST_INVALID, message);
  }

  /**
   * Copies what the store lacks and writes the manifests of the models that are whole. Errors
   * writing the store (a full disk) are thrown; problems of the bundle are reported per model.
   */
  public List<ModelOutcome> apply(Plan plan) throws IOException, BundleException {
    writer.prepare();
    Map<Digest, Long> sizes = new LinkedHashMap<>();
    for (Item item : plan.items()) {
      item.manifest().blobs().values().forEach(d -> sizes.put(d.digest(), d.size()));
    }
    Set<Digest> verified = new HashSet<>();
    Set<Digest> wanted = new LinkedHashSet<>();
    for (Map.Entry<Digest, Long> e : sizes.entrySet()) {
      if (writer.hasBlob(e.getKey(), e.getValue()) && intact(e.getKey(), e.getValue())) {
        verified.add(e.getKey());
        listener.blobDone(e.getKey(), e.getValue(), true);
      } else {
        wanted.add(e.getKey());
      }
    }
    Map<Digest, String> bad = new HashMap<>();
    String cutShort = null;
    try {
      plan.source()
          .blobs(
              wanted,
              (digest, content) -> {
                String problem = copy(digest, sizes.get(digest), content, plan.source());
                if (problem == null) {
                  verified.add(digest);
                } else {
                  bad.put(digest, problem);
                }
              });
    } catch (BundleSource.BundleReadException e) {
      cutShort = e.getMessage();
    }
    List<ModelOutcome> outcomes = new ArrayList<>();
    Map<org.ollamaairgap.common.model.ModelName, Digest> committed = new LinkedHashMap<>();
    for (Item item : plan.items()) {
      ModelOutcome o = commit(item, verified, bad, cutShort, plan.source());
      outcomes.add(o);
      if (o.ok()) {
        committed.put(o.name(), o.manifest());
      }
    }
    outcomes.addAll(plan.refused());
    if (plan.refused().isEmpty() && committed.size() == plan.items().size()) {
      installInventory(plan.source(), committed);
    }
    return outcomes;
  }

  /**
   * Makes the bundle's inventory (and its envelope) the store's, when every model of the bundle
   * imported and the inventory lists only those models with those manifests: then the verifier's
   * {@code --trust-key} checks the store with the signature the bundle came with. Otherwise the
   * store's own inventory stays. An unsigned inventory removes an envelope that signs another.
   */
  private void installInventory(
      BundleSource source, Map<org.ollamaairgap.common.model.ModelName, Digest> committed)
      throws IOException, BundleException {
    byte[] inventory = source.file(OciLayout.INVENTORY);
    if (inventory == null
        || !BundleInventory.coveredBy(inventory, committed, OciLayout.INVENTORY)) {
      return;
    }
    byte[] envelope = source.file(OciLayout.ENVELOPE);
    writer.replaceDurably(writer.layout().inventory(), inventory);
    if (envelope == null) {
      Files.deleteIfExists(writer.layout().inventorySignature());
    } else {
      writer.replaceDurably(writer.layout().inventorySignature(), envelope);
    }
  }

  private ModelOutcome commit(
      Item item,
      Set<Digest> verified,
      Map<Digest, String> bad,
      String cutShort,
      BundleSource source)
      throws IOException {
    BundleIndex.Entry entry = item.entry();
    for (Descriptor d : item.manifest().blobs().values()) {
      if (verified.contains(d.digest())) {
        continue;
      }
      String why = bad.get(d.digest());
      if (why == null) {
        why =
            OciLayout.blobName(d.digest())
                + " is missing from "
                + source.describe()
                + (cutShort == null ? "" : " (" + cutShort + ")");
      }
      return ModelOutcome.failed(
          entry.name(),
          entry.manifest(),
          "model " + entry.name() + ": " + why + "; no manifest written");
    }
    writer.writeManifest(entry.name(), item.manifest().bytes());
    return new ModelOutcome(entry.name(), entry.manifest(), item.manifest().totalSize(), null);
  }

  /** Whether the store's copy of a blob still hashes to its name. */
  private boolean intact(Digest digest, long size) throws IOException {
    HashResult r = Sha256.file(writer.layout().blob(digest), listener::bytes);
    return r.digest().equals(digest) && r.size() == size;
  }

  /** Copies one blob into staging, hashing it; commits it when it matches. Null or the problem. */
  private String copy(Digest digest, long size, InputStream content, BundleSource source)
      throws IOException {
    Path temp = writer.tempFile("import-" + digest.shortHex());
    try {
      HashResult r;
      try (FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        r = HashingCopy.copy(content, out, HashingCopy.oneMore(size), listener::bytes);
      }
      if (!r.digest().equals(digest) || r.size() != size) {
        return "blob "
            + OciLayout.blobName(digest)
            + " in "
            + source.describe()
            + " has "
            + r.size()
            + " bytes with SHA-256 "
            + r.digest()
            + ", expected "
            + size
            + " bytes with "
            + digest
            + "; the bundle is damaged";
      }
      writer.commitBlob(temp, digest);
      listener.blobDone(digest, size, false);
      return null;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
