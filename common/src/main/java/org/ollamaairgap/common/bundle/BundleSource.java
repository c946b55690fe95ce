package org.ollamaairgap.common.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.ollamaairgap.common.model.Digest;

/**
 * Where an import reads from: a bundle directory ({@link DirectorySource}) or a tar stream ({@link
 * TarSource}). The {@link Importer} asks for the index, the top-level files and the manifests
 * first, then for the blobs it still needs, which a stream offers in its own order.
 */
public interface BundleSource extends Closeable {
  /** Names the bundle in messages: its directory, or "the bundle stream on standard input". */
  String describe();

  /** Checks {@code oci-layout} and reads {@code index.json}. */
  BundleIndex index() throws IOException, BundleException;

  /** A top-level file ({@link OciLayout#INVENTORY}, {@link OciLayout#ENVELOPE}), or null. */
  byte[] file(String name) throws IOException, BundleException;

  /** The bytes of the manifest blob an index entry names, or null when the bundle lacks it. */
  byte[] manifest(BundleIndex.Entry entry) throws IOException, BundleException;

  /** Receives one blob's content. */
  interface BlobConsumer {
    void accept(Digest digest, InputStream content) throws IOException;
  }

  /**
   * Offers each of the {@code wanted} blobs the bundle has, once. Read errors of the bundle itself
   * are thrown as {@link BundleReadException}, so they can be told from the importer's own.
   */
  void blobs(Set<Digest> wanted, BlobConsumer consumer) throws IOException, BundleException;

  /** An I/O error reading the bundle (as opposed to writing the store). */
  final class BundleReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public BundleReadException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
