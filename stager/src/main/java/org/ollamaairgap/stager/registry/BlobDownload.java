package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * Downloads one blob into the staging directory in parallel Range parts, hashing the contiguous
 * prefix as it completes (read back from the page cache, so there is no second pass over the blob
 * at the end), checkpointing per-part progress after flushing the data, and renaming the verified
 * file into {@code blobs/}. A killed run resumes from the last checkpoint, which trails the data by
 * at most a checkpoint's worth of bytes.
 */
final class BlobDownload {
  /** Ollama's part size rule: total/16 clamped to [100 MB, 1000 MB]. */
  static final long MIN_AUTO_PART = 100_000_000L;

  static final long MAX_AUTO_PART = 1_000_000_000L;
  private static final int COPY_BUFFER = 256 * 1024;
  private static final long HASH_SLICE = 64L << 20;
  private static final Digest EMPTY = Sha256.of(new byte[0]);

  private final RegistryClient client;
  private final RegistryOptions options;
  private final StoreWriter writer;
  private final ExecutorService pool;
  private final RateLimiter limiter;
  private final Backoff backoff;

  /**
   * Hashing read-back buffer, allocated once: blobs are fetched one at a time, and direct memory is
   * as small as the heap under -Xmx64m.
   */
  private final ByteBuffer hashBuffer = ByteBuffer.allocateDirect(Sha256.BUFFER_SIZE);

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

