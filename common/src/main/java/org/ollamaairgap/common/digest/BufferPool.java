package org.ollamaairgap.common.digest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The read buffers every pipeline of the process shares: direct, aligned for {@code O_DIRECT}, cut
 * from one slab allocated at first use, so memory stays fixed however many files are hashed and
 * however large they are. Direct memory is limited like the heap ({@code -XX:MaxDirectMemorySize}
 * defaults to {@code -Xmx}), so the slab is a quarter of the maximum heap, between 2 and 8 buffers.
 */
final class BufferPool {
  /** One read: large enough for the storage to stream, small enough that 8 fit in 32 MiB. */
  static final int BUFFER_SIZE = 4 << 20;

  /**
   * The largest {@code O_DIRECT} alignment served. Java aligns to the file system's fragment size,
   * 4 KiB on local disks and up to 1 MiB on NFS (its {@code rsize}).
   */
  static final int MAX_ALIGNMENT = 1 << 20;

  static final BufferPool SHARED = new BufferPool(count(Runtime.getRuntime().maxMemory()));

  private final int count;
  private final BlockingQueue<ByteBuffer> free;
  private boolean allocated;
  private boolean unavailable;

  BufferPool(int count) {
    this.count = count;
    this.free = new ArrayBlockingQueue<>(count);
  }

  static int count(long maxHeap) {
    return (int) Math.max(2, Math.min(8, maxHeap / 4 / BUFFER_SIZE));
  }

  /** False when the slab could not be had (direct memory limit too low): read without a pool. */
  synchronized boolean available() {
    if (!allocated && !unavailable) {
      try {
        ByteBuffer slab =
            ByteBuffer.allocateDirect(count * BUFFER_SIZE + MAX_ALIGNMENT)
                .alignedSlice(MAX_ALIGNMENT);
        for (int i = 0; i < count; i++) {
          free.add(slab.slice(i * BUFFER_SIZE, BUFFER_SIZE));
        }
        allocated = true;
      } catch (OutOfMemoryError e) {
        // -XX:MaxDirectMemorySize below the slab: hashing still works, one plain loop per file.
        unavailable = true;
      }
    }
    return allocated;
  }

  /**
   * Takes between 1 and {@code max} buffers: waits for the first, takes the others only if free, so
   * a caller never waits while it holds buffers (no deadlock however many pipelines run).
   */
  List<ByteBuffer> acquire(int max) throws InterruptedException {
    List<ByteBuffer> buffers = new ArrayList<>(max);
    buffers.add(free.take());
    while (buffers.size() < max) {
      ByteBuffer b = free.poll();
      if (b == null) {
        break;
      }
      buffers.add(b);
    }
    return buffers;
  }

  void release(List<ByteBuffer> buffers) {
    for (ByteBuffer b : buffers) {
      b.clear();
      free.add(b);
    }
  }

  int size() {
    return count;
  }

  /** Buffers not lent out (all of them once every pipeline has ended). */
  int free() {
    return free.size();
  }
}
