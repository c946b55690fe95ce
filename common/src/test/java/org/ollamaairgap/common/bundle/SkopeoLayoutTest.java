package org.ollamaairgap.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.testing.Fixtures;
import org.ollamaairgap.testing.LocalRegistry;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Our OCI layout used by a standard tool we did not write: Debian's skopeo 1.9.3 copies a bundle's
 * model into the real docker-registry, which then serves the registry's manifest bytes unchanged.
 * This is what the index's OCI-typed descriptors are for (see {@link BundleIndex}).
 */
class SkopeoLayoutTest {
  @RegisterExtension final Fixtures fixtures = new Fixtures();

  static final SyntheticModel TINY = SyntheticModel.typical("tiny", 11, 400_000);
  static final SyntheticModel OTHER = SyntheticModel.typical("team/other:q8", 12, 100_000);

  @Test
  void skopeoCopy_fromTheBundle_byCanonicalName_servesTheSameManifestBytesAndBlobs()
      throws Exception {
    Path dir = fixtures.newDir("skopeo");
    StoreBuilder src = StoreBuilder.at(dir.resolve("src")).add(TINY).add(OTHER);
    Path bundle = dir.resolve("bundle");
    try (DirectorySink sink = new DirectorySink(bundle)) {
      new Exporter(src.layout(), BundleListener.NONE)
          .export(List.of(TINY.name(), OTHER.name()), sink, Map.of());
    }
    LocalRegistry registry = fixtures.registry();

    for (SyntheticModel m : List.of(TINY, OTHER)) {
      skopeo(
          dir,
          "copy",
          "--dest-tls-verify=false",
          "oci:" + bundle + ":" + m.name(),
          "docker://127.0.0.1:"
              + registry.port()
              + "/"
              + m.name().repository()
              + ":"
              + m.name().tag());
    }

    for (SyntheticModel m : List.of(TINY, OTHER)) {
      HttpResponse<byte[]> got = get(registry.manifestUrl(m.name()));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(m.manifestBytes());
      assertThat(got.headers().firstValue("Docker-Content-Digest"))
          .hasValue(m.manifest().digest().toString());
      for (Digest d : m.blobs().keySet()) {
        assertThat(Files.mismatch(registry.blobFile(d), src.blob(d))).isEqualTo(-1);
      }
    }
  }

  static HttpResponse<byte[]> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", LocalRegistry.MANIFEST_V2)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  static void skopeo(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(List.of(args));
    Path log = dir.resolve("skopeo.log");
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "skopeo is not installed: run apt-get install -y skopeo (the repository's .ci/run does this)",
          e);
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
  }
}
