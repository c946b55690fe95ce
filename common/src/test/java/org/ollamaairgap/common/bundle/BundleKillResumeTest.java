package org.ollamaairgap.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * A real kill: a child JVM exports (then imports) a big model and gets SIGKILL while a blob is
 * half-copied; the next run completes, and the result is byte-identical to the source.
 */
class BundleKillResumeTest {
  static final SyntheticModel BIG = SyntheticModel.typical("big:1", 31, 96L * 1024 * 1024);

  @TempDir Path dir;

  static Process cli(Path log, String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                BundleCli.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits until a non-empty temp file shows up under {@code dir}, then SIGKILLs the child. */
  static void killWhilePartial(Process p, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.anyMatch(f -> f.toString().endsWith(".tmp") && f.toFile().length() > 1 << 20)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            return;
          }
        } catch (IOException e) {
          // The directory changed under us; look again.
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError(
        "the child never had a partial file in " + dir + " (alive: " + p.isAlive() + ")");
  }

  @Test
  void exportAndImport_killedMidBlob_resume_toAByteIdenticalStore() throws Exception {
    StoreBuilder src = StoreBuilder.at(dir.resolve("src")).add(BIG);
    Path bundle = dir.resolve("bundle");
    Path dst = dir.resolve("dst");
    Digest weights = BIG.layers().get(0).blob().digest();

    Process export =
        cli(
            dir.resolve("export1.log"),
            "export",
            "--models",
            "big:1",
            "--models-dir",
            src.root().toString(),
            "--to",
            bundle.toString());
    killWhilePartial(export, bundle.resolve(OciLayout.TEMP));
    assertThat(bundle.resolve("index.json")).doesNotExist();
    Process again =
        cli(
            dir.resolve("export2.log"),
            "export",
            "--models",
            "big:1",
            "--models-dir",
            src.root().toString(),
            "--to",
            bundle.toString());
    assertThat(again.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).as(Files.readString(dir.resolve("export2.log"))).isZero();
    assertThat(Files.mismatch(bundle.resolve("blobs/sha256/" + weights.hex()), src.blob(weights)))
        .isEqualTo(-1);
    assertThat(bundle.resolve(OciLayout.TEMP)).doesNotExist();

    Process imp =
        cli(
            dir.resolve("import1.log"),
            "import",
            "--from",
            bundle.toString(),
            "--models-dir",
            dst.toString());
    killWhilePartial(imp, dst.resolve(".ollama-airgap/staging"));
    assertThat(dst.resolve("manifests/registry.ollama.ai/library/big/1")).doesNotExist();
    Process imp2 =
        cli(
            dir.resolve("import2.log"),
            "import",
            "--from",
            bundle.toString(),
            "--models-dir",
            dst.toString());
    assertThat(imp2.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(imp2.exitValue()).as(Files.readString(dir.resolve("import2.log"))).isZero();
    assertThat(Trees.of(dst)).isEqualTo(Trees.of(src.root()));
    try (Stream<Path> s = Files.list(dst.resolve(".ollama-airgap/staging"))) {
      assertThat(s).noneMatch(f -> f.toString().endsWith(".tmp"));
    }
  }
}
