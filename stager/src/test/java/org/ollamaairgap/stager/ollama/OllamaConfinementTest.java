package org.ollamaairgap.stager.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.stager.testing.HostileStore;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Ollama follows symbolic links wherever they lead, so the {@code ollama} driver checks the
 * directories Ollama will write into before it asks for a pull (issue 18).
 */
@QuarkusMainTest
class OllamaConfinementTest {
  @TempDir Path tmp;

  @Test
  void manifestHostDirLinkedOutOfTheStore_exit3WithoutAPull(QuarkusMainLauncher launcher)
      throws Exception {
    HostileStore store = new HostileStore(tmp);
    SyntheticModel tiny = SyntheticModel.typical("tiny:1b", 7, 100_000);
    Path hostDir = store.layout().manifestsDir().resolve("registry.ollama.ai");
    Files.createDirectories(store.layout().manifestsDir());
    Path target = store.outside().resolve("sub");
    Files.createSymbolicLink(hostDir, target);
    store.snapshotOutside();
    try (FakeOllamaServer fake = FakeOllamaServer.start(store.models(), Duration.ZERO).add(tiny)) {
      LaunchResult result =
          launcher.launch(
              "--driver",
              "ollama",
              "--ollama-host",
              fake.uri().toString(),
              "--models-dir",
              store.models().toString(),
              "--linger",
              "0",
              "--kubernetes",
              "false",
              "--termination-log",
              store.terminationLog().toString(),
              "tiny:1b");

      assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(3);
      List<String> out = result.getOutputStream();
      assertThat(out.get(out.size() - 1))
          .contains(
              "\"reason\":\"tiny:1b: "
                  + hostDir
                  + " is a symbolic link to "
                  + target
                  + ", outside the store "
                  + store.models());
      assertThat(fake.requests()).isEmpty();
    }
    store.assertOutsideUntouched();
  }
}
