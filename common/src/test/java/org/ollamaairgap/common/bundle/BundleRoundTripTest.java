package org.ollamaairgap.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/** Export to a directory and to a tar stream, import back: the store comes out byte-identical. */
class BundleRoundTripTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final SyntheticModel TINY = SyntheticModel.typical("tiny", 1, 300_000);
  static final SyntheticModel SMALL =
      SyntheticModel.typical("myreg:5000/team/small:q4", 2, 700_000);

  @TempDir Path dir;
  StoreBuilder source;

  @BeforeEach
  void store() throws IOException {
    source = StoreBuilder.at(dir.resolve("src")).add(TINY).add(SMALL);
  }

  List<ModelOutcome> export(BundleSink sink, ModelName... names) throws IOException {
    try (sink) {
      return new Exporter(source.layout(), BundleListener.NONE)
          .export(List.of(names), sink, Map.of());
    }
  }

  static List<ModelOutcome> importInto(Path store, BundleSource source) throws Exception {
    Importer importer =
        new Importer(new StoreWriter(new StoreLayout(store)), BundleListener.NONE, null);
    try (source) {
      return importer.apply(importer.plan(source));
    }
  }

  @Test
  void directoryBundle_isAnOciLayout_withTheRegistryBytesUnchanged() throws Exception {
    Path bundle = dir.resolve("bundle");
    List<ModelOutcome> out = export(new DirectorySink(bundle), TINY.name(), SMALL.name());

    assertThat(out).allMatch(ModelOutcome::ok);
    assertThat(Files.readString(bundle.resolve("oci-layout")))
        .isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    JsonNode index = JSON.readTree(bundle.resolve("index.json").toFile());
    assertThat(index.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    JsonNode first = index.at("/manifests/0");
    assertThat(first.get("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(first.at("/annotations/org.opencontainers.image.ref.name").asText())
        .isEqualTo("registry.ollama.ai/library/tiny:latest");
    assertThat(index.at("/manifests/1/annotations/org.opencontainers.image.ref.name").asText())
        .isEqualTo("myreg:5000/team/small:q4");
    assertThat(first.get("digest").asText()).isEqualTo(TINY.manifest().digest().toString());
    assertThat(Files.readAllBytes(bundle.resolve("blobs/sha256/" + TINY.manifest().digest().hex())))
        .isEqualTo(TINY.manifestBytes());
    for (Digest d : SMALL.blobs().keySet()) {
      assertThat(Files.mismatch(bundle.resolve("blobs/sha256/" + d.hex()), source.blob(d)))
          .isEqualTo(-1);
    }
    assertThat(bundle.resolve(OciLayout.TEMP)).doesNotExist();
  }

  @Test
  void directoryBundle_importsByteIdentical() throws Exception {
    Path bundle = dir.resolve("bundle");
    export(new DirectorySink(bundle), TINY.name(), SMALL.name());

    List<ModelOutcome> in = importInto(dir.resolve("dst"), new DirectorySource(bundle));

    assertThat(in).extracting(ModelOutcome::error).containsOnlyNulls();
    assertThat(Trees.of(dir.resolve("dst"))).isEqualTo(Trees.of(source.root()));
  }

  @Test
  void tarStream_importsByteIdentical_andRealTarExtractsTheSameLayout() throws Exception {
    Path tar = dir.resolve("bundle.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      assertThat(export(new TarSink(out), TINY.name(), SMALL.name())).allMatch(ModelOutcome::ok);
    }

    try (InputStream in = Files.newInputStream(tar)) {
      assertThat(importInto(dir.resolve("dst"), new TarSource(in, BundleListener.NONE)))
          .allMatch(ModelOutcome::ok);
    }
    assertThat(Trees.of(dir.resolve("dst"))).isEqualTo(Trees.of(source.root()));

    Path extracted = Files.createDirectory(dir.resolve("x"));
    run("tar", "-xf", tar.toString(), "-C", extracted.toString());
    Path viaDir = dir.resolve("dir-bundle");
    export(new DirectorySink(viaDir), TINY.name(), SMALL.name());
    assertThat(Trees.of(extracted)).isEqualTo(Trees.of(viaDir));
  }

  @Test
  void macJunk_inADirectoryAndInATarMadeByGnuTar_isIgnored() throws Exception {
    Path bundle = dir.resolve("bundle");
    export(new DirectorySink(bundle), TINY.name());
    String manifest = "blobs/sha256/" + TINY.manifest().digest().hex();
    Files.write(bundle.resolve("._index.json"), new byte[] {0, 5, 22, 7});
    Files.write(bundle.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
    Files.write(
        bundle.resolve("blobs/sha256/._" + TINY.manifest().digest().hex()), new byte[] {0, 5});
    Files.write(bundle.resolve("blobs/.DS_Store"), new byte[] {1});

    assertThat(importInto(dir.resolve("dst1"), new DirectorySource(bundle)))
        .allMatch(ModelOutcome::ok);

    List<String> order =
        new ArrayList<>(
            List.of(
                "tar",
                "-cf",
                dir.resolve("mac.tar").toString(),
                "-C",
                bundle.toString(),
                "./._index.json",
                "oci-layout",
                ".DS_Store",
                "index.json",
                "blobs/.DS_Store",
                manifest,
                "blobs/sha256/._" + TINY.manifest().digest().hex()));
    for (Digest d : TINY.blobs().keySet()) {
      order.add("blobs/sha256/" + d.hex());
    }
    run(order.toArray(String[]::new));
    try (InputStream in = Files.newInputStream(dir.resolve("mac.tar"))) {
      assertThat(importInto(dir.resolve("dst2"), new TarSource(in, BundleListener.NONE)))
          .allMatch(ModelOutcome::ok);
    }
    assertThat(Trees.of(dir.resolve("dst2"))).isEqualTo(Trees.of(dir.resolve("dst1")));
  }

  @Test
  void tarWithBlobsBeforeTheIndex_isRefused_sayingHowToImportIt() throws Exception {
    Path bundle = dir.resolve("bundle");
    export(new DirectorySink(bundle), TINY.name());
    Digest weights = TINY.layers().get(0).blob().digest();
    run(
        "tar",
        "-cf",
        dir.resolve("bad.tar").toString(),
        "-C",
        bundle.toString(),
        "oci-layout",
        "blobs/sha256/" + weights.hex(),
        "index.json");

    try (InputStream in = Files.newInputStream(dir.resolve("bad.tar"))) {
      assertThatThrownBy(
              () -> importInto(dir.resolve("dst"), new TarSource(in, BundleListener.NONE)))
          .isInstanceOf(BundleException.class)
          .hasMessageContaining("has blobs/sha256/" + weights.hex() + " before index.json")
          .hasMessageContaining("import the directory with --from DIR");
    }
  }

  @Test
  void exportOfAMissingModel_reportsIt_andExportsTheOthers() throws Exception {
    Path bundle = dir.resolve("bundle");
    ModelName absent = ModelName.parse("absent:1b");

    List<ModelOutcome> out = export(new DirectorySink(bundle), absent, TINY.name());

    assertThat(out.get(0).error())
        .contains(
            "model registry.ollama.ai/library/absent:1b is not in the source store: no manifest");
    assertThat(out.get(1).ok()).isTrue();
    assertThat(BundleIndex.parse(Files.readAllBytes(bundle.resolve("index.json")), "i").entries())
        .extracting(BundleIndex.Entry::name)
        .containsExactly(TINY.name());
  }

  @Test
  void exportWithADamagedSourceBlob_leavesTheModelOutOfTheIndex_namingTheFile() throws Exception {
    Digest weights = TINY.layers().get(0).blob().digest();
    source.flipByte(weights, 1000);
    Path bundle = dir.resolve("bundle");

    List<ModelOutcome> out = export(new DirectorySink(bundle), TINY.name(), SMALL.name());

    assertThat(out.get(0).error())
        .contains("source blob " + source.blob(weights) + " is damaged")
        .contains("expected 300000 bytes with " + weights);
    assertThat(out.get(1).ok()).isTrue();
    assertThat(BundleIndex.parse(Files.readAllBytes(bundle.resolve("index.json")), "i").entries())
        .extracting(BundleIndex.Entry::name)
        .containsExactly(SMALL.name());
    assertThat(bundle.resolve("blobs/sha256/" + weights.hex())).doesNotExist();
  }

  @Test
  void exportIntoANonEmptyDirectoryThatIsNoBundle_isRefused_andWritesNothing() throws Exception {
    Path target = Files.createDirectories(dir.resolve("home"));
    Files.writeString(target.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> export(new DirectorySink(target), TINY.name()))
        .hasMessageContaining("is not empty and holds no bundle (no oci-layout)");
    try (var list = Files.list(target)) {
      assertThat(list).containsExactly(target.resolve("notes.txt"));
    }
  }

  @Test
  void exportInterruptedMidBlob_resumes_keepingVerifiedBlobs_andReplacingADamagedOne()
      throws Exception {
    Path bundle = dir.resolve("bundle");
    BundleListener crash =
        new BundleListener() {
          long seen;

          @Override
          public void bytes(long n) {
            seen += n;
            if (seen > 500_000) {
              throw new IllegalStateException("killed");
            }
          }
        };
    try (DirectorySink sink = new DirectorySink(bundle)) {
      assertThatThrownBy(
              () ->
                  new Exporter(source.layout(), crash)
                      .export(List.of(TINY.name(), SMALL.name()), sink, Map.of()))
          .hasMessage("killed");
    }
    assertThat(bundle.resolve("index.json")).doesNotExist();
    // A SIGKILL leaves the temp file of the blob being copied (an exception cleans it up).
    Files.write(bundle.resolve(OciLayout.TEMP).resolve("0123.4567.tmp"), new byte[1000]);
    Digest weights = TINY.layers().get(0).blob().digest();
    ImportTamperTest.flip(bundle.resolve("blobs/sha256/" + weights.hex()), 3);
    List<Digest> reused = new ArrayList<>();
    BundleListener record =
        new BundleListener() {
          @Override
          public void blobDone(Digest digest, long size, boolean alreadyThere) {
            if (alreadyThere) {
              reused.add(digest);
            }
          }
        };

    try (DirectorySink sink = new DirectorySink(bundle)) {
      assertThat(
              new Exporter(source.layout(), record)
                  .export(List.of(TINY.name(), SMALL.name()), sink, Map.of()))
          .allMatch(ModelOutcome::ok);
    }

    assertThat(reused).isNotEmpty().doesNotContain(weights);
    assertThat(bundle.resolve(OciLayout.TEMP)).doesNotExist();
    assertThat(importInto(dir.resolve("dst"), new DirectorySource(bundle)))
        .allMatch(ModelOutcome::ok);
    assertThat(Trees.of(dir.resolve("dst"))).isEqualTo(Trees.of(source.root()));
  }

  @Test
  void inMemoryTar_roundTrips() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    export(new TarSink(out), TINY.name());
    List<ModelOutcome> in =
        importInto(
            dir.resolve("dst"),
            new TarSource(new ByteArrayInputStream(out.toByteArray()), BundleListener.NONE));
    assertThat(in).allMatch(ModelOutcome::ok);
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
  }
}
