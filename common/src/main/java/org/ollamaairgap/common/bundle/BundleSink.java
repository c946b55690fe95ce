package org.ollamaairgap.common.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.model.Digest;

/**
 * Where an export goes: a directory ({@link DirectorySink}) or a tar stream ({@link TarSink}). The
 * {@link Exporter} calls {@link #begin}, then {@link #manifest} for every model, then {@link #blob}
 * for every distinct blob, then {@link #finish}.
 */
public interface BundleSink extends Closeable {
  /**
   * Starts the bundle. {@code planned} lists every model the export will try; {@code files} are the
   * top-level files (inventory, envelope) by name.
   */
  void begin(BundleIndex planned, Map<String, byte[]> files) throws IOException;

  /** Adds a manifest blob (already hashed by the caller). */
  void manifest(Digest digest, byte[] bytes) throws IOException;

  /**
   * Copies a blob from {@code source}, hashing it on the way, and returns what was copied. Where it
   * can, the sink keeps the blob only if that matches {@code digest} and {@code size}.
   */
  HashResult blob(Digest digest, long size, Path source, BundleListener listener)
      throws IOException;

  /** Completes the bundle with the models that were exported whole. */
  void finish(BundleIndex complete, Map<String, byte[]> files) throws IOException;
}
