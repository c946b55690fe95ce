package org.ollamaairgap.common.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ollamaairgap.testing.SyntheticBlob;

/** Large files go through the reader-thread pipeline: same digest, every byte reported once. */
class Sha256PipelineTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      longs = {
        Sha256.PIPELINE_THRESHOLD - 1,
        Sha256.PIPELINE_THRESHOLD,
        Sha256.PIPELINE_THRESHOLD + 1,
        Sha256.PIPELINE_THRESHOLD + Sha256.PIPELINE_BUFFER_SIZE * (Sha256.PIPELINE_BUFFERS + 1L),
        Sha256.PIPELINE_THRESHOLD + Sha256.PIPELINE_BUFFER_SIZE * 3L + 12_345
      })
  void pipelinedHashIsTheStreamHash(long size) throws Exception {
    SyntheticBlob blob = SyntheticBlob.random(size, size);
    Path file = dir.resolve("blob");
    blob.writeTo(file);
    AtomicLong reported = new AtomicLong();

    HashResult result = Sha256.file(file, reported::addAndGet);
    HashResult again = Sha256.file(file, n -> {}); // buffers are reused by the same thread

    assertThat(result.digest()).isEqualTo(blob.digest());
    assertThat(result.size()).isEqualTo(size);
    assertThat(reported.get()).isEqualTo(size);
    assertThat(again).isEqualTo(result);
  }
}
