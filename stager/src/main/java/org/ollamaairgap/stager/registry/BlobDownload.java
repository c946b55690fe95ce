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
  private static final System.Logger LOG = System.getLogger(BlobDownload.class.getName());
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
    if (size == 0) {
      fetchEmpty(model, digest, dataFile(digest));
      return;
    }
    ResumeState.Loaded loaded = ResumeState.load(stateFile(digest), dataFile(digest), digest, size);
    if (loaded.discarded() != null) {
      listener.retry(model, "starting blob " + digest + " over: " + loaded.discarded());
    }
    if (loaded.state() == null) {
      BlobTransfer t =
          transfer(
              model, digest, size, fresh(digest, size, modelRemaining), modelRemaining, listener);
      if (t.hashMismatch() != null) {
        throw t.mismatchFailure();
      }
      return;
    }
    BlobTransfer resumed =
        transfer(model, digest, size, loaded.state().parts(), modelRemaining, listener);
    if (resumed.hashMismatch() == null) {
      return;
    }
    // The state said those bytes were written, but they were not what it claimed (a crash
    // between data and checkpoint, a file from another run): the mismatch is ours, not the
    // registry's, so the blob gets one clean download from byte 0 before it can fail.
    listener.retry(
        model,
        "blob "
            + digest
            + ": the download resumed from an earlier run hashed to "
            + resumed.hashMismatch()
            + ", so its resume state did not match the data on disk; fetching it again from"
            + " byte 0");
    BlobTransfer again =
        transfer(
            model, digest, size, fresh(digest, size, modelRemaining), modelRemaining, listener);
    if (again.hashMismatch() != null) {
      throw again.mismatchFailure();
    }
  }

  /**
   * Runs one transfer of the plan; a hash mismatch is returned (on the transfer) rather than
   * thrown, so the caller decides whether one more download is due.
   */
  private BlobTransfer transfer(
      ModelName model,
      Digest digest,
      long size,
      List<ResumeState.Part> plan,
      long modelRemaining,
      PullListener listener)
      throws StageException {
    BlobTransfer t =
        new BlobTransfer(
            this,
            model,
            digest,
            size,
            plan,
            dataFile(digest),
            stateFile(digest),
            modelRemaining,
            listener);
    try {
      t.execute();
    } catch (StageException e) {
      if (t.rangeIgnored() == null || plan.size() == 1) {
        throw e;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: blob {1}: the server ignores Range ({2}), so it is downloaded as one stream"
              + " instead of {3} parts; a mirror or proxy in between may be stripping Range",
          model.displayShortest(),
          digest,
          t.rangeIgnored(),
          plan.size());
      return transfer(
          model, digest, size, fresh(digest, size, 1, modelRemaining), modelRemaining, listener);
    }
    return t;
  }

  /** {@link #fresh(Digest, long, int, long)} in the configured parts. */
  private List<ResumeState.Part> fresh(Digest digest, long size, long modelRemaining)
      throws StageException {
    return fresh(digest, size, 0, modelRemaining);
  }

  /**
   * A new sparse data file and a state of untouched parts ({@code parts} of them, or the configured
   * part size when 0); any old ones are removed first.
   */
  private List<ResumeState.Part> fresh(Digest digest, long size, int parts, long modelRemaining)
      throws StageException {
    Path data = dataFile(digest);
    Path stateFile = stateFile(digest);
    try {
      Files.deleteIfExists(stateFile);
      Files.deleteIfExists(data);
      List<ResumeState.Part> plan =
          parts == 1
              ? List.of(new ResumeState.Part(0, size, 0))
              : PartPlan.of(size, options.partSize());
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
          stateFile, new ResumeState(ResumeState.VERSION, digest.toString(), size, plan).toJson());
      return plan;
    } catch (IOException e) {
      throw DiskErrors.of(e, data, modelRemaining);
    }
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
