package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page-cache probe against the kernel: a file just written is resident, a dropped one not. */
class ResidencyTest {
  @TempDir Path tmp;

  @Test
  void residentAfterWritingAndNotAfterTheKernelDropsIt() throws Exception {
    Path file = tmp.resolve("blob");
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8 << 20));
      ch.force(true); // clean pages can be dropped
    }
    try (FileChannel ch = FileChannel.open(file)) {
      assertThat(Residency.cached(ch, 0, ch.size())).isTrue();
      assertThat(Residency.cached(ch, 0, 0)).isTrue();

      // GNU dd's nocache flag is posix_fadvise(POSIX_FADV_DONTNEED) over the whole file.
      Process dd =
          new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0")
              .redirectErrorStream(true)
              .start();
      assumeTrue(dd.waitFor(30, TimeUnit.SECONDS) && dd.exitValue() == 0, "dd iflag=nocache");

      assertThat(Residency.cached(ch, 0, ch.size())).isFalse();
    }
  }
}
