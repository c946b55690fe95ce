package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.Requirement;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;
import org.ollamaairgap.testing.Fixtures;
import org.ollamaairgap.testing.LocalRegistry;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * "Two drivers, one behaviour" (docs/stager.md, "Which driver?"), through the real program: the
 * same models staged with {@code --driver registry} from a real docker-registry and with {@code
 * --driver ollama} from the fake {@code ollama serve} (a child process serving the same synthetic
 * models into the target) give the same exit code and the same summary, apart from timings, bytes
 * transferred and the driver's name.
 */
@QuarkusMainTest
class DriverParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long GOOD_SEED = 31;
  private static final long CORRUPT_SEED = 32;

  @RegisterExtension static final Fixtures FIXTURES = new Fixtures();

  private static LocalRegistry registry;
  private static SyntheticModel good;
  private static SyntheticModel damaged;
  private static Digest goodDigest;
  private static String unknown;
  private static Path fakeOllama;

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistryAndFakeOllama() throws Exception {
    registry = FIXTURES.registry();
    String host = "127.0.0.1:" + registry.port();
    good = SyntheticModel.typical(host + "/library/parity:1b", GOOD_SEED, 300_000);
    damaged = SyntheticModel.typical(host + "/library/damaged:1b", CORRUPT_SEED, 200_000);
    unknown = host + "/library/nosuch:1b";
    goodDigest = registry.push(good);
    registry.push(damaged);
    fakeOllama = fakeOllama(FIXTURES.newDir("fake-ollama"));
  }

  /**
   * An {@code ollama} executable that runs the fake Ollama (src/test/resources/fake-ollama) with
   * this JVM and class path, knowing the same models as the registry.
   */
  private static Path fakeOllama(Path dir) throws IOException {
    Path fake = dir.resolve("fake-ollama");
    try (InputStream in = DriverParityTest.class.getResourceAsStream("/fake-ollama/ollama")) {
      Files.copy(in, fake);
    }
    String models =
        good.name()
            + "="
            + GOOD_SEED
            + ":300000,"
            + damaged.name()
            + "="
            + CORRUPT_SEED
            + ":200000";
    Path wrapper = dir.resolve("ollama");
    Files.writeString(
        wrapper,
        "#!/bin/sh\n"
            + "export FAKE_OLLAMA_JAVA='"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "'\n"
            + "export FAKE_OLLAMA_CLASSPATH='"
            + System.getProperty("java.class.path")
            + "'\n"
            + "export FAKE_OLLAMA_MODELS='"
            + models
            + "'\n"
            + "exec '"
            + fake
            + "' \"$@\"\n");
    for (Path p : List.of(fake, wrapper)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return wrapper;
  }

  /** One run of the program with a driver, into its own store. */
  private record Run(String driver, Path models, LaunchResult result, JsonNode summary) {
    /** The summary without what legitimately differs; the store path as {@code <models>}. */
    JsonNode comparable() throws IOException {
      JsonNode copy = JSON.readTree(summary.toString().replace(models.toString(), "<models>"));
      ObjectNode top = (ObjectNode) copy;
      top.remove(List.of("driver", "startedAt", "durationSeconds"));
      for (JsonNode model : copy.get("models")) {
        ((ObjectNode) model).remove(List.of("durationSeconds", "bytesTransferred"));
      }
      // The inventory is compared too, less the times it was made and the manifests written.
      ObjectNode inventory = (ObjectNode) copy.get("inventory");
      inventory.remove("generatedAt");
      for (JsonNode model : inventory.get("models")) {
        ((ObjectNode) model).remove("stagedAt");
      }
      return copy;
    }

    /**
     * The run's own log lines about models (timestamps and progress ticks left out). The one known
     * difference is left out too: Ollama learns a model's size only while pulling it, so the ollama
     * driver says the free-space check cannot include it.
     */
    List<String> modelLines() {
      List<String> lines = new ArrayList<>();
      for (String line : result.getOutput().split("\n", -1)) {
        String message = line.replaceFirst("^\\S+ +(INFO|WARN|ERROR) +", "");
        if (message.startsWith("127.0.0.1:")
            // a tick: "pulling 25.0% ..." or, size not known yet, "pulling ?% ..."
            && !message.matches(".*: (pulling|verifying) [\\d?].*")
            && !message.endsWith(
                ": size unknown until it is pulled; the free-space check cannot" + " include it")) {
          lines.add(message.replace(models.toString(), "<models>"));
        }
      }
      return lines;
    }
  }

  private Run stage(QuarkusMainLauncher launcher, String driver, Path models, String... names)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--driver",
            driver,
            "--insecure",
            "--linger",
            "0",
            "--models-dir",
            models.toString(),
            "--termination-log",
            tmp.resolve("no-termination-log").toString()));
    if (driver.equals("ollama")) {
      args.addAll(
          List.of(
              "--ollama-bin",
              fakeOllama.toString(),
              "--ollama-home",
              Files.createDirectories(tmp.resolve("ollama-home")).toString()));
    }
    args.addAll(List.of(names));
    LaunchResult result = launcher.launch(args.toArray(String[]::new));
    List<String> out = result.getOutputStream();
    JsonNode summary = JSON.readTree(out.get(out.size() - 1));
    return new Run(driver, models, result, summary);
  }

  /** Stages with both drivers, each into a fresh store prepared by {@code prepare}. */
  private List<Run> bothDrivers(QuarkusMainLauncher launcher, StorePrep prepare, String... names)
      throws Exception {
    List<Run> runs = new ArrayList<>();
    for (String driver : List.of("registry", "ollama")) {
      Path models = Files.createDirectories(tmp.resolve(driver + "/models"));
      prepare.apply(new StoreLayout(models));
      runs.add(stage(launcher, driver, models, names));
    }
    return runs;
  }

  @FunctionalInterface
  private interface StorePrep {
    void apply(StoreLayout store) throws IOException;
  }

  private static void assertSameBehaviour(List<Run> runs) throws IOException {
    Run registryRun = runs.get(0);
    Run ollamaRun = runs.get(1);
    assertThat(ollamaRun.result().exitCode())
        .as("exit code, ollama vs registry driver")
        .isEqualTo(registryRun.result().exitCode());
    assertThat(ollamaRun.comparable())
        .as("summary, ollama vs registry driver")
        .isEqualTo(registryRun.comparable());
    assertThat(ollamaRun.modelLines())
        .as("log lines about the models, ollama vs registry driver")
        .isEqualTo(registryRun.modelLines());
  }

  @Test
  void goodModel_bothDriversStageTheRegistrysManifest_andTheVerifierPassesIt(
      QuarkusMainLauncher launcher) throws Exception {
    List<Run> runs = bothDrivers(launcher, store -> {}, good.name().toString());

    for (Run run : runs) {
      assertThat(run.result().exitCode()).as(run.driver()).isZero();
      JsonNode summary = run.summary();
      assertThat(summary.get("outcome").asText()).isEqualTo("ok");
      assertThat(summary.get("driver").asText()).isEqualTo(run.driver());
      JsonNode model = summary.get("models").get(0);
      assertThat(model.get("outcome").asText()).as(run.driver()).isEqualTo("done");
      assertThat(model.get("manifestDigest").asText()).isEqualTo(goodDigest.toString());
      assertThat(model.get("sizeBytes").asLong()).isEqualTo(good.manifest().totalSize());
      assertThat(model.get("blobCount").asInt()).isEqualTo(good.blobs().size());
      assertThat(model.get("bytesTransferred").asLong()).isPositive();
      assertThat(model.get("retries").asLong()).isZero();
      assertThat(model.get("reason").isNull()).isTrue();
      assertVerifierPasses(run.models());
    }
    assertSameBehaviour(runs);
  }

  @Test
  void registryDriver_stagedTreeEqualsTheRegistrysBlobsByteForByte(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    Run run = stage(launcher, "registry", models, good.name().toString());

    assertThat(run.result().exitCode()).isZero();
    StoreLayout layout = new StoreLayout(models);
    assertThat(layout.manifest(good.name())).hasBinaryContent(good.manifestBytes());
    List<Path> blobs;
    try (var files = Files.list(layout.blobsDir())) {
      blobs = files.sorted().toList();
    }
    assertThat(blobs)
        .containsExactlyInAnyOrderElementsOf(
            good.manifest().blobs().keySet().stream().map(layout::blob).toList());
    for (Descriptor d : good.manifest().blobs().values()) {
      assertThat(layout.blob(d.digest())).hasSameBinaryContentAs(registry.blobFile(d.digest()));
    }
    assertVerifierPasses(models);
  }

  @Test
  void unknownModel_bothDriversFailIt_exit1(QuarkusMainLauncher launcher) throws Exception {
    List<Run> runs = bothDrivers(launcher, store -> {}, unknown);

    for (Run run : runs) {
      assertThat(run.result().exitCode()).as(run.driver()).isEqualTo(1);
      JsonNode model = run.summary().get("models").get(0);
      assertThat(model.get("outcome").asText()).isEqualTo("failed");
      assertThat(model.get("manifestDigest").isNull()).isTrue();
      assertThat(run.summary().get("reason").asText())
          .startsWith("1 of 1 model failed: " + unknown + ": ");
    }
    // The reason is each driver's own words for "no such model or tag".
    assertThat(runs.get(0).summary().get("models").get(0).get("reason").asText())
        .isEqualTo(
            "manifest of "
                + unknown
                + " from "
                + registry.manifestUrl(org.ollamaairgap.common.model.ModelName.parse(unknown))
                + ": 404 not found; check the model name and tag ("
                + unknown
                + ")");
    assertThat(runs.get(1).summary().get("models").get(0).get("reason").asText())
        .contains("file does not exist")
        .contains("check the name and tag");
    List<JsonNode> withoutReasons = new ArrayList<>();
    for (Run run : runs) {
      ObjectNode summary = (ObjectNode) run.comparable();
      summary.remove("reason");
      ((ObjectNode) summary.get("models").get(0)).remove("reason");
      ((ObjectNode) summary.get("inventory").get("models").get(0)).remove("reason");
      withoutReasons.add(summary);
    }
    assertThat(withoutReasons.get(1)).isEqualTo(withoutReasons.get(0));
  }

  @Test
  void corruptBlobAlreadyInTheStore_caughtByTheReHash_exit1(QuarkusMainLauncher launcher)
      throws Exception {
    Descriptor weights = damaged.manifest().layers().get(0);
    byte[] bytes;
    try (InputStream in = damaged.blobs().get(weights.digest()).open()) {
      bytes = in.readAllBytes();
    }
    bytes[1000] ^= 0x01; // same size, wrong content: neither driver downloads it again
    byte[] corrupt = bytes;
    List<Run> runs =
        bothDrivers(
            launcher,
            store -> {
              Files.createDirectories(store.blobsDir());
              Files.write(store.blob(weights.digest()), corrupt);
            },
            damaged.name().toString());

    for (Run run : runs) {
      assertThat(run.result().exitCode()).as(run.driver()).isEqualTo(1);
      JsonNode model = run.summary().get("models").get(0);
      assertThat(model.get("outcome").asText()).isEqualTo("failed");
      assertThat(model.get("reason").asText())
          .startsWith("verification failed for 1 of 5 blobs: ")
          .contains(weights.digest().toString())
          .endsWith("Delete the damaged blob file and run the stager again to download it anew.");
      assertThat(run.models().resolve("blobs").resolve(weights.digest().fileName()))
          .hasBinaryContent(corrupt);
    }
    assertSameBehaviour(runs);
  }

  /**
   * Issue #11: a mixed-case request for a model already in the store is staged under the spelling
   * on disk by both drivers (Ollama's getExistingName, which the fake mimics, and the registry
   * driver through the same rule), so the store never holds a second spelling.
   */
  @Test
  void mixedCaseRequest_bothDriversReuseTheSpellingOnDisk(QuarkusMainLauncher launcher)
      throws Exception {
    String host = good.name().host();
    String mixed = host + "/LIBRARY/Parity:1B";
    List<Run> runs = bothDrivers(launcher, store -> StoreBuilder.at(store.root()).add(good), mixed);

    for (Run run : runs) {
      assertThat(run.result().exitCode()).as(run.driver() + run.result().getOutput()).isZero();
      assertThat(run.summary().get("models").get(0).get("name").asText())
          .isEqualTo(good.name().toString());
      assertThat(manifestTree(run.models())).containsExactly(host + "/library/parity/1b");
      assertThat(run.result().getOutput())
          .contains(mixed + ": staged as " + good.name() + ", the spelling Ollama uses for it");
      assertVerifierPasses(run.models());
    }
    assertSameBehaviour(runs);
  }

  /**
   * A store that already spells a part of the requested name in two ways is ambiguous for Ollama;
   * both drivers refuse the model, fetch nothing and add no file.
   */
  @Test
  void nameSpelledTwiceOnDisk_bothDriversRefuseIt_exit1(QuarkusMainLauncher launcher)
      throws Exception {
    String host = good.name().host();
    List<Run> runs =
        bothDrivers(
            launcher,
            store -> {
              Path other = store.manifestsDir().resolve(host + "/Library/other/1b");
              Files.createDirectories(other.getParent());
              Files.write(other, damaged.manifestBytes());
              Path first = store.manifestsDir().resolve(host + "/library/first/1b");
              Files.createDirectories(first.getParent());
              Files.write(first, damaged.manifestBytes());
            },
            good.name().toString());

    for (Run run : runs) {
      assertThat(run.result().exitCode()).as(run.driver()).isEqualTo(1);
      assertThat(run.summary().get("models").get(0).get("reason").asText())
          .isEqualTo(
              "the store already spells the namespace of "
                  + good.name().displayShortest()
                  + " in 2 ways ('Library', 'library'); Ollama matches names case-insensitively"
                  + " and picks one of them at random, so lookups would fail. Nothing was staged"
                  + " for this model; on the writable side rename the manifest directories to one"
                  + " spelling (run the verifier on the store to see which), then run again");
      assertThat(manifestTree(run.models()))
          .containsExactly(host + "/Library/other/1b", host + "/library/first/1b");
      Path blobs = run.models().resolve("blobs");
      if (Files.exists(blobs)) {
        try (var files = Files.list(blobs)) {
          assertThat(files).as(run.driver() + ": nothing fetched").isEmpty();
        }
      }
    }
    assertSameBehaviour(runs);
  }

  private static List<String> manifestTree(Path models) throws IOException {
    Path base = models.resolve("manifests");
    try (var files = Files.walk(base)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> base.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  private static void assertVerifierPasses(Path models) throws Exception {
    VerificationReport report =
        new StoreVerifier(
                new StoreLayout(models),
                new StoreVerifier.Options(
                    true, 2, List.of(Requirement.expect(good.name() + "@" + goodDigest))),
                VerifyListener.NONE)
            .verify();
    assertThat(report.findings()).isEmpty();
    assertThat(report.ok()).isTrue();
  }
}
