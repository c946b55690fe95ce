package org.ollamaairgap.common.bundle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;

/**
 * Reads a bundle directory. Files are addressed by their exact names, so whatever else a disk
 * carries (a Mac's {@code ._*} and {@code .DS_Store}) is never looked at. Symbolic links are not
 * followed: a bundle is data from the other side of the gap.
 */
public final class DirectorySource implements BundleSource {
  private static final int MAX_FILE = 64 * 1024 * 1024;
  private final OciLayout layout;

  public DirectorySource(Path dir) {
    this.layout = new OciLayout(dir);
  }

  @Override
  public String describe() {
    return "bundle " + layout.root();
  }

  @Override
  public BundleIndex index() throws IOException, BundleException {
    if (!Files.isDirectory(layout.root())) {
      throw new BundleException(
          "bundle " + layout.root() + " is not a directory; give the directory export wrote");
    }
    byte[] marker = read(layout.layoutFile(), 4096);
    if (marker == null) {
      throw new BundleException(
          "bundle "
              + layout.root()
              + " has no "
              + OciLayout.LAYOUT_FILE
              + ": it is not an OCI image layout (written by stager export or skopeo copy oci:)");
    }
    String text = new String(marker, StandardCharsets.UTF_8);
    if (!text.replace(" ", "").contains("\"imageLayoutVersion\":\"1.0.0\"")) {
      throw new BundleException(
          "bundle "
              + layout.layoutFile()
              + " says "
              + text.strip()
              + ", expected imageLayoutVersion 1.0.0");
    }
    byte[] index = read(layout.index(), MAX_FILE);
    if (index == null) {
      throw new BundleException(
          "bundle "
              + layout.root()
              + " has no "
              + OciLayout.INDEX
              + ": the export did not complete; run it again, it resumes");
    }
    return BundleIndex.parse(index, layout.index().toString());
  }

  @Override
  public byte[] file(String name) throws IOException {
    return read(layout.file(name), MAX_FILE);
  }

  @Override
  public byte[] manifest(BundleIndex.Entry entry) throws IOException {
    return read(layout.blob(entry.manifest()), Manifest.MAX_BYTES);
  }

  @Override
  public void blobs(Set<Digest> wanted, BlobConsumer consumer) throws IOException {
    for (Digest d : wanted) {
      Path file = layout.blob(d);
      InputStream in;
      try {
        in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new BundleReadException("cannot open " + file + ": " + e.getMessage(), e);
      }
      try (InputStream guarded = new ReadGuard(in, file)) {
        consumer.accept(d, guarded);
      }
    }
  }

  /** The file's bytes, at most {@code max} (more is refused), or null when it does not exist. */
  private static byte[] read(Path file, int max) throws IOException {
    try {
      BasicFileAttributes a =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        throw new BundleReadException(file + " is not a regular file", null);
      }
      if (a.size() > max) {
        throw new BundleReadException(file + " is " + a.size() + " bytes, more than " + max, null);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void close() {}

  /** Tags read errors as the bundle's. */
  private static final class ReadGuard extends FilterInputStream {
    private final Path file;

    ReadGuard(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw new BundleReadException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