  /** Cuts a blob into parts: the configured size, or Ollama's rule; never more than MAX_PARTS. */
  static List<ResumeState.Part> plan(long size, long partSize) {
    long ps = partSize > 0 ? partSize : Math.min(MAX_AUTO_PART, Math.max(MIN_AUTO_PART, size / 16));
    ps = Math.max(ps, (size + ResumeState.MAX_PARTS - 1) / ResumeState.MAX_PARTS);
    List<ResumeState.Part> parts = new ArrayList<>();
    for (long off = 0; off < size; off += ps) {
      parts.add(new ResumeState.Part(off, Math.min(ps, size - off), 0));
    }
    return parts;
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
        plan = plan(size, options.partSize());
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
    new Run(model, digest, size, plan, data, stateFile, modelRemaining, listener).execute();
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

  /** One blob's download: part workers on the pool, and the calling thread hashing. */
  private final class Run {
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

    Run(
        ModelName model,
        Digest digest,
        long size,
        List<ResumeState.Part> plan,
        Path data,
        Path stateFile,
        long modelRemaining,
        PullListener listener) {
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
          workers.add(pool.submit(() -> work(index)));
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
      ByteBuffer buffer = hashBuffer;
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

    private long present() {
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
        writer.replaceDurably(
            stateFile,
            new ResumeState(ResumeState.VERSION, digest.toString(), size, parts).toJson());
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

    private void finish(Digest actual) throws StageException {
      if (!actual.equals(digest)) {
        discard();
        throw new StageException(
            Reason.DIGEST_MISMATCH,
            "blob "
                + digest
                + " of "
                + model
                + ": the "
                + size
                + " bytes downloaded hash to "
                + actual
                + "; the registry or something between served wrong content. The download was"
                + " discarded; nothing was stored under the blob's name");
      }
      try {
        writer.commitBlob(data, digest);
        Files.deleteIfExists(stateFile);
      } catch (IOException e) {
        throw DiskErrors.of(e, writer.layout().blob(digest), modelRemaining);
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

    private void fail(StageException e) {
      if (failure.compareAndSet(null, e)) {
        for (Transport.Response r : open) {
          r.abort();
        }
      }
      wake();
    }

    private void wake() {
      synchronized (signal) {
        signal.notifyAll();
      }
    }

    /** Downloads one part until it is complete, retrying transient failures. */
    private void work(int index) {
      ResumeState.Part part = plan.get(index);
      AtomicLong done = completed[index];
      byte[] buffer = new byte[COPY_BUFFER];
      int attempt = 0;
      try {
        while (done.get() < part.size() && failure.get() == null) {
          long before = done.get();
          try {
            transfer(part, done, buffer);
          } catch (TransientException e) {
            if (done.get() > before) {
              attempt = 0;
            }
            attempt++;
            if (attempt > options.retries()) {
              fail(gaveUp(index, e, attempt));
              return;
            }
            if (failure.get() != null) {
              return;
            }
            listener.retry(
                model, "blob " + digest.shortHex() + " part " + index + ": " + e.getMessage());
            listener.blobCompleted(model, digest, present());
            options.sleeper().sleep(backoff.delay(attempt, e.retryAfter));
          }
        }
      } catch (StageException e) {
        fail(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(new StageException(Reason.INTERRUPTED, "interrupted while downloading " + digest, e));
      } catch (RuntimeException e) {
        fail(new StageException(Reason.TRANSFER_FAILED, "blob " + digest + ": " + e, e));
      } finally {
        wake();
      }
    }

    private StageException gaveUp(int index, TransientException e, int attempts) {
      return new StageException(
          e.stall ? Reason.STALLED : Reason.TRANSFER_FAILED,
          "blob "
              + digest
              + " of "
              + model
              + ", part "
              + index
              + " (bytes "
              + plan.get(index).offset()
              + "+"
              + plan.get(index).size()
              + "): "
              + e.getMessage()
              + "; gave up after "
              + attempts
              + " attempts in a row without progress. A re-run resumes from what is on disk",
          e);
    }

    private void transfer(ResumeState.Part part, AtomicLong done, byte[] buffer)
        throws StageException, TransientException, InterruptedException {
      long start = part.offset() + done.get();
      long end = part.offset() + part.size() - 1;
      Transport.Response r = client.blob(model, digest, start, end);
      open.add(r);
      boolean clean = false;
      try {
        InputStream in = r.body();
        if (r.status == 206) {
          checkContentRange(r, start);
        } else {
          // A server that ignores Range sends the whole blob: skip to where this part continues.
          in.skipNBytes(start);
        }
        while (done.get() < part.size()) {
          if (failure.get() != null) {
            return;
          }
          int want = (int) Math.min(buffer.length, part.size() - done.get());
          int n = in.read(buffer, 0, want);
          if (n < 0) {
            throw new TransientException(
                "connection closed after "
                    + done.get()
                    + " of the part's "
                    + part.size()
                    + " bytes",
                null);
          }
          limiter.acquire(n);
          long pos = part.offset() + done.get();
          write(buffer, n, pos);
          done.addAndGet(n);
          listener.transferred(model, n);
          wake();
        }
        clean = r.status == 206;
      } catch (java.io.EOFException e) {
        throw new TransientException("body shorter than announced", null, false, e);
      } catch (IOException e) {
        if (failure.get() != null) {
          return;
        }
        throw RegistryClient.transientOf(e);
      } finally {
        open.remove(r);
        if (clean) {
          r.close();
        } else {
          r.abort();
        }
      }
    }

    private void checkContentRange(Transport.Response r, long start)
        throws TransientException, StageException {
      String range = r.header("Content-Range");
      if (range == null) {
        return;
      }
      // "bytes <first>-<last>/<total|*>"
      String v = range.trim();
      int dash = v.indexOf('-');
      int slash = v.indexOf('/');
      long first;
      String total;
      try {
        first = Long.parseLong(v.substring(v.indexOf(' ') + 1, dash).trim());
        total = v.substring(slash + 1).trim();
        if (!total.equals("*")) {
          Long.parseLong(total);
        }
      } catch (RuntimeException e) {
        throw new TransientException("unreadable Content-Range '" + range + "'", null);
      }
      if (!total.equals("*") && Long.parseLong(total) != size) {
        throw new StageException(
            Reason.DIGEST_MISMATCH,
            "blob "
                + digest
                + " of "
                + model
                + ": the registry has "
                + total
                + " bytes of it, the manifest says "
                + size
                + "; registry and manifest disagree");
      }
      if (first != start) {
        throw new TransientException(
            "asked for bytes from " + start + ", got Content-Range " + range, null);
      }
    }

    private void write(byte[] buffer, int n, long position) throws StageException {
      ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
      try {
        long pos = position;
        while (b.hasRemaining()) {
          pos += channel.write(b, pos);
        }
      } catch (IOException e) {
        if (failure.get() != null) {
          throw failure.get();
        }
        throw DiskErrors.of(e, data, modelRemaining - present());
      }
    }
  }
}
