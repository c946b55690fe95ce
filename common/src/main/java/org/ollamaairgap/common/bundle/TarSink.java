package org.ollamaairgap.common.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.model.Digest;

/**
 * Writes a bundle as one POSIX (pax) tar stream, for a tape, {@code ssh} or a data diode. Extracted
 * with {@code tar -x} it is the same directory {@link DirectorySink} writes. The order is fixed so
 * that an importer can work as the bytes arrive: {@code oci-layout}, {@code index.json}, the
 * inventory files, every manifest, then the blobs.
 *
 * <p>A stream cannot take back what it sent: when a source blob turns out damaged while it is
 * copied, its bytes are already out. The importer hashes every blob against its name and refuses
 * that model; the exporter reports it and exits 1.
 */
public final class TarSink implements BundleSink {
  private final BufferedOutputStream buffered;
  private final TarArchiveOutputStream tar;
  private boolean finished;
  private final long modTime = Instant.now().toEpochMilli();

  public TarSink(OutputStream out) {
    buffered = new BufferedOutputStream(out, 1 << 20);
    tar = new TarArchiveOutputStream(buffered);
    // pax headers for names over 100 bytes and sizes of 8 GiB and more (big models have both).
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  @Override
  public void begin(BundleIndex planned, Map<String, byte[]> files) throws IOException {
    bytes(OciLayout.LAYOUT_FILE, OciLayout.LAYOUT_BYTES);
    bytes(OciLayout.INDEX, planned.toJson());
    for (String name : List.of(OciLayout.INVENTORY, OciLayout.ENVELOPE)) {
      byte[] b = files.get(name);
      if (b != null) {
        bytes(name, b);
      }
    }
    directory("blobs/");
    directory(OciLayout.BLOBS);
  }

  @Override
  public void manifest(Digest digest, byte[] bytes) throws IOException {
    bytes(OciLayout.blobName(digest), bytes);
  }

  @Override
  public HashResult blob(Digest digest, long size, Path source, BundleListener listener)
      throws IOException {
    tar.putArchiveEntry(entry(OciLayout.blobName(digest), size, 0644));
    HashResult copied;
    try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
      copied = HashingCopy.copy(in, tar, size, listener::bytes);
    }
    // The header promised size bytes: a shorter source is padded so the stream stays readable
    // (the importer refuses the blob by its hash).
    byte[] zeros = new byte[8192];
    for (long left = size - copied.size(); left > 0; left -= zeros.length) {
      tar.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
    tar.closeArchiveEntry();
    if (copied.digest().equals(digest) && copied.size() == size) {
      listener.blobDone(digest, size, false);
    }
    return copied;
  }

  @Override
  public void finish(BundleIndex complete, Map<String, byte[]> files) throws IOException {
    tar.finish();
    tar.flush();
    finished = true;
  }

  /**
   * Closes the stream. An export that did not finish gets no end-of-archive marker, so the reader
   * sees a truncated archive instead of a complete-looking one.
   */
  @Override
  public void close() throws IOException {
    if (finished) {
      tar.close();
    } else {
      buffered.close();
    }
  }

  private void bytes(String name, byte[] bytes) throws IOException {
    tar.putArchiveEntry(entry(name, bytes.length, 0644));
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private void directory(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(040755);
    plain(e);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private TarArchiveEntry entry(String name, long size, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    e.setMode(0100000 | mode);
    plain(e);
    return e;
  }

  /** No user names or ids of the exporting machine travel with the bundle. */
  private void plain(TarArchiveEntry e) {
    e.setModTime(modTime);
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("");
    e.setGroupName("");
  }
}
