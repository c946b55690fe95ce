package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.BlobChecker;
import org.ollamaairgap.common.verify.BlobStatus;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.Fault;
import org.ollamaairgap.testing.Fixtures;
import org.ollamaairgap.testing.LocalRegistry;
import org.ollamaairgap.testing.Nginx;
import org.ollamaairgap.testing.RegistryWithCdn;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The registry driver against real parts on loopback: Debian's docker-registry, a second registry
 * that answers blobs with 307 to nginx (the "CDN", as registry.ollama.ai does), and nginx fault
 * injection. The staged tree must equal what the registry holds, byte for byte, and pass the
 * verifier's blob check.
 */
class RegistryRealPartsTest {
  static final String CDN_BLOBS = "/docker/registry/v2/blobs/";

  @RegisterExtension final Fixtures fixtures = new Fixtures();
  @TempDir Path store;

  static RegistryOptions options() {
    return TestOptions.registry()
        .insecure(true)
        .parts(4)
        .partSize(256 * 1024)
        .retries(4)
        .backoffBase(Duration.ofMillis(10))
        .backoffMax(Duration.ofSeconds(2))
        .stallTimeout(Duration.ofSeconds(20))
        .build();
  }

  static SyntheticModel model(String registryUrl, String name, long seed, long size) {
    return SyntheticModel.typical(registryUrl.replace("http://", "") + "/" + name, seed, size);
  }

  Manifest stage(SyntheticModel m) throws StageException {
    try (RegistryDriver driver = new RegistryDriver(new StoreLayout(store), options())) {
      Manifest manifest = driver.stage(m.name(), driver.resolve(m.name()), PullListener.NONE);
      driver.commit(m.name(), manifest);
      return manifest;
    }
  }

  /** Manifest bytes as the registry serves them, blobs equal to the registry's files, verified. */
  void assertStaged(SyntheticModel m, LocalRegistry origin) throws Exception {
    StoreLayout layout = new StoreLayout(store);
    assertThat(layout.manifest(m.name())).hasBinaryContent(m.manifestBytes());
    BlobChecker checker = new BlobChecker(layout);
    for (Descriptor d : m.manifest().blobs().values()) {
      assertThat(layout.blob(d.digest())).hasSameBinaryContentAs(origin.blobFile(d.digest()));
      assertThat(checker.check(d.digest(), d.size(), true, n -> {}).status())
          .isEqualTo(BlobStatus.OK);
    }
  }

