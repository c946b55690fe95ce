package org.ollamaairgap.stager.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ollamaairgap.stager.testing.StageFailures.assertEnvironmentFailure;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticModel;

/** The driver's own {@code ollama serve} child, run as the fake {@code ollama} script. */
class OllamaServerTest {
  private static final SyntheticModel TINY = SyntheticModel.typical("tiny:1b", 7, 100_000);

  @TempDir Path dir;
  private Path store;
  private Path binary;
  private final Map<String, String> env = new HashMap<>();
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private OllamaDriver driver;

  @BeforeEach
  void fakeBinary() throws IOException {
    store = dir.resolve("models");
    binary = dir.resolve("bin").resolve("ollama");
    Files.createDirectories(binary.getParent());
    try (InputStream in = getClass().getResourceAsStream("/fake-ollama/ollama")) {
      Files.copy(in, binary);
    }
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("FAKE_OLLAMA_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("FAKE_OLLAMA_CLASSPATH", System.getProperty("java.class.path"));
    env.put("FAKE_OLLAMA_MODELS", "tiny:1b=7:100000");
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private TestOptions.Ollama options() {
    return TestOptions.ollama(store)
        .binary(binary)
        .home(dir.resolve("home"))
        .serverEnv(env)
        .serverOutput(output::add)
        .readyTimeout(Duration.ofSeconds(60))
        .stallTimeout(Duration.ofSeconds(30))
        .stopTimeout(Duration.ofSeconds(10))
        .retries(1)
        .sleeper(d -> {});
  }

  @Test
  void startsServeWaitsForHttpReadinessPullsAndStopsOnSigterm() throws Exception {
    env.put("FAKE_OLLAMA_READY_AFTER_MS", "500");
    driver = new OllamaDriver(new StoreLayout(store), options().noprune(true).build());

    Manifest manifest = driver.stage(TINY.name(), Optional.empty(), new RecordingListener());

    assertThat(manifest.bytes()).isEqualTo(TINY.manifestBytes());
    long pid = driver.serverPid().orElseThrow();
    assertThat(output)
        .contains(
            "fake ollama: OLLAMA_HOST="
                + driver.baseUri().orElseThrow().getAuthority()
                + " OLLAMA_MODELS="
                + store.toAbsolutePath()
                + " OLLAMA_NOPRUNE=1 HOME="
                + dir.resolve("home"));
    driver.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(driver.stoppedExitCode()).isEqualTo(128 + 15); // ended by SIGTERM, not SIGKILL
  }

  @Test
  void childThatIgnoresSigtermIsKilled() throws Exception {
    env.put("FAKE_OLLAMA_IGNORE_TERM", "1");
    driver =
        new OllamaDriver(
            new StoreLayout(store), options().stopTimeout(Duration.ofMillis(500)).build());
    driver.start();
    long pid = driver.serverPid().orElseThrow();

    driver.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(driver.stoppedExitCode()).isEqualTo(128 + 9); // SIGKILL after the stop timeout
  }

  @Test
  void childDyingMidPullStopsTheRunWithItsLastLines() {
    env.put("FAKE_OLLAMA_DIE_AFTER_LINES", "3");
    driver = new OllamaDriver(new StoreLayout(store), options().build());

    assertEnvironmentFailure(
            () -> driver.stage(TINY.name(), Optional.empty(), new RecordingListener()),
            Reason.OLLAMA_UNAVAILABLE)
        .matches(
            "ollama serve died while pulling tiny:1b: ollama serve \\(pid \\d+\\) exited"
                + " with code 42; its last lines: .*fake ollama: crashing as planned");
  }

  @Test
  void childExitingAtStartIsReportedWithItsOutput() {
    env.put(
        "FAKE_OLLAMA_EXIT_AT_START",
        "could not create directory mkdir /.ollama: permission denied");
    driver = new OllamaDriver(new StoreLayout(store), options().build());

    assertStageFailure(driver::start, Reason.OLLAMA_UNAVAILABLE)
        .matches(
            "ollama serve stopped before it became ready: ollama serve \\(pid \\d+\\)"
                + " exited with code 1; its last lines: Error: could not create"
                + " directory mkdir /.ollama: permission denied");
  }

  @Test
  void childNeverReadyTimesOut() {
    env.put("FAKE_OLLAMA_READY_AFTER_MS", "3600000");
    driver =
        new OllamaDriver(
            new StoreLayout(store), options().readyTimeout(Duration.ofSeconds(3)).build());

    assertStageFailure(driver::start, Reason.OLLAMA_UNAVAILABLE)
        .matches(
            "ollama serve \\(pid \\d+\\) on http://127\\.0\\.0\\.1:\\d+ did not answer"
                + " GET / with \"Ollama is running\" within 3 s; last answer: .*; raise"
                + " --ollama-ready-timeout if start-up is slow \\(it scans the store\\)");
  }

  @Test
  void missingBinaryIsExplained() {
    Path missing = dir.resolve("nowhere/ollama");
    driver = new OllamaDriver(new StoreLayout(store), options().binary(missing).build());

    assertStageFailure(driver::start, Reason.OLLAMA_UNAVAILABLE)
        .isEqualTo(
            "the ollama binary "
                + missing
                + " does not exist (set --ollama-bin / STAGER_OLLAMA_BIN to the ollama"
                + " executable, point --ollama-host / OLLAMA_HOST at a running server,"
                + " or use --driver registry, which needs no Ollama)");
  }

  @Test
  void binaryIsLookedUpOnPath() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    String path = empty + ":" + binary.getParent();

    assertThat(OllamaServer.findBinary(null, path)).isEqualTo(binary);
    assertThatThrownBy(() -> OllamaServer.findBinary(null, empty.toString()))
        .isInstanceOfSatisfying(
            StageException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "no 'ollama' executable on PATH ("
                            + empty
                            + "); set --ollama-bin / STAGER_OLLAMA_BIN to the ollama executable,"
                            + " point --ollama-host / OLLAMA_HOST at a running server, or use"
                            + " --driver registry, which needs no Ollama"));
  }

  @Test
  void unwritableHomeIsExplainedBeforeStarting() throws Exception {
    Path notADir = Files.writeString(dir.resolve("home-is-a-file"), "x");
    driver = new OllamaDriver(new StoreLayout(store), options().home(notADir).build());

    assertStageFailure(driver::start, Reason.OLLAMA_UNAVAILABLE)
        .startsWith(
            "ollama serve must create its key "
                + notADir.resolve(".ollama/id_ed25519")
                + " but HOME="
                + notADir
                + " is not writable (")
        .endsWith(
            "); set HOME (or --ollama-home) to a writable directory, in Kubernetes an"
                + " emptyDir");
    assertThat(output).isEmpty();
  }

  @Test
  void unwritableStoreIsExplainedBeforeStarting() throws Exception {
    Path file = Files.writeString(dir.resolve("models-is-a-file"), "x");
    driver =
        new OllamaDriver(
            new StoreLayout(file), TestOptions.ollama(file).binary(binary).serverEnv(env).build());

    assertStageFailure(driver::start, Reason.NOT_WRITABLE)
        .startsWith("the models directory " + file + " is not writable for ollama serve")
        .endsWith("; mount it read-write and give this user write access");
  }
}
