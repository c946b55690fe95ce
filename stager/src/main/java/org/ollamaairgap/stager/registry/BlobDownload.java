package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * Downloads one blob into the staging directory in parallel Range parts ({@link PartPlan}), hashing
 * the contiguous prefix as it completes (read back from the page cache, so there is no second pass
 * over the blob at the end), checkpointing per-part progress after flushing the data, and renaming
 * the verified file into {@code blobs/}. A killed run resumes from the last checkpoint, which
 * trails the data by at most a checkpoint's worth of bytes. This class sets a download up (or
 * resumes it); {@link BlobTransfer} runs it, and {@link PartFetch} fetches each part.
 */
final class BlobDownload {
  private static final Digest EMPTY = Sha256.of(new byte[0]);

  final RegistryClient client;
  final RegistryOptions options;
  final StoreWriter writer;
  final ExecutorService pool;
  final RateLimiter limiter;
  final Backoff backoff;

  /**
   * Hashing read-back buffer, allocated once: blobs are fetched one at a time, and direct memory is
   * as small as the heap under -Xmx64m.
   */
  final ByteBuffer hashBuffer = ByteBuffer.allocateDirect(Sha256.BUFFER_SIZE);

  BlobDownload(
      RegistryClient client,
      RegistryOptions options,
      StoreWriter writer,
      ExecutorService pool,
      RateLimiter limiter) {
    this.client = client;
    this.options = options;
    this.writer = writer;
    this.pool = pool;
    this.limiter = limiter;
    this.backoff = new Backoff(options.backoffBase(), options.backoffMax());
  }

  Path dataFile(Digest d) {
    return writer.layout().partialBlob(d);
  }

  Path stateFile(Digest d) {
    return writer.layout().partsState(d);
  }

  /**
   * Drops resume files of a blob that is already in place (a run killed between the rename and the
   * clean-up leaves them).
   */
  void forget(Digest d) {
    try {
      Files.deleteIfExists(stateFile(d));
      Files.deleteIfExists(dataFile(d));
    } catch (IOException e) {
      // Harmless: they are checked and discarded if a download of this blob ever starts.
    }
  }

  /**
   * Fetches the blob to {@code blobs/}, verified. {@code modelRemaining} (bytes the model still
   * needs, this blob included) only goes into an out-of-space message.
   */
  void fetch(ModelName model, Descriptor blob, long modelRemaining, PullListener listener)
      throws StageException {
    Digest digest = blob.digest();
    long size = blob.size();
    Path data = dataFile(digest);
    Path stateFile = stateFile(digest);
    if (size == 0) {
      fetchEmpty(model, digest, data);
      return;
    }
    ResumeState.Loaded loaded = ResumeState.load(stateFile, data, digest, size);
    if (loaded.discarded() != null) {
      listener.retry(model, "starting blob " + digest + " over: " + loaded.discarded());
    }
    List<ResumeState.Part> plan;
    try {
      if (loaded.state() != null) {
        plan = loaded.state().parts();
      } else {
        Files.deleteIfExists(stateFile);
        Files.deleteIfExists(data);
        plan = PartPlan.of(size, options.partSize());
        try (FileChannel ch =
            FileChannel.open(data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          // Sparse, as Ollama's -partial: parts write at their offsets; space is taken as data
          // arrives, and the run's space check already counted the whole blob.
          ch.truncate(size);
          if (size > 0) {
            ch.write(ByteBuffer.allocate(1), size - 1);
          }
        }
        writer.replaceDurably(
            stateFile,
            new ResumeState(ResumeState.VERSION, digest.toString(), size, plan).toJson());
      }
    } catch (IOException e) {
      throw DiskErrors.of(e, data, modelRemaining);
    }
    new BlobTransfer(this, model, digest, size, plan, data, stateFile, modelRemaining, listener)
        .execute();
  }

  private void fetchEmpty(ModelName model, Digest digest, Path data) throws StageException {
    if (!digest.equals(EMPTY)) {
      throw new StageException(
          Reason.DIGEST_MISMATCH,
          "blob "
              + digest
              + " of "
              + model
              + ": the manifest says 0 bytes, whose digest is "
              + EMPTY
              + "; the manifest is inconsistent");
    }
    try {
      StoreWriter.writeDurably(data, new byte[0]);
      writer.commitBlob(data, digest);
    } catch (IOException e) {
      throw DiskErrors.of(e, data, 0);
    }
  }
}
