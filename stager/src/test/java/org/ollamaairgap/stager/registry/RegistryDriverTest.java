package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/** The registry driver against a fake registry on loopback: protocol, faults, store writes. */
class RegistryDriverTest {
  @TempDir Path store;
  FakeRegistry registry;
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final List<String> retries = new CopyOnWriteArrayList<>();
  final PullListener listener =
      new PullListener() {
        @Override
        public void retry(ModelName model, String reason) {
          retries.add(reason);
        }
      };

  @BeforeEach
  void start() throws IOException {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  TestOptions.Registry options() {
    return TestOptions.registry()
        .insecure(true)
        .parts(4)
        .partSize(64 * 1024)
        .retries(3)
        .stallTimeout(Duration.ofSeconds(10))
        .sleeper(sleeps::add);
  }

  SyntheticModel model(String name, long seed, long size) {
    return SyntheticModel.typical(registry.hostPort() + "/" + name, seed, size);
  }

  Manifest stage(SyntheticModel m, RegistryOptions options) throws StageException {
    try (RegistryDriver driver = new RegistryDriver(new StoreLayout(store), options)) {
      Manifest manifest = driver.stage(m.name(), driver.resolve(m.name()), listener);
      driver.commit(m.name(), manifest);
      return manifest;
    }
  }

  void assertStored(SyntheticModel m) throws IOException {
    StoreLayout layout = new StoreLayout(store);
    assertThat(Files.readAllBytes(layout.manifest(m.name()))).isEqualTo(m.manifestBytes());
    for (Map.Entry<Digest, SyntheticBlob> e : m.blobs().entrySet()) {
      Path blob = layout.blob(e.getKey());
      assertThat(blob).hasSize(e.getValue().size());
      try (InputStream expected = e.getValue().open()) {
        assertThat(blob).hasBinaryContent(expected.readAllBytes());
      }
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)))
          .isEqualTo("rw-r--r--");
    }
  }

  List<Path> stagingLeftovers() throws IOException {
    Path staging = new StoreLayout(store).stagingDir();
    if (!Files.isDirectory(staging)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(staging)) {
      return s.toList();
    }
  }

  boolean blobsDirEmpty() throws IOException {
    Path blobs = new StoreLayout(store).blobsDir();
    try (Stream<Path> s = Files.list(blobs)) {
      return s.findAny().isEmpty();
    }
  }

  @Test
  void stage_multiPartModel_storesRegistryBytesUnchanged() throws Exception {
    SyntheticModel m = model("library/tiny:1b", 1, 1_000_003);
    registry.push(m);

    Manifest manifest = stage(m, options().build());

    assertThat(manifest.bytes()).isEqualTo(m.manifestBytes());
    assertStored(m);
    assertThat(stagingLeftovers()).isEmpty();
    // 1_000_003 bytes in 64 KiB parts: 16 range requests for the weights.
    Digest weights = m.layers().get(0).blob().digest();
    assertThat(registry.requests(weights.hex())).hasSize(16);
    assertThat(registry.requests(weights.hex()))
        .allSatisfy(r -> assertThat(r.range()).startsWith("bytes="));
    assertThat(registry.requests("/manifests/").get(0).authorization()).isNull();
  }

  @Test
  void stage_manifestRequest_sendsDockerAcceptAndOllamaUserAgent() throws Exception {
    SyntheticModel m = model("library/tiny:1b", 1, 10);
    registry.push(m);
    List<String> seen = new CopyOnWriteArrayList<>();
    registry.behaviour =
        (ex, n) -> {
          if (ex.getRequestURI().getPath().contains("/manifests/")) {
            seen.add(ex.getRequestHeaders().getFirst("Accept"));
            seen.add(ex.getRequestHeaders().getFirst("User-Agent"));
          }
          return FakeRegistry.Answer.NORMAL;
        };

    stage(m, options().build());

    assertThat(seen)
        .containsExactly(
            "application/vnd.docker.distribution.manifest.v2+json",
            RegistryOptions.DEFAULT_USER_AGENT);
  }

  @Test
  void stage_blobSharedByTwoModels_downloadsItOnce() throws Exception {
    SyntheticModel a = model("library/a:1", 7, 300_000);
    SyntheticModel b = model("other/b:2", 7, 300_000);
    registry.push(a);
    registry.push(b);
    RegistryOptions o = options().build();

    stage(a, o);
    long after = registry.bytesSent("/blobs/");
    stage(b, o);

    assertStored(a);
    assertStored(b);
    // b's only new blob is its config (it names the model): every layer is shared.
    assertThat(registry.bytesSent("/blobs/") - after).isEqualTo(b.config().size());
  }

  @Test
  void stage_mirror_fetchesFromMirrorButStoresCanonicalName() throws Exception {
    SyntheticModel served = SyntheticModel.typical("registry.ollama.ai/library/llama:8b", 3, 5000);
    registry.push(served);

    try (RegistryDriver driver =
        new RegistryDriver(
            new StoreLayout(store),
            options()
                .insecure(false)
                .mirror(java.net.URI.create(registry.baseUrl() + "/"))
                .build())) {
      driver.commit(served.name(), driver.stage(served.name(), Optional.empty(), listener));
    }

    assertThat(store.resolve("manifests/registry.ollama.ai/library/llama/8b"))
        .hasBinaryContent(served.manifestBytes());
  }

  @Test
  void stage_503WithRetryAfter_honoursItAndSucceeds() throws Exception {
    SyntheticModel m = model("library/m:1", 2, 200_000);
    registry.push(m);
    registry.behaviour =
        (ex, n) -> {
          if (n <= 2) {
            ex.getResponseHeaders().add("Retry-After", "7");
            FakeRegistry.send(ex, 503, "busy");
            return FakeRegistry.Answer.HANDLED;
          }
          return FakeRegistry.Answer.NORMAL;
        };

    stage(m, options().build());

    assertStored(m);
    assertThat(sleeps).isNotEmpty().allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(7)));
    assertThat(retries).anySatisfy(r -> assertThat(r).contains("HTTP 503: busy"));
  }

  @Test
  void stage_connectionsCutMidBody_resumesEachPartAndSucceeds() throws Exception {
    SyntheticModel m = model("library/m:1", 4, 500_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    registry.behaviour =
        (ex, n) -> {
          String range = ex.getRequestHeaders().getFirst("Range");
          if (ex.getRequestURI().getPath().contains(weights.hex()) && n % 2 == 1) {
            // Promise the whole range, send 1000 bytes, hang up.
            String[] se = range.substring(6).split("-", -1);
            long start = Long.parseLong(se[0]);
            long end = Long.parseLong(se[1]);
            ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/500000");
            ex.sendResponseHeaders(206, end - start + 1);
            FakeRegistry.copyAll(
                registry.blobs.get(weights),
                start,
                Math.min(1000, end - start + 1),
                ex.getResponseBody());
            ex.getResponseBody().flush();
            ex.getHttpContext().getServer();
            throw new IOException("cut");
          }
          return FakeRegistry.Answer.NORMAL;
        };

    stage(m, options().build());

    assertStored(m);
    assertThat(retries).anySatisfy(r -> assertThat(r).contains("part"));
  }

  @Test
  void stage_serverIgnoresRange_fallsBackToOneStreamAndCountsTheBytes() throws Exception {
    SyntheticModel m = model("library/m:1", 5, 1_000_003);
    registry.push(m);
    registry.ignoreRange = true;
    java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
    PullListener counting =
        new PullListener() {
          @Override
          public void transferred(ModelName model, long bytes) {
            counted.addAndGet(bytes);
          }
        };
    Digest weights = m.layers().get(0).blob().digest();

    try (RegistryDriver driver = new RegistryDriver(new StoreLayout(store), options().build())) {
      driver.commit(m.name(), driver.stage(m.name(), driver.resolve(m.name()), counting));
    }

    assertStored(m);
    // 16 planned parts of 64 KiB: without the fallback each of them fetches the whole blob.
    List<FakeRegistry.Request> asked = registry.requests(weights.hex());
    assertThat(asked.size()).isBetween(2, 5);
    assertThat(asked).extracting(FakeRegistry.Request::range).containsOnlyOnce("bytes=0-1000002");
    assertThat(counted.get()).isGreaterThanOrEqualTo(m.manifest().totalSize());
  }

  @Test
  void stage_wrongBytes_failsWithDigestMismatchAndStoresNothing() throws Exception {
    SyntheticModel m = model("library/m:1", 6, 200_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    registry.blobs.put(weights, SyntheticBlob.random(99, 200_000));

    assertStageFailure(() -> stage(m, options().build()), Reason.DIGEST_MISMATCH)
        .isEqualTo(
            "blob "
                + weights
                + " of "
                + m.name()
                + ": the 200000 bytes downloaded hash to "
                + SyntheticBlob.random(99, 200_000).digest()
                + "; the registry or something between served wrong content. The"
                + " download was discarded; nothing was stored under the blob's name");
    assertThat(new StoreLayout(store).blob(weights)).doesNotExist();
    assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();
    assertThat(stagingLeftovers()).isEmpty();
  }

  @Test
  void resolve_unknownModel_notFound() {
    SyntheticModel m = model("library/nope:1", 1, 10);

    assertStageFailure(() -> stage(m, options().build()), Reason.NOT_FOUND)
        .isEqualTo(
            "manifest of "
                + m.name()
                + " from "
                + registry.baseUrl()
                + "/v2/library/nope/manifests/1: 404 not found; check the model name"
                + " and tag ("
                + m.name()
                + ")");
  }

  @Test
  void resolve_manifestNotJson_manifestInvalid() throws Exception {
    SyntheticModel m = model("library/m:1", 1, 10);
    registry.manifests.put("library/m:1", "<html>hello</html>".getBytes(StandardCharsets.UTF_8));

    assertStageFailure(() -> stage(m, options().build()), Reason.MANIFEST_INVALID)
        .isEqualTo(
            "manifest of "
                + m.name()
                + " from "
                + registry.baseUrl()
                + "/v2/library/m/manifests/1: invalid manifest: not a JSON object: it"
                + " starts with '<' at offset 0, expected '{'");
    assertThat(store.resolve("manifests")).doesNotExist();
  }

  @Test
  void resolve_hugeManifest_refusedWithoutReadingItAll() throws Exception {
    SyntheticModel m = model("library/m:1", 1, 10);
    registry.manifests.put("library/m:1", new byte[Manifest.MAX_BYTES + 10]);

    assertStageFailure(() -> stage(m, options().build()), Reason.MANIFEST_INVALID)
        .endsWith(
            " is 4194314 bytes or more, more than the 4194304 a manifest may have; the"
                + " registry is not serving an Ollama manifest");
  }

  @Test
  void stage_persistentServerErrors_giveUpWithTransferFailedAndKeepResumeState() throws Exception {
    SyntheticModel m = model("library/m:1", 8, 300_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    registry.behaviour =
        (ex, n) -> {
          if (ex.getRequestURI().getPath().contains(weights.hex())
              && !"bytes=0-65535".equals(ex.getRequestHeaders().getFirst("Range"))) {
            FakeRegistry.send(ex, 500, "broken");
            return FakeRegistry.Answer.HANDLED;
          }
          return FakeRegistry.Answer.NORMAL;
        };

    assertStageFailure(() -> stage(m, options().parts(1).build()), Reason.TRANSFER_FAILED)
        .isEqualTo(
            "blob "
                + weights
                + " of "
                + m.name()
                + ", part 1 (bytes 65536+65536): HTTP 500: broken; gave up after 4"
                + " attempts in a row without progress. A re-run resumes from what is"
                + " on disk");
    assertThat(new StoreLayout(store).blob(weights)).doesNotExist();
    assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();

    // The second run fetches only what the first did not get.
    registry.behaviour = (ex, n) -> FakeRegistry.Answer.NORMAL;
    registry.requests.clear();
    stage(m, options().build());
    assertStored(m);
    assertThat(registry.requests(weights.hex()))
        .extracting(FakeRegistry.Request::range)
        .doesNotContain("bytes=0-65535");
  }

  @Test
  void stage_stalledServer_failsWithStalled() throws Exception {
    SyntheticModel m = model("library/m:1", 9, 1000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    registry.behaviour =
        (ex, n) -> {
          if (ex.getRequestURI().getPath().contains(weights.hex())) {
            ex.sendResponseHeaders(206, 1000);
            try {
              Thread.sleep(3000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return FakeRegistry.Answer.HANDLED;
          }
          return FakeRegistry.Answer.NORMAL;
        };

    assertThatThrownBy(
            () -> stage(m, options().retries(1).stallTimeout(Duration.ofMillis(200)).build()))
        .isInstanceOfSatisfying(
            StageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.STALLED);
              assertThat(e.getMessage()).contains("no data for the stall timeout");
            });
  }

  @Test
  void stage_serverThatDrips_isAStallByTheMinimumRateAndGivenUpWithTheNumbers() throws Exception {
    SyntheticModel m = model("library/m:1", 14, 50_000);
    registry.push(m);
    drip(m.layers().get(0).blob().digest());

    assertStageFailure(
            () ->
                stage(
                    m,
                    options()
                        .retries(1)
                        .minRate(100_000)
                        .minRateWindow(Duration.ofMillis(300))
                        .build()),
            Reason.STALLED)
        .contains("slower than the minimum rate: ")
        .contains("below --min-rate 97.7 KiB/s over --min-rate-window 300ms")
        .contains("; gave up after 2 attempts in a row, each too slow");
    assertThat(retries).anySatisfy(r -> assertThat(r).contains("slower than the minimum rate"));
    assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();
  }

  @Test
  void stage_serverThatDrips_isAStallByDefaultToo() throws Exception {
    SyntheticModel m = model("library/m:1", 14, 50_000);
    registry.push(m);
    drip(m.layers().get(0).blob().digest());

    // No --min-rate given: its default (1K) applies; only the window is short for the test.
    assertStageFailure(
            () -> stage(m, options().retries(0).minRateWindow(Duration.ofMillis(300)).build()),
            Reason.STALLED)
        .contains("below --min-rate 1.0 KiB/s over --min-rate-window 300ms");
    assertThat(new StoreLayout(store).manifest(m.name())).doesNotExist();
  }

  /** Serves the weights 10 bytes every 50 ms (200 B/s): never silent, so no read timeout fires. */
  private void drip(Digest weights) {
    registry.behaviour =
        (ex, n) -> {
          if (!ex.getRequestURI().getPath().contains(weights.hex())) {
            return FakeRegistry.Answer.NORMAL;
          }
          String range = ex.getRequestHeaders().getFirst("Range");
          long start = Long.parseLong(range.substring(6, range.indexOf('-')));
          ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-49999/50000");
          ex.sendResponseHeaders(206, 50_000 - start);
          try (InputStream in = registry.blobs.get(weights).open()) {
            in.skipNBytes(start);
            byte[] drop = new byte[10];
            for (long sent = start; sent + 10 <= 50_000; sent += 10) {
              in.readNBytes(drop, 0, 10);
              ex.getResponseBody().write(drop);
              ex.getResponseBody().flush();
              Thread.sleep(50);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return FakeRegistry.Answer.HANDLED;
        };
  }

  @Test
  void stage_tokenAuthAndRedirectToCdn_neverSendsAuthorizationToTheCdn() throws Exception {
    SyntheticModel m = model("library/m:1", 10, 300_000);
    registry.push(m);
    try (FakeRegistry cdn = new FakeRegistry("localhost")) {
      cdn.push(m);
      cdn.rejectAuthorization = true;
      registry.tokenRealm = registry.baseUrl() + "/token";
      registry.redirectBlobsTo = "http://localhost:" + cdn.hostPort().split(":", -1)[1];

      stage(m, options().build());

      assertStored(m);
      assertThat(cdn.requests).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
      assertThat(registry.requests("/blobs/"))
          .anySatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer good-token"));
    }
  }

  @Test
  void stage_corruptResumeState_startsBlobOverWithReason() throws Exception {
    SyntheticModel m = model("library/m:1", 11, 300_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.stagingDir());
    Files.writeString(layout.partsState(weights), "{\"version\":1,\"digest\":\"x\"}");
    Files.write(layout.partialBlob(weights), new byte[300_000]);

    stage(m, options().build());

    assertStored(m);
    assertThat(retries)
        .anySatisfy(
            r -> assertThat(r).startsWith("starting blob " + weights + " over: resume state "));
  }

  @Test
  void stage_resumeStateClaimsBytesThatAreNotThere_refetchesFromZeroInTheSameRun()
      throws Exception {
    SyntheticModel m = model("library/m:1", 13, 300_000);
    registry.push(m);
    Digest weights = m.layers().get(0).blob().digest();
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.stagingDir());
    // A valid state saying the first two parts are written, over a data file of zeros: what a
    // crash between the checkpoint and the data reaching the disk leaves.
    Files.writeString(
        layout.partsState(weights),
        "{\"version\":1,\"digest\":\""
            + weights
            + "\",\"size\":300000,\"parts\":[{\"offset\":0,\"size\":65536,\"completed\":65536},"
            + "{\"offset\":65536,\"size\":234464,\"completed\":100}]}");
    Files.write(layout.partialBlob(weights), new byte[300_000]);

    stage(m, options().build());

    assertStored(m);
    assertThat(stagingLeftovers()).isEmpty();
    assertThat(retries)
        .contains(
            "blob "
                + weights
                + ": the download resumed from an earlier run hashed to "
                + resumedDigest(m, weights)
                + ", so its resume state did not match the data on disk; fetching it again from"
                + " byte 0");
    assertThat(registry.requests(weights.hex()))
        .extracting(FakeRegistry.Request::range)
        .contains("bytes=0-65535");
  }

  /** What the zeros-then-registry-bytes file of the test above hashes to. */
  private static Digest resumedDigest(SyntheticModel m, Digest weights) throws IOException {
    byte[] bytes;
    try (InputStream in = m.blobs().get(weights).open()) {
      bytes = in.readAllBytes();
    }
    java.util.Arrays.fill(bytes, 0, 65536 + 100, (byte) 0);
    return org.ollamaairgap.common.digest.Sha256.of(bytes);
  }

  @Test
  void stage_directoryWhereTheBlobMustGo_isNamedNotTheStagingFile() throws Exception {
    SyntheticModel m = model("library/m:1", 15, 100_000);
    registry.push(m);
    Path blob = new StoreLayout(store).blob(m.layers().get(0).blob().digest());
    Files.createDirectories(blob.resolve("someone-elses"));

    assertStageFailure(() -> stage(m, options().build()), Reason.NOT_WRITABLE)
        .isEqualTo(
            "cannot write "
                + blob
                + ": a directory is in the way where the file "
                + blob
                + " must go; move that directory away and run again");
    assertThat(blob.resolve("someone-elses")).isDirectory();
  }

  @Test
  void commit_directoryWhereTheManifestMustGo_isNamed() throws Exception {
    SyntheticModel m = model("library/m:1", 16, 100_000);
    registry.push(m);
    Path manifest = new StoreLayout(store).manifest(m.name());
    Files.createDirectories(manifest);

    assertStageFailure(() -> stage(m, options().build()), Reason.NOT_WRITABLE)
        .isEqualTo(
            "cannot write "
                + manifest
                + ": a directory is in the way where the file "
                + manifest
                + " must go; move that directory away and run again");
  }

  @Test
  void stage_blobAlreadyPresent_notDownloadedAgain() throws Exception {
    SyntheticModel m = model("library/m:1", 12, 300_000);
    registry.push(m);
    stage(m, options().build());
    Files.delete(new StoreLayout(store).manifest(m.name()));
    registry.requests.clear();

    stage(m, options().build());

    assertStored(m);
    assertThat(registry.requests("/blobs/")).isEmpty();
  }
}
