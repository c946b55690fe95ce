package org.ollamaairgap.stager.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ollamaairgap.stager.testing.StageFailures.assertEnvironmentFailure;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.BlobCheck;
import org.ollamaairgap.common.verify.BlobChecker;
import org.ollamaairgap.common.verify.BlobStatus;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Kind;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Plan;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/** The ollama driver against a fake Ollama server on loopback that writes into a real store. */
class OllamaDriverTest {
  private static final String NAME = "tiny:1b";
  private static final SyntheticModel TINY = SyntheticModel.typical(NAME, 7, 200_000);

  @TempDir Path store;
  private FakeOllamaServer fake;
  private OllamaDriver driver;
  private final List<Duration> sleeps = new ArrayList<>();
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void startFake() throws IOException {
    fake = FakeOllamaServer.start(store, Duration.ZERO).add(TINY);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    fake.close();
  }

  /**
   * A stall timeout far above the fake's 60 ms lines, so a loaded CI machine cannot fake a stall;
   * tests of stalls use {@link #STALL}, and their fake stalls for good.
   */
  private static final Duration NO_STALL = Duration.ofSeconds(20);

  private static final Duration STALL = Duration.ofSeconds(2);

  private TestOptions.Ollama options() {
    return TestOptions.ollama(store)
        .host(fake.uri())
        .readyTimeout(Duration.ofSeconds(10))
        .stallTimeout(NO_STALL)
        .retries(3)
        .backoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofMillis(300))
        .sleeper(sleeps::add);
  }

  private Manifest stage(OllamaOptions options, String name) throws Exception {
    driver = new OllamaDriver(new StoreLayout(store), options);
    ModelName model = ModelName.parse(name);
    assertThat(driver.resolve(model)).isEmpty();
    return driver.stage(model, Optional.empty(), listener);
  }

  private Manifest stage() throws Exception {
    return stage(options().build(), NAME);
  }

  /** What the staging run does after the driver: re-hash every blob of the manifest. */
  private List<BlobCheck> rehash(Manifest manifest) {
    BlobChecker checker = new BlobChecker(new StoreLayout(store));
    List<BlobCheck> checks = new ArrayList<>();
    for (Descriptor d : manifest.blobs().values()) {
      checks.add(checker.check(d.digest(), d.size(), true, n -> {}));
    }
    return checks;
  }

  /** The fake notices a closed stream at its next 60 ms line; waits for that, at most 10 s. */
  private void awaitDisconnects(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (fake.disconnects() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(fake.disconnects()).isEqualTo(expected);
  }

  @Test
  void pullsAModelAndReportsEveryBlobAsTransferred() throws Exception {
    Manifest manifest = stage(options().insecure(true).build(), NAME);

    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
    assertThat(Files.readAllBytes(new StoreLayout(store).manifest(TINY.name())))
        .isEqualTo(TINY.manifestBytes());
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
    assertThat(listener.states).containsExactly(ModelState.PULLING, ModelState.VERIFYING);
    assertThat(listener.sizes.keySet()).containsExactlyInAnyOrderElementsOf(TINY.blobs().keySet());
    assertThat(listener.duplicateBlobs).isZero();
    assertThat(listener.size()).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.retries).isEmpty();
    assertThat(fake.requests())
        .containsExactly("{\"model\":\"registry.ollama.ai/library/tiny:1b\",\"insecure\":true}");
  }

  @Test
  void weightsProgressStartsWithoutCompletedAndIsReportedAsItGrows() throws Exception {
    stage();

    Digest weights = TINY.layers().get(0).blob().digest();
    assertThat(listener.completed.get(weights))
        .containsExactly(0L, 50_000L, 100_000L, 150_000L, 200_000L);
  }

  @Test
  void cacheHitsAreCompleteButNotTransferred() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.blobsDir());
    for (var blob : TINY.blobs().entrySet()) {
      blob.getValue().writeTo(layout.blob(blob.getKey()));
    }

    stage();

    assertThat(listener.transferred).isZero();
    assertThat(listener.size()).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
  }

  @Test
  void resumedBlobCountsOnlyTheBytesFetchedNow() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.blobsDir());
    SyntheticBlob weights = TINY.layers().get(0).blob();
    Path partial = layout.blobsDir().resolve(weights.digest().fileName() + "-partial");
    try (var in = weights.open()) {
      Files.write(partial, in.readNBytes(80_000));
    }

    stage();

    assertThat(listener.completed.get(weights.digest())).startsWith(80_000L);
    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize() - 80_000);
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
  }

  @Test
  void completedGoingBackwardsLowersCompletedAndCountsTheRefetch() throws Exception {
    fake.plan(NAME, Plan.normal().withBackwards());

    Manifest manifest = stage();

    Digest weights = TINY.layers().get(0).blob().digest();
    assertThat(listener.completed.get(weights))
        .containsExactly(0L, 50_000L, 100_000L, 50_000L, 100_000L, 150_000L, 200_000L);
    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize() + 50_000);
    assertThat(listener.retries).isEmpty();
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
  }

  @Test
  void tensorModelAggregateLinesCountBytesAndBlobsComeFromTheManifest() throws Exception {
    SyntheticModel tensor =
        SyntheticModel.named("mlx/tensors:bf16")
            .layer("application/vnd.ollama.image.tensor", SyntheticBlob.random(1, 30_000))
            .layer("application/vnd.ollama.image.tensor", SyntheticBlob.random(2, 40_000))
            .layer("application/vnd.ollama.image.json", SyntheticBlob.text("{}"))
            .build();
    fake.addTensor(tensor);

    Manifest manifest = stage(options().build(), "mlx/tensors:bf16");

    assertThat(manifest.bytes()).isEqualTo(tensor.manifestBytes());
    assertThat(listener.states).containsExactly(ModelState.PULLING);
    assertThat(listener.sizes.keySet()).containsExactlyElementsOf(tensor.blobs().keySet());
    assertThat(listener.transferred).isEqualTo(tensor.manifest().totalSize());
    assertThat(listener.completedBytes()).isEqualTo(tensor.manifest().totalSize());
  }

  @Test
  void silentVerifyPhaseLongerThanTheStallTimeoutIsNotAStall() throws Exception {
    // 2 s stall timeout + 200 KB at 10 KB/s = 22 s allowed for verifying; it stays silent 3 s.
    fake.plan(NAME, Plan.normal().withVerifySilence(Duration.ofSeconds(3)));

    Manifest manifest =
        stage(options().stallTimeout(STALL).verifyBytesPerSecond(10_000).build(), NAME);

    assertThat(listener.retries).isEmpty();
    assertThat(listener.states).containsExactly(ModelState.PULLING, ModelState.VERIFYING);
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
  }

  @Test
  void verifyPhaseSilentBeyondItsLimitIsAStallAndIsRetried() throws Exception {
    fake.plan(NAME, Plan.normal().withVerifySilence(Duration.ofSeconds(30)));

    stage(options().stallTimeout(STALL).verifyBytesPerSecond(1_000_000_000).build(), NAME);

    assertThat(listener.retries)
        .containsExactly(
            "pull: no progress for 2 s while verifying sha256 digests; cancelled the pull to"
                + " retry (partial data is kept)"
                + "; attempt 1 of 4 failed, next in 100ms");
    assertThat(listener.states)
        .containsExactly(
            ModelState.PULLING, ModelState.VERIFYING, ModelState.PULLING, ModelState.VERIFYING);
  }

  @Test
  void stalledDownloadIsCancelledAndRetried() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.STALL, 3));

    Manifest manifest = stage(options().stallTimeout(STALL).build(), NAME);

    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0))
        .matches(
            "pull: no progress for 2 s while pulling blob [0-9a-f]{12} \\(100000 of 200000"
                + " bytes\\); cancelled the pull to retry \\(partial data is kept\\)"
                + "; attempt 1 of 4 failed, next in 100ms");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
    assertThat(fake.requests()).hasSize(2);
    awaitDisconnects(1); // closing the stream is what cancels Ollama's pull
    // The retry resumed from the partial file: nothing counted twice.
    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
  }

  @Test
  void stallRetriesRunOutAsStalled() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.STALL, 1), Plan.fail(Kind.STALL, 1));

    assertStageFailure(
            () -> stage(options().stallTimeout(STALL).retries(1).build(), NAME), Reason.STALLED)
        .isEqualTo(
            "ollama could not pull tiny:1b: no progress for 2 s while pulling blob "
                + TINY.layers().get(0).blob().digest().shortHex()
                + " (0 of 200000 bytes); cancelled the pull to retry (partial data is"
                + " kept) (gave up after 2 attempts)");
    awaitDisconnects(2);
  }

  @Test
  void droppedConnectionIsRetried() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.DROP, 3));

    Manifest manifest = stage();

    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0))
        .startsWith("pull: the connection to Ollama broke while pulling blob ")
        .endsWith("; attempt 1 of 4 failed, next in 100ms");
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "max retries exceeded: read tcp 10.0.0.2:443: connection reset by peer | 5",
        "digest mismatch, file must be downloaded again: want sha256:aa, got sha256:bb | 5",
        "pull model manifest: Get \"https://registry.ollama.ai/v2/\": dial tcp: i/o timeout | 1",
      })
  void transientErrorsInTheStreamAreRetried(String message, int afterLines) throws Exception {
    fake.plan(NAME, Plan.error(message, afterLines));

    Manifest manifest = stage();

    assertThat(listener.retries)
        .containsExactly("pull: " + message + "; attempt 1 of 4 failed, next in 100ms");
    assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
  }

  @Test
  void corruptDownloadFailsOllamasVerifyAndIsFetchedAgain() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.CORRUPT_DOWNLOAD, 0));

    Manifest manifest = stage();

    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0))
        .startsWith("pull: digest mismatch, file must be downloaded again: want sha256:")
        .endsWith("; attempt 1 of 4 failed, next in 100ms");
    assertThat(rehash(manifest)).allMatch(BlobCheck::ok);
    Digest weights = TINY.layers().get(0).blob().digest();
    assertThat(listener.completed.get(weights)).contains(200_000L, 0L).endsWith(200_000L);
    assertThat(listener.completedBytes()).isEqualTo(TINY.manifest().totalSize());
    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize() + 200_000);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pull model manifest: file does not exist | NOT_FOUND | the registry has no such model or"
            + " tag; check the name and tag",
        "pull model manifest: 412: The model you are attempting to pull requires a newer version"
            + " of Ollama. | REMOTE_ERROR | the registry requires a newer Ollama for this model:"
            + " upgrade the Ollama server or image, and make sure no older 'ollama serve' is still"
            + " answering on that port",
        "open /models/blobs/sha256-aa-partial: read-only file system | NOT_WRITABLE | Ollama's"
            + " models directory is mounted read-only; stage into a writable mount",
        "write /models/blobs/sha256-aa-partial: no space left on device | NO_SPACE | the models"
            + " directory is full",
        "http: no Location header in response | REMOTE_ERROR | the registry's blob endpoint must"
            + " answer with a 307 redirect to another host, as registry.ollama.ai does; for a plain"
            + " registry use --driver registry",
      })
  void permanentErrorsFailTheModelAtOnce(String message, Reason reason, String hint) {
    fake.plan(NAME, Plan.error(message, 1));

    assertStageFailure(this::stage, reason)
        .isEqualTo("ollama could not pull tiny:1b: " + message + " (" + hint + ")");
    assertThat(listener.retries).isEmpty();
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void unknownModelIsNotFound() {
    assertStageFailure(() -> stage(options().build(), "nosuch:latest"), Reason.NOT_FOUND)
        .isEqualTo(
            "ollama could not pull nosuch:latest: pull model manifest: file does not"
                + " exist (the registry has no such model or tag; check the name and"
                + " tag)");
  }

  @Test
  void errorStatusBeforeTheStreamIsPermanentFor4xx() {
    fake.plan(NAME, Plan.status(400, "invalid model name"));

    assertStageFailure(this::stage, Reason.REMOTE_ERROR)
        .isEqualTo(
            "ollama could not pull tiny:1b: HTTP 400: invalid model name (Ollama"
                + " rejected the name)");
  }

  @Test
  void errorStatus500IsRetried() throws Exception {
    fake.plan(NAME, Plan.status(500, "something broke"));

    stage();

    assertThat(listener.retries)
        .containsExactly(
            "pull: HTTP 500: something broke" + "; attempt 1 of 4 failed, next in 100ms");
  }

  @Test
  void retriesRunOutWithTheLastReasonAndGrowingBackoff() {
    String message = "max retries exceeded: unexpected EOF";
    fake.plan(NAME, Plan.error(message, 1), Plan.error(message, 1), Plan.error(message, 1));
    fake.plan(NAME, Plan.error(message, 1));

    assertStageFailure(this::stage, Reason.TRANSFER_FAILED)
        .isEqualTo(
            "ollama could not pull tiny:1b: max retries exceeded: unexpected EOF (gave"
                + " up after 4 attempts)");
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    assertThat(listener.retries).hasSize(3);
  }

  @Test
  void corruptBlobAlreadyInTheStoreIsTrustedByOllamaButCaughtByTheRehash() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    Files.createDirectories(layout.blobsDir());
    SyntheticBlob weights = TINY.layers().get(0).blob();
    byte[] bytes;
    try (var in = weights.open()) {
      bytes = in.readAllBytes();
    }
    bytes[1234] ^= 0x40; // same size, one flipped bit
    Files.write(layout.blob(weights.digest()), bytes);

    Manifest manifest = stage();

    assertThat(listener.transferred).isEqualTo(TINY.manifest().totalSize() - weights.size());
    assertThat(rehash(manifest))
        .filteredOn(c -> !c.ok())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.digest()).isEqualTo(weights.digest());
              assertThat(c.status()).isEqualTo(BlobStatus.DIGEST_MISMATCH);
            });
  }

  @Test
  void manifestUnderAnExistingSpellingIsFound() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    Path existing =
        layout.manifestsDir().resolve("registry.ollama.ai").resolve("library").resolve("tiny");
    Files.createDirectories(existing);
    Files.write(existing.resolve("1b"), "stale".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Manifest manifest = stage(options().build(), "TINY:1B");

    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
    assertThat(Files.readAllBytes(existing.resolve("1b"))).isEqualTo(TINY.manifestBytes());
    assertThat(Files.exists(layout.manifest(ModelName.parse("TINY:1B")))).isFalse();
  }

  @Test
  void serverWritingToAnotherStoreIsExplained(@TempDir Path elsewhere) throws Exception {
    fake.close();
    fake = FakeOllamaServer.start(elsewhere, Duration.ZERO).add(TINY);

    assertStageFailure(this::stage, Reason.OLLAMA_UNAVAILABLE)
        .isEqualTo(
            "Ollama reported success for tiny:1b but there is no manifest at "
                + new StoreLayout(store).manifest(TINY.name())
                + " (in any letter case): the Ollama server at "
                + fake.uri()
                + " stores models somewhere else than "
                + new StoreLayout(store).root()
                + "; give it the same OLLAMA_MODELS as --models-dir");
  }

  @Test
  void readinessWaitsForHttpWhileThePortIsAlreadyOpen() throws Exception {
    fake.close();
    fake = FakeOllamaServer.start(store, Duration.ofMillis(700)).add(TINY);

    Manifest manifest = stage();

    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
  }

  @Test
  void serverThatNeverAnswersHttpIsNotReady() throws Exception {
    fake.close();
    fake = FakeOllamaServer.start(store, Duration.ofHours(1));

    assertStageFailure(
            () -> stage(options().readyTimeout(Duration.ofMillis(500)).build(), NAME),
            Reason.OLLAMA_UNAVAILABLE)
        .startsWith(
            "the Ollama server at "
                + fake.uri()
                + " (OLLAMA_HOST / --ollama-host) did not answer GET / with \"Ollama is"
                + " running\" within 500 ms; last answer: no HTTP answer within ")
        .endsWith(
            " ms (still starting?); check that the server runs and the address is" + " right");
  }

  @Test
  void unreachableHostIsAnEnvironmentProblem() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI host = URI.create("http://127.0.0.1:" + port);

    assertEnvironmentFailure(
            () -> stage(options().host(host).readyTimeout(Duration.ofMillis(300)).build(), NAME),
            Reason.OLLAMA_UNAVAILABLE)
        .isEqualTo(
            "the Ollama server at "
                + host
                + " (OLLAMA_HOST / --ollama-host) did not answer GET / with \"Ollama is"
                + " running\" within 300 ms; last answer: connection refused; check that"
                + " the server runs and the address is right");
  }

  @Test
  void nonLocalHostHeaderIsRefusedWithAnExplanation() throws Exception {
    // Ollama bound to loopback answers 403 unless the Host header is a local name; 127.0.0.2 is
    // loopback on Linux but not a name the fake (like Ollama's allow-list here) accepts.
    fake.close();
    fake =
        FakeOllamaServer.start(
            store, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), Duration.ZERO);
    URI host = URI.create("http://127.0.0.2:" + fake.port());

    assertStageFailure(() -> stage(options().host(host).build(), NAME), Reason.OLLAMA_UNAVAILABLE)
        .isEqualTo(
            "Ollama at "
                + host
                + " refused the request (HTTP 403): it is bound to loopback and rejects"
                + " the Host header '127.0.0.2:"
                + fake.port()
                + "'; use a loopback address such as 127.0.0.1 in OLLAMA_HOST, or bind"
                + " Ollama to 0.0.0.0");
  }

  @Test
  void connectionRefusedWhileOllamaRestartsIsRetried() throws Exception {
    int port = fake.port();
    OllamaOptions options =
        options()
            .sleeper(
                d -> {
                  sleeps.add(d);
                  try {
                    fake =
                        FakeOllamaServer.start(
                                store,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                                Duration.ZERO)
                            .add(TINY);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .build();
    driver = new OllamaDriver(new StoreLayout(store), options);
    driver.start();
    fake.close(); // Ollama goes away after readiness

    Manifest manifest = driver.stage(TINY.name(), Optional.empty(), listener);

    assertThat(listener.retries)
        .containsExactly(
            "pull: cannot connect to Ollama at http://127.0.0.1:"
                + port
                + ": connection refused"
                + "; attempt 1 of 4 failed, next in 100ms");
    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
  }

  /** Ollama writes the manifest itself; a failed re-hash afterwards must not leave it replaced. */
  @Test
  void abandon_afterARePull_putsThePreviousManifestBack() throws Exception {
    stage();
    Path manifest = new StoreLayout(store).manifest(TINY.name());
    byte[] before = Files.readAllBytes(manifest);
    fake.add(SyntheticModel.typical(NAME, 8, 200_000));
    driver.close();

    stage();
    assertThat(manifest).content().isNotEqualTo(new String(before, StandardCharsets.UTF_8));
    driver.abandon(TINY.name());

    assertThat(manifest).hasBinaryContent(before);
  }

  @Test
  void abandon_ofAFirstPull_removesTheManifestOllamaWrote() throws Exception {
    stage();

    driver.abandon(TINY.name());

    assertThat(new StoreLayout(store).manifest(TINY.name())).doesNotExist();
  }

  @Test
  void removingUnusedLayersIsInformational() throws Exception {
    fake.plan(NAME, Plan.normal().withRemoveUnused());

    Manifest manifest = stage();

    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
    assertThat(listener.retries).isEmpty();
  }

  @Test
  void backoffDoublesUpToItsCap() {
    OllamaDriver d =
        new OllamaDriver(
            new StoreLayout(store),
            options().backoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(60)).build());
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      waits.add(d.backoff(i));
    }
    assertThat(waits)
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }
}
