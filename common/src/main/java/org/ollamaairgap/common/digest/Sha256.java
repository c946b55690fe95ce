package org.ollamaairgap.common.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.model.Digest;

/**
 * Streaming SHA-256 with bounded memory. The JDK's {@code MessageDigest} uses the CPU's SHA
 * instructions through a HotSpot intrinsic, which is what makes it as fast as {@code openssl dgst}.
 *
 * <p>Files are read in one thread into a reused heap array and hashed from it. Measured on the
 * project machine (2 cores, 3.2 GB store in the page cache, 2 files at a time): this loop hashed
 * 2.4 GB/s, against 1.3-1.5 GB/s for a reader thread feeding direct buffers to the hasher (the
 * extra threads compete for the same cores, and {@code MessageDigest} copies direct buffers in 4
 * KiB pieces) and 1.6 GB/s for {@code openssl dgst -sha256} with {@code xargs -P 2}. Sequential
 * reads of cold files are left to the kernel's read-ahead.
 */
public final class Sha256 {
  /** Read size: large enough to amortise system calls, small enough to stay in L2/L3 caches. */
  public static final int BUFFER_SIZE = 256 * 1024;

  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The digest of these bytes. */
  public static Digest of(byte[] bytes) {
    return Digest.of(newDigest().digest(bytes));
  }

  /**
   * Hashes a file, passing the length of each chunk read to {@code progress}. The caller decides
   * whether the file may be opened (regular file, inside the store); this only reads it.
   */
  public static HashResult file(Path file, LongConsumer progress) throws IOException {
    MessageDigest md = newDigest();
    byte[] buffer = BUFFERS.get();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (n > 0) {
          md.update(buffer, 0, n);
          size += n;
          progress.accept(n);
        }
      }
    }
    return new HashResult(Digest.of(md.digest()), size);
  }
}
