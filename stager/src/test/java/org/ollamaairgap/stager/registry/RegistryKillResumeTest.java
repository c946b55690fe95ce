package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A stager JVM killed with SIGKILL a third of the way through a 200 MB blob, then run again: the
 * second run continues from the checkpoints, so the bytes served over both runs stay within 1.25x
 * the blob size, and the result is byte for byte what the registry holds.
 */
class RegistryKillResumeTest {
  static final long SIZE = 200L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void killedMidDownload_rerunTransfersAtMostAQuarterMore() throws Exception {
    try (FakeRegistry registry = new FakeRegistry()) {
      SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/big:1", 42, SIZE);
      registry.push(m);
      Digest weights = m.layers().get(0).blob().digest();
      registry.throttle = 8L << 20; // per part: 4 parts, ~32 MB/s, ~6 s for the blob
      Path store = dir.resolve("models");
      List<String> args =
          List.of(
              "--insecure",
              "--models-dir",
              store.toString(),
              "--parts",
              "4",
              "--part-size",
              String.valueOf(SIZE / 4),
              m.name().toString());

      Process first = child(args, dir.resolve("first.log"));
      while (registry.blobBytesSent.get() < SIZE / 3 && first.isAlive()) {
        Thread.sleep(20);
      }
      assertThat(first.isAlive()).as("the first run is still downloading").isTrue();
      first.destroyForcibly(); // SIGKILL
      first.waitFor(30, TimeUnit.SECONDS);
      long firstRun = registry.blobBytesSent.get();
      assertThat(new StoreLayout(store).blob(weights)).doesNotExist();
      assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();

      registry.throttle = 0;
      Process second = child(args, dir.resolve("second.log"));
      assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("second.log"))).contains("staged " + m.name());
      assertThat(second.exitValue()).isZero();

      long total = registry.blobBytesSent.get();
      long allBlobs = m.blobs().values().stream().mapToLong(SyntheticBlob::size).sum();
      System.out.printf(
          "kill-resume: killed after %d bytes served, %d over both runs = %.3fx the model%n",
          firstRun, total, (double) total / allBlobs);
      assertThat(total)
          .as("bytes served over both runs (first run: %d)", firstRun)
          .isLessThanOrEqualTo(allBlobs + SIZE / 4);
      StoreLayout layout = new StoreLayout(store);
      assertThat(Files.readAllBytes(layout.manifest(m.name()))).isEqualTo(m.manifestBytes());
      for (Map.Entry<Digest, SyntheticBlob> e : m.blobs().entrySet()) {
        assertThat(Sha256.file(layout.blob(e.getKey()), n -> {}).digest()).isEqualTo(e.getKey());
      }
      try (var leftovers = Files.list(layout.stagingDir())) {
        assertThat(leftovers).isEmpty();
      }
    }
  }

  static Process child(List<String> args, Path log) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                StageCli.class.getName()));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
