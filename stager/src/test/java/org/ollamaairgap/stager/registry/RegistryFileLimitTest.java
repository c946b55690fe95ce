package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * {@code EFBIG} ("File too large") for real: the registry driver in a child JVM whose file-size
 * limit ({@code ulimit -f}) is below the blob's size, as a file system with a small maximum file
 * size would have it. It is an environment problem (exit 3) that names the limit.
 */
class RegistryFileLimitTest {
  @TempDir Path dir;

  @Test
  void blobLargerThanTheFileSizeLimit_exit3NamingTheLimit() throws Exception {
    try (FakeRegistry registry = new FakeRegistry()) {
      SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 5, 2_000_000);
      registry.push(m);
      Path store = dir.resolve("models");
      Path log = dir.resolve("child.log");
      List<String> command =
          List.of(
              "/bin/sh",
              "-c",
              "ulimit -f 512 && exec \"$0\" \"$@\"", // 512 KiB
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx64m",
              "-cp",
              System.getProperty("java.class.path"),
              StageCli.class.getName(),
              "--insecure",
              "--models-dir",
              store.toString(),
              m.name().toString());
      Process child =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

      String out = Files.readString(log);
      assertThat(child.exitValue()).as(out).isEqualTo(3);
      Path partial = new StoreLayout(store).partialBlob(m.layers().get(0).blob().digest());
      assertThat(out)
          .contains(
              "failed "
                  + m.name()
                  + " NOT_WRITABLE: cannot write "
                  + partial
                  + ": the file is larger than the file system ")
          .contains(
              " allows, or than this process's file-size limit (ulimit -f) allows (File too"
                  + " large); put the store on a file system that holds files this big");
      assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();
    }
  }
}
