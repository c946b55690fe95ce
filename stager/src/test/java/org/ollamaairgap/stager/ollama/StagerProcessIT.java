package org.ollamaairgap.stager.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Kind;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Plan;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The packaged stager as a real process, as the Job runs it, against the fake Ollama: what only a
 * real process shows (stdout exactly as {@code kubectl logs} has it, signals, a killed holder).
 */
class StagerProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "tiny:1b";
  private static final SyntheticModel TINY = SyntheticModel.typical(NAME, 7, 200_000);

  @TempDir Path dir;
  private Path models;
  private FakeOllamaServer fake;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void startFake() throws IOException {
    models = dir.resolve("models");
    fake = FakeOllamaServer.start(models, Duration.ZERO).add(TINY);
  }

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
    fake.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Starts the stager with the ollama driver on the fake; stdout and stderr go to files. */
  private Process start(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("stager.jar", "target/quarkus-app/quarkus-run.jar"));
    command.addAll(
        List.of(
            "--ollama-host=" + fake.uri(),
            "--models-dir=" + models,
            "--kubernetes=false",
            "--termination-log=" + dir.resolve("no-termination-log")));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("STAGER_") || k.startsWith("OLLAMA"));
    builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(freePort()));
    builder
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String out(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
  }

  private String all(String name) throws IOException {
    return out(name) + Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
  }

  private static int exit(Process process) throws InterruptedException {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the stager ended").isTrue();
    return process.exitValue();
  }

  /** docs/stager.md: {@code kubectl logs job/… | tail -1 | jq}, with the default linger too. */
  @Test
  void lastLineOfStdout_isTheJsonSummary_alsoWhileLingering() throws Exception {
    Process stager = start("linger", "--linger=1s", NAME);

    assertThat(exit(stager)).as(all("linger")).isZero();
    List<String> lines = out("linger").lines().toList();
    JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("outcome").asText()).isEqualTo("ok");
    assertThat(summary.get("models").get(0).get("displayName").asText()).isEqualTo(NAME);
    assertThat(all("linger")).contains("serving /q/metrics for 1s more");
  }

  @Test
  void sigterm_releasesTheLock_soTheNextRunStartsAtOnce() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.STALL, 3));
    Path lock = new StoreLayout(models).lockFile();
    Process stager = start("stopped", "--stall-timeout=10m", "--linger=0s", NAME);
    waitFor(lock, stager);

    stager.destroy(); // SIGTERM, as Kubernetes stops a pod
    exit(stager);

    // The file is the proof: log lines written while the JVM shuts down may be cut off.
    assertThat(lock).as(all("stopped")).doesNotExist();
  }

  @Test
  void sigkilledHolder_onThisHost_isTakenOverAtOnce() throws Exception {
    fake.plan(NAME, Plan.fail(Kind.STALL, 3));
    Path lock = new StoreLayout(models).lockFile();
    Process killed = start("killed", "--stall-timeout=10m", "--linger=0s", NAME);
    waitFor(lock, killed);
    killed.destroyForcibly(); // SIGKILL: no chance to release
    exit(killed);
    assertThat(lock).exists();

    // A fresh heartbeat, a long stale-after and no waiting: only proof of death lets it in.
    Process next = start("next", "--lock-wait=0s", "--lock-stale-after=10m", "--linger=0s", NAME);

    assertThat(exit(next)).as(all("next")).isZero();
    assertThat(all("next")).contains("took over the store lock of ").contains(" at once: ");
  }

  /** Until the holder has the lock and its pull has started (the fake has the request). */
  private void waitFor(Path lock, Process holder) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!Files.exists(lock) || fake.requests().isEmpty()) {
      assertThat(holder.isAlive()).as("the stager still runs").isTrue();
      assertThat(Instant.now()).as("the lock was taken").isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
