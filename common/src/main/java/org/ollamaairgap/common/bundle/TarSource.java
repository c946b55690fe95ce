package org.ollamaairgap.common.bundle;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.StoreException;

/**
 * Reads a bundle from one tar stream, as the bytes arrive: nothing is buffered but the small files
 * (index, inventory, manifests), so memory stays flat whatever the models weigh. The stream must be
 * in the order {@link TarSink} writes: {@code oci-layout} and {@code index.json} before any blob,
 * the manifests before the other blobs. Tar files from GNU tar or a Mac's bsdtar (pax headers,
 * {@code ._*} AppleDouble entries, {@code .DS_Store}) are read; links and devices are refused.
 */
public final class TarSource implements BundleSource {
  private static final int MAX_FILE = 64 * 1024 * 1024;

  private final TarArchiveInputStream tar;
  private final BundleListener listener;
  private final Map<String, byte[]> files = new HashMap<>();
  private final Map<Digest, byte[]> manifests = new HashMap<>();
  private final Set<Digest> offered = new HashSet<>();
  private BundleIndex index;
  private Digest pending;

  public TarSource(InputStream in, BundleListener listener) {
    this.tar = new TarArchiveInputStream(new BufferedInputStream(in, 1 << 20));
    this.listener = listener;
  }

  @Override
  public String describe() {
    return "the bundle stream on standard input";
  }

  @Override
  public BundleIndex index() throws IOException, BundleException {
    if (index != null) {
      return index;
    }
    boolean layout = false;
    Set<Digest> manifestDigests = new HashSet<>();
    for (String name; (name = next()) != null; ) {
      if (name.equals(OciLayout.LAYOUT_FILE)) {
        String text = new String(small(name, 4096), StandardCharsets.UTF_8);
        if (!text.replace(" ", "").contains("\"imageLayoutVersion\":\"1.0.0\"")) {
          throw new BundleException(
              describe() + ": oci-layout says " + text.strip() + ", expected version 1.0.0");
        }
        layout = true;
      } else if (name.equals(OciLayout.INDEX)) {
        index = BundleIndex.parse(small(name, MAX_FILE), "index.json in " + describe());
        index.entries().forEach(e -> manifestDigests.add(e.manifest()));
      } else if (name.equals(OciLayout.INVENTORY) || name.equals(OciLayout.ENVELOPE)) {
        files.put(name, small(name, MAX_FILE));
      } else if (blob(name) != null) {
        Digest d = blob(name);
        if (index == null) {
          throw new BundleException(
              describe()
                  + " has "
                  + name
                  + " before index.json, so it cannot be imported as it"
                  + " arrives: write the stream with 'stager export --to -', or extract it and"
                  + " import the directory with --from DIR");
        }
        if (manifestDigests.contains(d) && !manifests.containsKey(d)) {
          manifests.put(d, small(name, Manifest.MAX_BYTES));
          if (manifests.size() == manifestDigests.size()) {
            break;
          }
        } else {
          pending = d;
          break;
        }
      } else {
        listener.warning("ignored unknown file " + name + " in " + describe());
      }
    }
    if (!layout || index == null) {
      throw new BundleException(
          describe()
              + " is not an OCI image layout: no "
              + (layout ? "index.json" : "oci-layout")
              + " at its start; write it with 'stager export --to -'");
    }
    return index;
  }

  @Override
  public byte[] file(String name) {
    byte[] b = files.get(name);
    return b == null ? null : b.clone();
  }

  @Override
  public byte[] manifest(BundleIndex.Entry entry) {
    byte[] b = manifests.get(entry.manifest());
    return b == null ? null : b.clone();
  }

  @Override
  public void blobs(Set<Digest> wanted, BlobConsumer consumer) throws IOException, BundleException {
    index();
    Digest d = pending;
    pending = null;
    while (true) {
      if (d != null && wanted.contains(d) && offered.add(d)) {
        consumer.accept(d, new Guard(tar));
      }
      String name = next();
      if (name == null) {
        return;
      }
      d = blob(name);
      if (d == null) {
        listener.warning("ignored " + name + " in " + describe() + ": it comes after the blobs");
      }
    }
  }

  /** The next regular file's name, skipping directories and Mac junk; null at the end. */
  private String next() throws IOException, BundleException {
    while (true) {
      TarArchiveEntry e;
      try {
        e = tar.getNextEntry();
      } catch (IOException ex) {
        throw new BundleReadException(
            describe() + " is broken or cut short: " + ex.getMessage(), ex);
      }
      if (e == null) {
        return null;
      }
      String name = e.getName();
      while (name.startsWith("./")) {
        name = name.substring(2);
      }
      if (name.isEmpty() || e.isDirectory() || OciLayout.isMacJunk(name)) {
        continue;
      }
      if (!e.isFile()) {
        throw new BundleException(
            describe()
                + " has "
                + name
                + " of a type other than a regular file (link, device):"
                + " a bundle holds only regular files");
      }
      return name;
    }
  }

  private static Digest blob(String name) {
    if (!name.startsWith(OciLayout.BLOBS) || name.length() != OciLayout.BLOBS.length() + 64) {
      return null;
    }
    try {
      return Digest.parse("sha256:" + name.substring(OciLayout.BLOBS.length()));
    } catch (StoreException e) {
      return null;
    }
  }

  private byte[] small(String name, int max) throws IOException, BundleException {
    long size = tar.getCurrentEntry().getSize();
    if (size > max) {
      throw new BundleException(
          describe() + ": " + name + " is " + size + " bytes, more than " + max);
    }
    try {
      return tar.readNBytes((int) size);
    } catch (IOException e) {
      throw new BundleReadException(
          describe() + " is cut short in " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** One entry's content; read errors tagged as the bundle's, close leaves the stream open. */
  private final class Guard extends FilterInputStream {
    Guard(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new BundleReadException(describe() + " is broken or cut short: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {}
  }
}
