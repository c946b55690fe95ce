package org.ollamaairgap.common.digest;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whether a range of a file is in the page cache, asked of the kernel ({@code mincore(2)} behind
 * {@link MappedByteBuffer#isLoaded()} on a mapping that is never touched, so nothing is read). Java
 * has no {@code posix_fadvise}; this is how a read picks its path: resident data is copied from
 * memory, anything else is read from the storage with {@code O_DIRECT}.
 */
final class Residency {
  private Residency() {}

  /** True only when every page of the range is resident; false also when it cannot be told. */
  static boolean cached(FileChannel channel, long position, long length) {
    if (length <= 0) {
      return true;
    }
    try {
      MappedByteBuffer probe = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
      // The mapping goes with the buffer object; untouched, it costs address space only.
      return probe.isLoaded();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
