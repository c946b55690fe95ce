package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.StageException;

/**
 * The {@code registry} driver: fetches the manifest, downloads each missing blob in parallel Range
 * parts into the staging directory, renames verified blobs into {@code blobs/}, and writes the
 * registry's manifest bytes last, when the run commits the model after its re-hash. Blobs already
 * present (right size) are not fetched again.
 */
public final class RegistryDriver implements Driver {
  private final RegistryClient client;
  private final StoreWriter writer;
  private final ExecutorService pool;
  private final BlobDownload downloads;

  public RegistryDriver(StoreLayout layout, RegistryOptions options) {
    this.client = new RegistryClient(options, new Transport(options));
    this.writer = new StoreWriter(layout);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            options.parts(),
            r -> {
              Thread t = new Thread(r, "registry-part-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.downloads =
        new BlobDownload(client, options, writer, pool, new RateLimiter(options.maxBandwidth()));
  }

  @Override
  public Optional<Manifest> resolve(ModelName model) throws StageException {
    return resolve(model, PullListener.NONE);
  }

  @Override
  public Optional<Manifest> resolve(ModelName model, PullListener listener) throws StageException {
    return Optional.of(client.manifest(model, listener));
  }

  @Override
  public Manifest stage(ModelName model, Optional<Manifest> resolved, PullListener listener)
      throws StageException {
    Manifest manifest = resolved.isPresent() ? resolved.get() : client.manifest(model, listener);
    try {
      writer.prepare();
      // Checked before a byte moves, so a link out of the store wastes no download.
      writer.confine(writer.layout().manifest(model).getParent());
    } catch (IOException e) {
      throw DiskErrors.of(e, writer.layout().root(), manifest.totalSize());
    }
    for (Descriptor d : manifest.blobs().values()) {
      listener.blob(model, d.digest(), d.size());
    }
    long remaining = 0;
    for (Descriptor d : manifest.blobs().values()) {
      if (!writer.hasBlob(d.digest(), d.size())) {
        remaining += d.size();
      }
    }
    for (Descriptor d : manifest.blobs().values()) {
      if (writer.hasBlob(d.digest(), d.size())) {
        downloads.forget(d.digest());
        listener.blobCompleted(model, d.digest(), d.size());
        continue;
      }
      downloads.fetch(model, d, remaining, listener);
      remaining -= d.size();
    }
    return manifest;
  }

  /** Writes the registry's manifest bytes, atomically, once every blob passed the re-hash. */
  @Override
  public void commit(ModelName model, Manifest manifest) throws StageException {
    try {
      writer.writeManifest(model, manifest.bytes());
    } catch (IOException e) {
      throw DiskErrors.of(e, writer.layout().manifest(model), 0);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
