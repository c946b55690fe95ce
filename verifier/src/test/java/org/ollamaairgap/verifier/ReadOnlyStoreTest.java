package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The verifier on a truly read-only store: a read-only bind mount (EROFS), as production Ollama
 * sees NFS. {@code chmod} would not stop root, so it proves nothing. Skipped when mounting is not
 * permitted (not root, or no CAP_SYS_ADMIN in a container).
 */
@QuarkusMainTest
class ReadOnlyStoreTest {
  @TempDir Path dir;

  @Test
  void verifiesAReadOnlyBindMount(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store =
        StoreBuilder.at(dir.resolve("models"))
            .add(SyntheticModel.typical("llama3:8b", 1, 100_000))
            .add(SyntheticModel.typical("phi3:mini", 2, 50_000));
    Path root = store.root();
    String mounted = run("mount", "--bind", root.toString(), root.toString());
    assumeTrue(
        mounted.isEmpty(),
        "skipped: a read-only bind mount needs root with CAP_SYS_ADMIN (mount said: "
            + mounted
            + ")");
    try {
      String remount = run("mount", "-o", "remount,ro,bind", root.toString());
      assertThat(remount).as("remount read-only").isEmpty();
      assertThatThrownBy(() -> Files.createFile(root.resolve("probe")))
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining("Read-only file system");

      LaunchResult result =
          launcher.launch(
              "--models-dir", root.toString(), "--report", dir.resolve("report.json").toString());

      assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(0);
      assertThat(result.getOutput()).contains("OK: verified 2 models, 8 blobs");
      assertThat(dir.resolve("report.json")).exists();

      // The record lives outside the store: written after the first check, used by the second.
      Path record = Files.createDirectories(dir.resolve("record"));
      Thread.sleep(11_000); // past the record's settle time: fresh blobs are not recorded
      LaunchResult first =
          launcher.launch("--models-dir", root.toString(), "--record-dir", record.toString());
      assertThat(first.getOutput()).contains("verification record written to ");
      LaunchResult second =
          launcher.launch("--models-dir", root.toString(), "--record-dir", record.toString());
      assertThat(second.exitCode()).as(second.getOutput()).isEqualTo(0);
      assertThat(second.getOutput())
          .contains("OK: verified 2 models, 8 blobs, 0 B hashed in")
          .contains("(8 blobs, ");
    } finally {
      run("umount", "-l", root.toString());
    }
  }

  /** Runs a command; returns its output when it failed, an empty string when it succeeded. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    return code == 0 ? "" : ("exit " + code + ": " + output.strip());
  }
}
