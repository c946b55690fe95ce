package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * One Range part of a {@link BlobTransfer}: requested from where it stands, written at its offset,
 * counted as it arrives, and asked again after a transient failure until the retries run out
 * without progress.
 */
final class PartFetch {
  private static final int COPY_BUFFER = 256 * 1024;

  private final BlobTransfer t;
  private final int index;

  PartFetch(BlobTransfer transfer, int index) {
    this.t = transfer;
    this.index = index;
  }

  /** Downloads the part until it is complete, retrying transient failures. */
  void run() {
    ResumeState.Part part = t.plan.get(index);
    AtomicLong done = t.completed[index];
    byte[] buffer = new byte[COPY_BUFFER];
    int attempt = 0;
    try {
      while (done.get() < part.size() && t.failure.get() == null) {
        long before = done.get();
        try {
          transfer(part, done, buffer);
        } catch (TransientException e) {
          if (done.get() > before) {
            attempt = 0;
          }
          attempt++;
          if (attempt > t.options.retries()) {
            t.fail(gaveUp(index, e, attempt));
            return;
          }
          if (t.failure.get() != null) {
            return;
          }
          t.listener.retry(
              t.model, "blob " + t.digest.shortHex() + " part " + index + ": " + e.getMessage());
          t.listener.blobCompleted(t.model, t.digest, t.present());
          t.options.sleeper().sleep(t.download.backoff.delay(attempt, e.retryAfter));
        }
      }
    } catch (StageException e) {
      t.fail(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      t.fail(
          new StageException(Reason.INTERRUPTED, "interrupted while downloading " + t.digest, e));
    } catch (RuntimeException e) {
      t.fail(new StageException(Reason.TRANSFER_FAILED, "blob " + t.digest + ": " + e, e));
    } finally {
      t.wake();
    }
  }

  private StageException gaveUp(int index, TransientException e, int attempts) {
    return new StageException(
        e.stall ? Reason.STALLED : Reason.TRANSFER_FAILED,
        "blob "
            + t.digest
            + " of "
            + t.model
            + ", part "
            + index
            + " (bytes "
            + t.plan.get(index).offset()
            + "+"
            + t.plan.get(index).size()
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
    Transport.Response r = t.download.client.blob(t.model, t.digest, start, end);
    t.open.add(r);
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
        if (t.failure.get() != null) {
          return;
        }
        int want = (int) Math.min(buffer.length, part.size() - done.get());
        int n = in.read(buffer, 0, want);
        if (n < 0) {
          throw new TransientException(
              "connection closed after " + done.get() + " of the part's " + part.size() + " bytes",
              null);
        }
        t.download.limiter.acquire(n);
        long pos = part.offset() + done.get();
        write(buffer, n, pos);
        done.addAndGet(n);
        t.listener.transferred(t.model, n);
        t.wake();
      }
      clean = r.status == 206;
    } catch (java.io.EOFException e) {
      throw new TransientException("body shorter than announced", null, false, e);
    } catch (IOException e) {
      if (t.failure.get() != null) {
        return;
      }
      throw RegistryClient.transientOf(e);
    } finally {
      t.open.remove(r);
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
    if (!total.equals("*") && Long.parseLong(total) != t.size) {
      throw new StageException(
          Reason.DIGEST_MISMATCH,
          "blob "
              + t.digest
              + " of "
              + t.model
              + ": the registry has "
              + total
              + " bytes of it, the manifest says "
              + t.size
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
        pos += t.channel.write(b, pos);
      }
    } catch (IOException e) {
      if (t.failure.get() != null) {
        throw t.failure.get();
      }
      throw DiskErrors.of(e, t.data, t.modelRemaining - t.present());
    }
  }
}
