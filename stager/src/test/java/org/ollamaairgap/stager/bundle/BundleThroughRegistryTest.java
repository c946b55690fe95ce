package org.ollamaairgap.stager.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ollamaairgap.common.bundle.BundleListener;
import org.ollamaairgap.common.bundle.DirectorySink;
import org.ollamaairgap.common.bundle.Exporter;
import org.ollamaairgap.common.bundle.ModelOutcome;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.registry.RegistryDriver;
import org.ollamaairgap.stager.registry.RegistryOptions;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.Fixtures;
import org.ollamaairgap.testing.LocalRegistry;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Serving production from the site's own registry: a bundle is pushed into the real docker-registry
 * with Debian's skopeo ({@code skopeo copy oci:DIR:NAME docker://...}), the way a site fills its
 * Harbor, and the registry driver stages it from there with {@code --mirror}. The resulting store
 * is byte-identical to the source store, under the canonical names.
 */
class BundleThroughRegistryTest {
  @RegisterExtension final Fixtures fixtures = new Fixtures();

  static final SyntheticModel LLAMA = SyntheticModel.typical("llama3.2:1b", 21, 1_500_000);
  static final SyntheticModel OTHER = SyntheticModel.typical("team/other:q8", 22, 600_000);

  @Test
  void skopeoIntoTheRegistry_thenRegistryDriverWithMirror_givesTheSourceStoreByteForByte()
      throws Exception {
    Path dir = fixtures.newDir("harbor");
    StoreBuilder source = StoreBuilder.at(dir.resolve("src")).add(LLAMA).add(OTHER);
    Path bundle = dir.resolve("bundle");
    List<ModelOutcome> exported;
    try (DirectorySink sink = new DirectorySink(bundle)) {
      exported =
          new Exporter(source.layout(), BundleListener.NONE)
              .export(List.of(LLAMA.name(), OTHER.name()), sink, Map.of());
    }
    assertThat(exported).allMatch(ModelOutcome::ok);
    LocalRegistry harbor = fixtures.registry();
    for (SyntheticModel m : List.of(LLAMA, OTHER)) {
      skopeo(
          dir,
          "copy",
          "--dest-tls-verify=false",
          "oci:" + bundle + ":" + m.name(),
          "docker://127.0.0.1:"
              + harbor.port()
              + "/"
              + m.name().repository()
              + ":"
              + m.name().tag());
    }

    Path staged = dir.resolve("production");
    RegistryOptions options =
        TestOptions.registry()
            .mirror(java.net.URI.create(harbor.baseUrl() + "/"))
            .retries(2)
            .backoffBase(Duration.ofMillis(10))
            .build();
    try (RegistryDriver driver = new RegistryDriver(new StoreLayout(staged), options)) {
      for (SyntheticModel m : List.of(LLAMA, OTHER)) {
        driver.commit(
            m.name(), driver.stage(m.name(), driver.resolve(m.name()), PullListener.NONE));
      }
    }

    assertThat(staged.resolve("manifests/registry.ollama.ai/library/llama3.2/1b"))
        .hasBinaryContent(LLAMA.manifestBytes());
    assertThat(tree(staged)).isEqualTo(tree(source.root()));
  }

  /** Relative path to SHA-256 of every file, less our own working directory. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isRegularFile(p) && !rel.startsWith(".ollama-airgap")) {
          files.put(rel, Sha256.file(p, n -> {}).digest().toString());
        }
      }
    }
    return files;
  }

  static void skopeo(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Path log = dir.resolve("skopeo.log");
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "skopeo is not installed: run apt-get install -y skopeo (scripts/test.sh does this)", e);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
  }
}