  @Test
  void stage_directRegistry_treeEqualsRegistryByteForByte() throws Exception {
    LocalRegistry registry = fixtures.registry();
    SyntheticModel a = model(registry.baseUrl(), "library/a:1", 1, 3_000_000);
    SyntheticModel b = model(registry.baseUrl(), "team/b:2", 1, 3_000_000); // shares the weights
    SyntheticModel big = model(registry.baseUrl(), "library/big:1", 2, 300L << 20);
    for (SyntheticModel m : List.of(a, b, big)) {
      registry.push(m);
    }

    for (SyntheticModel m : List.of(a, b, big)) {
      stage(m);
    }

    for (SyntheticModel m : List.of(a, b, big)) {
      assertStaged(m, registry);
    }
    try (Stream<Path> staging = Files.list(new StoreLayout(store).stagingDir())) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void stage_throughCdnRedirect_sharedBlobFetchedOnceAndNoAuthorizationAtTheCdn() throws Exception {
    RegistryWithCdn r = fixtures.registryWithCdn(b -> b.fault("/", Fault.rejectAuthorization()));
    SyntheticModel a = model(r.registryUrl(), "library/a:1", 3, 2_000_000);
    SyntheticModel b = model(r.registryUrl(), "team/b:2", 3, 2_000_000);
    r.push(a);
    r.push(b);

    stage(a);
    stage(b);

    assertStaged(a, r.origin());
    assertStaged(b, r.origin());
    Digest weights = a.layers().get(0).blob().digest();
    // The weights travel once, in 256 KiB ranges, through the CDN only.
    assertThat(r.cdn().bodyBytesSent(CDN_BLOBS + "sha256/" + weights.hex().substring(0, 2)))
        .isEqualTo(2_000_000);
    assertThat(r.cdn().requests(CDN_BLOBS)).allSatisfy(q -> assertThat(q.status()).isEqualTo(206));
  }

  static Stream<Arguments> recoverableFaults() {
    return Stream.of(
        Arguments.of("slow", Fault.slow(4L << 20)),
        Arguments.of("503 bursts with Retry-After", Fault.unavailable(1).times(2)),
        Arguments.of("connections dropped", Fault.drop().times(2)),
        Arguments.of("bodies cut short", Fault.truncateAfter(100_000).times(3)),
        Arguments.of("500s", Fault.status(500).times(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recoverableFaults")
  void stage_cdnFault_recoversAndStoresExactBytes(String name, Fault fault) throws Exception {
    RegistryWithCdn r = fixtures.registryWithCdn(b -> b.fault(CDN_BLOBS, fault));
    SyntheticModel m = model(r.registryUrl(), "library/m:1", 4, 1_500_000);
    r.push(m);

    stage(m);

    assertStaged(m, r.origin());
  }

  @Test
  void stage_cdnServesWrongBytes_failsAndLeavesNothingUnderAFinalName() throws Exception {
    RegistryWithCdn r = fixtures.registryWithCdn(b -> b.fault(CDN_BLOBS, Fault.corrupt()));
    SyntheticModel m = model(r.registryUrl(), "library/m:1", 5, 1_000_000);
    r.push(m);

    assertThatThrownBy(() -> stage(m))
        .isInstanceOfSatisfying(
            StageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    StoreLayout layout = new StoreLayout(store);
    assertThat(layout.manifest(m.name())).doesNotExist();
    try (Stream<Path> blobs = Files.list(layout.blobsDir());
        Stream<Path> staging = Files.list(layout.stagingDir())) {
      assertThat(blobs).isEmpty();
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void stage_manifest503WithRetryAfter_retriesAndSucceeds() throws Exception {
    LocalRegistry registry = fixtures.registry();
    Nginx proxy =
        fixtures.nginx(
            b ->
                b.proxy(registry).fault("/v2/library/m/manifests/", Fault.unavailable(1).times(2)));
    SyntheticModel m = model(proxy.baseUrl(), "library/m:1", 6, 100_000);
    registry.push(m);

    stage(m);

    assertStaged(m, registry);
  }

  @Test
  void killedMidDownload_rerunStaysWithinAQuarterMoreBytesPerNginxLog() throws Exception {
    long size = 300L << 20;
    UnaryOperator<Nginx.Builder> slow = b -> b;
    RegistryWithCdn r = fixtures.registryWithCdn(slow);
    SyntheticModel m = model(r.registryUrl(), "library/big:1", 7, size);
    r.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    Path models = store.resolve("models");
    List<String> args =
        List.of(
            "--insecure",
            "--models-dir",
            models.toString(),
            "--parts",
            "4",
            "--max-bandwidth",
            String.valueOf(40L << 20),
            m.name().toString());
    Path state = new StoreLayout(models).partsState(weights);

    Process first = RegistryKillResumeTest.child(args, store.resolve("first.log"));
    while (first.isAlive() && completed(state) < size / 3) {
      Thread.sleep(20);
    }
    assertThat(first.isAlive()).as("first run still downloading").isTrue();
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);

    List<String> unlimited = args.subList(0, 5);
    Process second =
        RegistryKillResumeTest.child(
            Stream.concat(unlimited.stream(), Stream.of(m.name().toString())).toList(),
            store.resolve("second.log"));
    assertThat(second.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(Files.readString(store.resolve("second.log"))).isZero();

    long sent = r.cdn().bodyBytesSent(CDN_BLOBS + "sha256/" + weights.hex().substring(0, 2));
    System.out.printf(
        "kill-resume via nginx: %d body bytes for a %d byte blob = %.3fx%n",
        sent, size, (double) sent / size);
    assertThat(sent).isLessThanOrEqualTo(size + size / 4);
    StoreLayout layout = new StoreLayout(models);
    assertThat(layout.manifest(m.name())).hasBinaryContent(m.manifestBytes());
    BlobChecker checker = new BlobChecker(layout);
    for (Descriptor d : m.manifest().blobs().values()) {
      assertThat(checker.check(d.digest(), d.size(), true, n -> {}).status())
          .isEqualTo(BlobStatus.OK);
    }
  }

  /** Bytes recorded as done in a resume state file, 0 while there is none. */
  static long completed(Path state) {
    try {
      JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(state));
      long sum = 0;
      for (JsonNode p : json.get("parts")) {
        sum += p.get("completed").asLong();
      }
      return sum;
    } catch (Exception e) {
      return 0;
    }
  }
}
