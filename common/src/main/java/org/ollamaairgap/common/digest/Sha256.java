package org.ollamaairgap.common.digest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.model.Digest;

/**
 * Streaming SHA-256 with bounded memory. The JDK's {@code MessageDigest} uses the CPU's SHA
 * instructions through a HotSpot intrinsic, which is what makes it as fast as {@code openssl dgst};
 * the buffer size matters much less (64 KiB to 1 MiB all measured within a few percent).
 *
 * <p>Large files are read by a second thread that keeps the next buffers in flight while this one
 * hashes: on data that is not in the page cache (NFS in production) reading and hashing in one
 * thread serialises I/O wait and CPU; overlapping them is what beats {@code openssl dgst} there.
 * Memory stays bounded: {@link #PIPELINE_BUFFERS} buffers of {@link #PIPELINE_BUFFER_SIZE} per
 * hashing thread, reused.
 */
public final class Sha256 {
  /** Read size: large enough to amortise system calls, small enough to stay in L2/L3 caches. */
  public static final int BUFFER_SIZE = 1 << 20;

  /** Buffers per hashing thread when a reader thread feeds it. */
  public static final int PIPELINE_BUFFERS = 4;

  /**
   * Size of each pipeline buffer. Direct memory is capped by {@code -Xmx} by default, so 2 MiB in
   * flight per hashing thread keeps even 16 threads in a 64 MiB JVM.
   */
  public static final int PIPELINE_BUFFER_SIZE = BUFFER_SIZE / 2;

  /** Below this a second thread costs more than it saves. */
  static final long PIPELINE_THRESHOLD = 16L << 20;

  private static final ThreadLocal<ByteBuffer> BUFFERS =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_SIZE));

  private static final ThreadLocal<ByteBuffer[]> PIPELINES =
      ThreadLocal.withInitial(
          () -> {
            ByteBuffer[] buffers = new ByteBuffer[PIPELINE_BUFFERS];
            for (int i = 0; i < buffers.length; i++) {
              buffers[i] = ByteBuffer.allocateDirect(PIPELINE_BUFFER_SIZE);
            }
            return buffers;
          });

  /** Marks the end of the file in the queue of filled buffers. */
  private static final ByteBuffer END = ByteBuffer.allocate(0);

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
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() >= PIPELINE_THRESHOLD) {
        return pipelined(channel, progress);
      }
      return inline(channel, progress);
    }
  }

  private static HashResult inline(FileChannel channel, LongConsumer progress) throws IOException {
    MessageDigest md = newDigest();
    ByteBuffer buffer = BUFFERS.get();
    long size = 0;
    while (true) {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        break;
      }
      buffer.flip();
      md.update(buffer);
      size += n;
      progress.accept(n);
    }
    return new HashResult(Digest.of(md.digest()), size);
  }

  private static HashResult pipelined(FileChannel channel, LongConsumer progress)
      throws IOException {
    ByteBuffer[] buffers = PIPELINES.get();
    BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(buffers.length);
    BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(buffers.length + 1);
    for (ByteBuffer b : buffers) {
      free.add(b);
    }
    IOException[] failure = new IOException[1];
    Thread reader = new Thread(() -> read(channel, free, filled, failure), "sha256-reader");
    reader.setDaemon(true);
    reader.start();
    MessageDigest md = newDigest();
    long size = 0;
    boolean finished = false;
    try {
      while (true) {
        ByteBuffer buffer = filled.take();
        if (buffer == END) {
          break;
        }
        int n = buffer.remaining();
        md.update(buffer);
        size += n;
        progress.accept(n);
        free.put(buffer);
      }
      reader.join();
      finished = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing");
    } finally {
      if (!finished) {
        reader.interrupt(); // it may wait for a free buffer that will never come
      }
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    return new HashResult(Digest.of(md.digest()), size);
  }

  /** The reader thread: fills free buffers in file order, then queues {@link #END}. */
  private static void read(
      FileChannel channel,
      BlockingQueue<ByteBuffer> free,
      BlockingQueue<ByteBuffer> filled,
      IOException[] failure) {
    try {
      try {
        while (true) {
          ByteBuffer buffer = free.take();
          buffer.clear();
          int n;
          do { // fill the whole buffer: fewer, larger hash updates
            n = channel.read(buffer);
          } while (n >= 0 && buffer.hasRemaining());
          buffer.flip();
          if (buffer.hasRemaining()) {
            filled.put(buffer);
          }
          if (n < 0) {
            break;
          }
        }
      } catch (IOException e) {
        synchronized (failure) {
          failure[0] = e;
        }
      }
      filled.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the hashing thread gave up; nobody waits for END
    }
  }
}
