package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * {@code verifier watch} as the packaged program, a real process serving its management port: a
 * store damaged while it runs, repaired, models added and removed, and a store that is read-only
 * throughout (a read-only bind mount of the writable side, as production sees the NFS export; the
 * test changes the writable side as the stager would).
 */
class VerifierWatchIT {
  /** Generous: a condition that holds is seen within a pass or two, the limit is for hangs. */
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @TempDir Path dir;
  private Process process;
  private Path readOnly;
  private final HttpClient http = HttpClient.newHttpClient();
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroy();
      process.waitFor();
    }
    if (readOnly != null) {
      ReadOnlyMounts.unmount(readOnly);
    }
  }

  @Test
  void damagedMidRunGoesUnreadyWithinOnePassNamesTheBlobAndRecoversWhenRepaired() throws Exception {
    SyntheticModel a = SyntheticModel.typical("alpha:1b", 11, 300_000);
    SyntheticModel b = SyntheticModel.typical("beta:1b", 12, 200_000);
    StoreBuilder store = StoreBuilder.at(dir.resolve("export")).add(a).add(b);
    Path record = watch(store);
    assertThat(status("/q/health/ready")).isEqualTo(200);
    assertThat(status("/q/health/live")).isEqualTo(200);
    String metrics = get("/q/metrics");
    assertThat(metric(metrics, "verifier_blobs{state=\"ok\"}")).isEqualTo(distinct(a, b));
    assertThat(metric(metrics, "verifier_blobs{state=\"failed\"}")).isZero();
    assertThat(metrics).contains("verifier_pass_duration_seconds ");
    assertThat(metrics).contains("verifier_last_pass_timestamp_seconds ");
    assertThat(metric(metrics, "verifier_verified_bytes_total")).isPositive();
    assertThat(metrics).doesNotContain("sha256");

    Digest weights = a.layers().get(0).blob().digest();
    int passBefore = passesStarted();
    store.flipByte(weights, 1000);
    await("ready DOWN", () -> status("/q/health/ready") == 503);
    // The pass running when the byte changed may have read the blob before; the next one may not.
    assertThat(passesStarted()).isLessThanOrEqualTo(passBefore + 1);
    assertThat(get("/q/health/ready"))
        .contains("BLOB_DIGEST_MISMATCH")
        .contains(weights.toString());
    assertThat(status("/q/health/live")).isEqualTo(200);
    assertThat(status("/q/health/started")).isEqualTo(200);
    await(
        "the failed blob counted",
        () -> metric(get("/q/metrics"), "verifier_blobs{state=\"failed\"}") == 1);
    await(
        "the finding counted",
        () ->
            metric(
                    get("/q/metrics"),
                    "verifier_findings{kind=\"blob_digest_mismatch\",severity=\"error\"}")
                == 1);
    assertThat(log()).contains("ERROR BLOB_DIGEST_MISMATCH").contains(weights.toString());

    store.flipByte(weights, 1000); // the same byte back: the blob is whole again
    await("ready UP after repair", () -> status("/q/health/ready") == 200);
    await(
        "no failed blob", () -> metric(get("/q/metrics"), "verifier_blobs{state=\"failed\"}") == 0);
    assertStoreUntouched(store.root(), record, Set.of(), Set.of());
  }

  @Test
  void modelsAddedAndRemovedWhileRunningArePickedUp() throws Exception {
    SyntheticModel a = SyntheticModel.typical("alpha:1b", 21, 100_000);
    SyntheticModel b = SyntheticModel.typical("beta:1b", 22, 100_000);
    SyntheticModel c = SyntheticModel.typical("gamma:1b", 23, 150_000);
    StoreBuilder store = StoreBuilder.at(dir.resolve("export")).add(a).add(b);
    Path record = watch(store);

    store.add(c);
    await("gamma verified", () -> log().contains("model gamma:1b: ok"));
    await(
        "three models' blobs ok",
        () -> metric(get("/q/metrics"), "verifier_blobs{state=\"ok\"}") == distinct(a, b, c));

    Files.delete(store.manifest("beta:1b"));
    await(
        "beta's blobs gone from the count",
        () -> metric(get("/q/metrics"), "verifier_blobs{state=\"ok\"}") == distinct(a, c));
    assertThat(status("/q/health/ready")).isEqualTo(200); // unreferenced blobs are a warning
    Set<String> added = paths(store, c);
    added.removeAll(snapshot);
    String betaManifest = store.root().relativize(store.manifest(b.name().toString())).toString();
    assertStoreUntouched(store.root(), record, added, Set.of(betaManifest));
  }

  /**
   * Starts watching a read-only view of {@code store} with a record directory, once it has started
   * (a first clean pass); returns the record directory.
   */
  private Path watch(StoreBuilder store) throws Exception {
    Path watched = readOnlyView(store.root());
    Path record = Files.createDirectory(dir.resolve("record"));
    snapshot = files(store.root());
    start(watched, record);
    await("started", () -> status("/q/health/started") == 200);
    return record;
  }

  private void start(Path models, Path record) throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("verifier.jar", "target/quarkus-app/quarkus-run.jar"));
    command.addAll(
        List.of(
            "watch",
            "--models-dir",
            models.toString(),
            "--record-dir",
            record.toString(),
            "--watch-interval",
            "100ms",
            "--termination-log",
            dir.resolve("termination-log").toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("OLLAMA_MODELS");
    builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(port));
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
    process = builder.start();
  }

  /** The store's files when the program started. */
  private Set<String> snapshot;

  /** A read-only bind mount of {@code root} when this user may mount, else {@code root} itself. */
  private Path readOnlyView(Path root) throws IOException, InterruptedException {
    Path view = Files.createDirectory(dir.resolve("ro"));
    if (ReadOnlyMounts.mount(root, view)) {
      readOnly = view;
      return view;
    }
    return root;
  }

  /**
   * The store holds exactly the files it held at the start plus those the test added, less those it
   * removed, and the program wrote nothing beside its record, log and termination log (the
   * read-only mount, when there is one, would have refused a write into the store anyway).
   */
  private void assertStoreUntouched(Path root, Path record, Set<String> added, Set<String> removed)
      throws IOException {
    Set<String> expected = new TreeSet<>(snapshot);
    expected.addAll(added);
    expected.removeAll(removed);
    assertThat(files(root)).isEqualTo(expected);
    try (Stream<Path> files = Files.list(record)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).isNotEmpty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .allMatch(
              name -> Set.of("export", "ro", "record", "log", "termination-log").contains(name));
    }
  }

  /** The regular files under {@code root}, relative. */
  private static Set<String> files(Path root) throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString()));
    }
    return files;
  }

  private static Set<String> paths(StoreBuilder store, SyntheticModel model) {
    Set<String> paths = new TreeSet<>();
    paths.add(store.root().relativize(store.manifest(model.name().toString())).toString());
    for (Digest d : model.blobs().keySet()) {
      paths.add(store.root().relativize(store.blob(d)).toString());
    }
    return paths;
  }

  private static long distinct(SyntheticModel... models) {
    Set<Digest> all = new HashSet<>();
    for (SyntheticModel m : models) {
      all.addAll(m.blobs().keySet());
    }
    return all.size();
  }

  private int passesStarted() throws IOException {
    Matcher m = Pattern.compile("(?m)^watch pass (\\d+) starts").matcher(log());
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static long metric(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).strip());
      }
    }
    return -1;
  }

  private int status(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String get(String path) {
    try {
      return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant until = Instant.now().plus(PATIENCE);
    while (!condition.getAsBoolean()) {
      assertThat(process.isAlive()).as("verifier watch exited; log:\n" + log()).isTrue();
      assertThat(Instant.now()).as("waiting for " + what + "; log:\n" + log()).isBefore(until);
      Thread.sleep(100);
    }
  }
}
