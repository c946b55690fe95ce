package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * One blob's download: a {@link PartFetch} per unfinished part on the pool, and the calling thread
 * hashing the contiguous prefix, checkpointing, and committing the verified file. The first failure
 * stops every part.
 */
final class BlobTransfer {
  private static final long HASH_SLICE = 64L << 20;

  final BlobDownload download;
  final RegistryOptions options;
  final ModelName model;
  final Digest digest;
  final long size;
  final Path data;
  final Path stateFile;
  final long modelRemaining;
  final PullListener listener;
  final List<ResumeState.Part> plan;
  final AtomicLong[] completed;
  final AtomicReference<StageException> failure = new AtomicReference<>();
  final Set<Transport.Response> open = ConcurrentHashMap.newKeySet();
  final Object signal = new Object();
  FileChannel channel;
  private Digest mismatch;
  private volatile String rangeIgnored;

  BlobTransfer(
      BlobDownload download,
      ModelName model,
      Digest digest,
      long size,
      List<ResumeState.Part> plan,
      Path data,
      Path stateFile,
      long modelRemaining,
      PullListener listener) {
    this.download = download;
    this.options = download.options;
    this.model = model;
    this.digest = digest;
    this.size = size;
    this.plan = plan;
    this.data = data;
    this.stateFile = stateFile;
    this.modelRemaining = modelRemaining;
    this.listener = listener;
    this.completed = new AtomicLong[plan.size()];
    for (int i = 0; i < plan.size(); i++) {
      completed[i] = new AtomicLong(plan.get(i).completed());
    }
  }

  void execute() throws StageException {
    try {
      channel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw DiskErrors.of(e, data, modelRemaining);
    }
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      if (completed[i].get() < plan.get(i).size()) {
        int index = i;
        workers.add(download.pool.submit(() -> new PartFetch(this, index).run()));
      }
    }
    Digest actual;
    try {
      actual = hashWhileDownloading(workers);
    } catch (StageException e) {
      stop(workers);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(workers);
      throw new StageException(Reason.INTERRUPTED, "interrupted while downloading " + digest, e);
    } finally {
      closeQuietly();
    }
    finish(actual);
  }

  private Digest hashWhileDownloading(List<Future<?>> workers)
      throws StageException, InterruptedException {
    MessageDigest md = Sha256.newDigest();
    ByteBuffer buffer = download.hashBuffer;
    long hashed = 0;
    long reported = -1;
    long checkpointed = present();
    Instant lastCheckpoint = options.clock().instant();
    long quantum = Math.max(4L << 20, size / 64);
    while (true) {
      StageException f = failure.get();
      if (f != null) {
        throw f;
      }
      long prefix = prefix();
      long sliceEnd = Math.min(prefix, hashed + HASH_SLICE);
      try {
        while (hashed < sliceEnd) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), sliceEnd - hashed));
          int n = channel.read(buffer, hashed);
          if (n <= 0) {
            throw new IOException("unexpected end of " + data + " at byte " + hashed);
          }
          buffer.flip();
          md.update(buffer);
          hashed += n;
        }
      } catch (IOException e) {
        throw DiskErrors.of(e, data, modelRemaining);
      }
      long now = present();
      if (now != reported) {
        listener.blobCompleted(model, digest, now);
        reported = now;
      }
      if (hashed == size) {
        awaitAll(workers);
        return Digest.of(md.digest());
      }
      Instant t = options.clock().instant();
      if (now - checkpointed >= quantum
          || (now != checkpointed
              && Duration.between(lastCheckpoint, t).compareTo(options.checkpointInterval())
                  >= 0)) {
        checkpointed = checkpoint();
        lastCheckpoint = t;
      }
      if (hashed == prefix) {
        synchronized (signal) {
          if (prefix() == prefix && failure.get() == null) {
            signal.wait(100);
          }
        }
      }
    }
  }

  /** Bytes from offset 0 that are all written. */
  private long prefix() {
    long p = 0;
    for (int i = 0; i < plan.size(); i++) {
      long c = completed[i].get();
      p = plan.get(i).offset() + c;
      if (c < plan.get(i).size()) {
        break;
      }
    }
    return p;
  }

  long present() {
    long sum = 0;
    for (AtomicLong c : completed) {
      sum += c.get();
    }
    return sum;
  }

  /** Flushes the data written so far, then records it; returns the bytes recorded. */
  private long checkpoint() throws StageException {
    List<ResumeState.Part> parts = new ArrayList<>(plan.size());
    long sum = 0;
    for (int i = 0; i < plan.size(); i++) {
      ResumeState.Part p = plan.get(i);
      long c = completed[i].get();
      parts.add(new ResumeState.Part(p.offset(), p.size(), c));
      sum += c;
    }
    try {
      channel.force(false);
      download.writer.replaceDurably(
          stateFile, new ResumeState(ResumeState.VERSION, digest.toString(), size, parts).toJson());
    } catch (IOException e) {
      throw DiskErrors.of(e, stateFile, modelRemaining);
    }
    return sum;
  }

  private void awaitAll(List<Future<?>> workers) throws InterruptedException {
    for (Future<?> w : workers) {
      try {
        w.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // Workers report through failure; a part that finished has nothing left to say.
      }
    }
  }

  /** Stops every worker after a failure, keeping a last checkpoint for the next run. */
  private void stop(List<Future<?>> workers) {
    failure.compareAndSet(null, new StageException(Reason.INTERRUPTED, "stopped"));
    for (Transport.Response r : open) {
      r.abort();
    }
    try {
      checkpoint();
    } catch (StageException | RuntimeException e) {
      // A full or read-only disk cannot take the checkpoint; the previous one stays valid.
    }
    for (Future<?> w : workers) {
      w.cancel(true);
    }
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do: the data is flushed at commit or re-fetched on resume.
    }
  }

  /** What the complete download hashed to when that was not the digest; null otherwise. */
  Digest hashMismatch() {
    return mismatch;
  }

  /** The failure for {@link #hashMismatch()}: wrong content from the registry or on the way. */
  StageException mismatchFailure() {
    return new StageException(
        Reason.DIGEST_MISMATCH,
        "blob "
            + digest
            + " of "
            + model
            + ": the "
            + size
            + " bytes downloaded hash to "
            + mismatch
            + "; the registry or something between served wrong content. The download was"
            + " discarded; nothing was stored under the blob's name");
  }

  private void finish(Digest actual) throws StageException {
    if (!actual.equals(digest)) {
      discard();
      mismatch = actual;
      return;
    }
    try {
      download.writer.commitBlob(data, digest);
      Files.deleteIfExists(stateFile);
    } catch (IOException e) {
      throw DiskErrors.of(e, download.writer.layout().blob(digest), modelRemaining);
    }
  }

  private void discard() {
    try {
      Files.deleteIfExists(data);
      Files.deleteIfExists(stateFile);
    } catch (IOException e) {
      // Left-overs are discarded on the next run by the state check.
    }
  }

  /** What the server did instead of honouring Range, once a part saw it; null otherwise. */
  String rangeIgnored() {
    return rangeIgnored;
  }

  /** A part got the whole blob (or an odd range) back: stops every part, for one stream instead. */
  void rangeIgnored(String how) {
    synchronized (signal) {
      if (rangeIgnored == null) {
        rangeIgnored = how;
      }
    }
    fail(new StageException(Reason.TRANSFER_FAILED, "the server ignores Range: " + how));
  }

  void fail(StageException e) {
    if (failure.compareAndSet(null, e)) {
      for (Transport.Response r : open) {
        r.abort();
      }
    }
    wake();
  }

  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }
}
