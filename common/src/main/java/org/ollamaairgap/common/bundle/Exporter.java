package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Writes models of a store into a bundle: each model's manifest (the bytes on disk, unchanged) and
 * every blob it references, each blob hashed again on the way out. A model whose manifest is
 * missing or invalid, or one of whose blobs is missing, short or damaged, is left out of the
 * finished index and reported with the file that is wrong.
 */
public final class Exporter {
  private final StoreLayout source;
  private final BundleListener listener;

  public Exporter(StoreLayout source, BundleListener listener) {
    this.source = source;
    this.listener = listener;
  }

  /** A model read from the store and ready to export. */
  private record Planned(ModelName name, Manifest manifest) {}

  /**
   * Exports {@code models} into {@code sink} with the top-level {@code files}. I/O errors of the
   * sink (a full disk, a closed pipe) are thrown; problems of the source store are per model.
   */
  public List<ModelOutcome> export(
      List<ModelName> models, BundleSink sink, Map<String, byte[]> files) throws IOException {
    Map<ModelName, String> errors = new LinkedHashMap<>();
    List<Planned> planned = new ArrayList<>();
    for (ModelName name : models) {
      try {
        planned.add(new Planned(name, read(name)));
      } catch (StoreException e) {
        errors.put(name, e.getMessage());
      }
    }
    sink.begin(index(planned), files);
    for (Planned p : planned) {
      sink.manifest(p.manifest().digest(), p.manifest().bytes());
    }
    Map<Digest, String> badBlobs = new HashMap<>();
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    for (Planned p : planned) {
      blobs.putAll(p.manifest().blobs());
    }
    for (Descriptor d : blobs.values()) {
      Path file = source.blob(d.digest());
      HashResult copied = sink.blob(d.digest(), d.size(), file, listener);
      if (!copied.digest().equals(d.digest()) || copied.size() != d.size()) {
        badBlobs.put(
            d.digest(),
            "source blob "
                + file
                + " is damaged: it has "
                + copied.size()
                + " bytes with SHA-256 "
                + copied.digest()
                + ", expected "
                + d.size()
                + " bytes with "
                + d.digest()
                + "; re-stage the model into the source store");
      }
    }
    List<ModelOutcome> outcomes = new ArrayList<>();
    List<Planned> complete = new ArrayList<>();
    for (ModelName name : models) {
      Planned p = planned.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
      if (p == null) {
        outcomes.add(ModelOutcome.failed(name, null, errors.get(name)));
        continue;
      }
      String bad =
          p.manifest().blobs().keySet().stream()
              .map(badBlobs::get)
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElse(null);
      if (bad == null) {
        complete.add(p);
        outcomes.add(new ModelOutcome(name, p.manifest().digest(), p.manifest().totalSize(), null));
      } else {
        outcomes.add(ModelOutcome.failed(name, p.manifest().digest(), bad));
      }
    }
    sink.finish(index(complete), files);
    return outcomes;
  }

  /**
   * The bytes an export of {@code models} into the bundle directory {@code target} still has to
   * write, for the free-space check: every distinct blob and manifest not already there with its
   * size. Models whose manifest cannot be read count nothing (the export reports them).
   */
  public long missingBytes(List<ModelName> models, OciLayout target) {
    Map<Digest, Long> needed = new LinkedHashMap<>();
    for (ModelName name : models) {
      try {
        Manifest m = read(name);
        needed.put(m.digest(), (long) m.bytes().length);
        m.blobs().values().forEach(d -> needed.put(d.digest(), d.size()));
      } catch (StoreException e) {
        // reported by export()
      }
    }
    long sum = 0;
    for (Map.Entry<Digest, Long> e : needed.entrySet()) {
      Path there = target.blob(e.getKey());
      try {
        if (Files.size(there) == e.getValue()) {
          continue;
        }
      } catch (IOException absent) {
        // not there yet
      }
      sum = e.getValue() > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + e.getValue();
    }
    return sum;
  }

  private static BundleIndex index(List<Planned> models) {
    List<BundleIndex.Entry> entries = new ArrayList<>();
    for (Planned p : models) {
      entries.add(
          new BundleIndex.Entry(p.name(), p.manifest().digest(), p.manifest().bytes().length));
    }
    return new BundleIndex(entries);
  }

  /** The model's manifest, parsed, with every blob present as a regular file of its size. */
  private Manifest read(ModelName name) throws StoreException {
    Path file = source.manifest(name);
    Manifest manifest;
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile() || a.size() > Manifest.MAX_BYTES) {
        throw new StoreException(
            StoreException.Reason.MANIFEST_INVALID,
            "model "
                + name
                + ": manifest "
                + file
                + " is not a regular file of at most "
                + Manifest.MAX_BYTES
                + " bytes");
      }
      manifest = Manifest.parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new StoreException(
          StoreException.Reason.BLOB_MISSING,
          "model "
              + name
              + " is not in the source store: no manifest "
              + file
              + "; stage it first or fix --models");
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Reason.MANIFEST_INVALID,
          "model " + name + ": cannot read manifest " + file + ": " + e.getMessage());
    } catch (StoreException e) {
      throw new StoreException(
          e.reason(), "model " + name + ": manifest " + file + ": " + e.getMessage());
    }
    for (Descriptor d : manifest.blobs().values()) {
      Path blob = source.blob(d.digest());
      try {
        BasicFileAttributes a =
            Files.readAttributes(blob, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || a.size() != d.size()) {
          throw new StoreException(
              StoreException.Reason.SIZE_MISMATCH,
              "model "
                  + name
                  + ": blob "
                  + blob
                  + " is "
                  + (a.isRegularFile() ? a.size() + " bytes" : "not a regular file")
                  + ", expected "
                  + d.size()
                  + " bytes; re-stage the model into the source store");
        }
      } catch (IOException e) {
        throw new StoreException(
            StoreException.Reason.BLOB_MISSING,
            "model "
                + name
                + ": blob "
                + blob
                + " is missing ("
                + e.getClass().getSimpleName()
                + "); re-stage the model into the source store");
      }
    }
    return manifest;
  }
}
