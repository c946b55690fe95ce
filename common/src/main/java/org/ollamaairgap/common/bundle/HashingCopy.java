package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;

/** Copies a stream while hashing it, in one pass with one reused buffer: memory stays flat. */
final class HashingCopy {
  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[Sha256.BUFFER_SIZE]);

  private HashingCopy() {}

  /**
   * Copies until the end of {@code in} or until {@code max} bytes, hashing what was copied. Callers
   * that must notice a too-long source pass one more than they expect.
   */
  static HashResult copy(InputStream in, OutputStream out, long max, LongConsumer progress)
      throws IOException {
    MessageDigest md = Sha256.newDigest();
    byte[] buffer = BUFFERS.get();
    long copied = 0;
    while (copied < max) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
      if (n < 0) {
        break;
      }
      md.update(buffer, 0, n);
      out.write(buffer, 0, n);
      copied += n;
      progress.accept(n);
    }
    return new HashResult(Digest.of(md.digest()), copied);
  }

  /** Reads a stream to its end (or {@code max} bytes), hashing it, writing nothing. */
  static HashResult hash(InputStream in, long max, LongConsumer progress) throws IOException {
    return copy(in, OutputStream.nullOutputStream(), max, progress);
  }

  /** One more than {@code size}, without overflow: enough to see that a source is too long. */
  static long oneMore(long size) {
    return size == Long.MAX_VALUE ? size : size + 1;
  }
}
