package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.stager.driver.Retries;
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
          // A dripping server makes a little progress on every attempt; that must not keep it
          // going for ever.
          if (done.get() > before && !(e instanceof MinRate.TooSlowException)) {
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
          Duration wait = t.download.backoff.delay(attempt, e.retryAfter);
          t.listener.retry(
              t.model,
              Retries.note(
                  "blob " + t.digest.shortHex() + " part " + index + ": " + e.getMessage(),
                  attempt,
                  t.options.retries(),
                  wait));
          t.listener.blobCompleted(t.model, t.digest, t.present());
          t.options.sleeper().sleep(wait);
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
            + (e instanceof MinRate.TooSlowException
                ? " attempts in a row, each too slow"
                : " attempts in a row without progress")
            + ". A re-run resumes from what is on disk",
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
      long first = contentRangeStart(r);
      boolean ranged = r.status == 206 && first == start;
      if (!ranged && t.plan.size() > 1) {
        // Every part would get the whole blob from byte 0: 16 parts, 16 times the traffic.
        t.rangeIgnored(
            r.status == 200
                ? "HTTP 200 with the whole blob"
                : "HTTP 206 with Content-Range '" + r.header("Content-Range") + "'");
        return;
      }
      // One stream for the whole blob: a 206 that names no range is taken as starting where asked.
      if (r.status == 206 && first != start && r.header("Content-Range") != null) {
        throw new TransientException(
            "asked for bytes from " + start + ", got Content-Range " + r.header("Content-Range"),
            null);
      }
      if (r.status == 200) {
        skipCounted(in, start);
      }
      MinRate rate = new MinRate(t.options.minRate(), t.options.minRateWindow(), System.nanoTime());
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
        long waitStart = System.nanoTime();
        t.download.limiter.acquire(n);
        long now = System.nanoTime();
        rate.paused(now - waitStart);
        long pos = part.offset() + done.get();
        write(buffer, n, pos);
        done.addAndGet(n);
        t.listener.transferred(t.model, n);
        t.wake();
        rate.received(n, now);
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

  /**
   * The one stream of a server that ignores Range starts at byte 0: what comes before the part's
   * resume point is read and dropped, and counted, since it did cross the network.
   */
  private void skipCounted(InputStream in, long start) throws IOException, TransientException {
    byte[] drop = new byte[COPY_BUFFER];
    long left = start;
    while (left > 0) {
      int n = in.read(drop, 0, (int) Math.min(drop.length, left));
      if (n < 0) {
        throw new TransientException("connection closed after " + (start - left) + " bytes", null);
      }
      left -= n;
      t.listener.transferred(t.model, n);
    }
  }

  /**
   * Where a 206 answer's {@code Content-Range} says it starts; -1 when it is missing or unreadable.
   * A total that is not the manifest's size fails the blob: registry and manifest disagree.
   */
  private long contentRangeStart(Transport.Response r) throws StageException {
    if (r.status != 206) {
      return -1;
    }
    String range = r.header("Content-Range");
    if (range == null) {
      return -1;
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
      return -1;
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
    return first;
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
