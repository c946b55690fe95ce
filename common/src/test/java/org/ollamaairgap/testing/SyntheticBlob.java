package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;

/**
 * Test content for one blob: either fixed bytes (configs, templates) or a deterministic
 * pseudo-random stream of any length generated on the fly, so multi-GB blobs cost no memory and the
 * same (seed, size) always has the same digest across runs and machines.
 */
public final class SyntheticBlob {
  private final byte[] bytes;
  private final long seed;
  private final long size;
  private Digest digest;

  private SyntheticBlob(byte[] bytes, long seed, long size) {
    this.bytes = bytes;
    this.seed = seed;
    this.size = size;
  }

  /** A blob with exactly these bytes. */
  public static SyntheticBlob of(byte[] bytes) {
    return new SyntheticBlob(bytes.clone(), 0, bytes.length);
  }

  /** A blob with this UTF-8 text. */
  public static SyntheticBlob text(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code size} deterministic pseudo-random bytes derived from {@code seed}. */
  public static SyntheticBlob random(long seed, long size) {
    return new SyntheticBlob(null, seed, size);
  }

  public long size() {
    return size;
  }

  /** Streams the content; memory use does not depend on the size. */
  public InputStream open() {
    if (bytes != null) {
      return new java.io.ByteArrayInputStream(bytes);
    }
    return new RandomStream(seed, size);
  }

  /** The SHA-256 of the content, computed once by streaming it. */
  public synchronized Digest digest() {
    if (digest == null) {
      MessageDigest md = Sha256.newDigest();
      byte[] buf = new byte[1 << 16];
      try (InputStream in = open()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      digest = Digest.of(md.digest());
    }
    return digest;
  }

  /** Writes the content to {@code file}, replacing it. */
  public void writeTo(Path file) throws IOException {
    try (InputStream in = open();
        OutputStream out = Files.newOutputStream(file)) {
      in.transferTo(out);
    }
  }

  /** xorshift64* output, 8 bytes per step: fast enough to feed GB-sized tests. */
  private static final class RandomStream extends InputStream {
    private long state;
    private long remaining;
    private long word;
    private int wordBytes;

    RandomStream(long seed, long size) {
      this.state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
      if (state == 0) {
        state = 1;
      }
      this.remaining = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        if (wordBytes == 0) {
          state ^= state >>> 12;
          state ^= state << 25;
          state ^= state >>> 27;
          word = state * 0x2545F4914F6CDD1DL;
          wordBytes = 8;
        }
        b[off + i] = (byte) word;
        word >>>= 8;
        wordBytes--;
      }
      remaining -= n;
      return n;
    }
  }
}
