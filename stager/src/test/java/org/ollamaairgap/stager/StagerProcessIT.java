package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged stager as a real process with its management port taken by another program: help,
 * version and usage errors must not need the port (exit 0 / 2), and a run that does is exit 3
 * naming the port and how to move it, with the summary and the termination message.
 */
class StagerProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ServerSocket taken;

  record Result(int code, String out, String err) {
    JsonNode summary() throws IOException {
      List<String> lines = out.lines().toList();
      return JSON.readTree(lines.get(lines.size() - 1));
    }
  }

  @BeforeEach
  void takeAPort() throws IOException {
    taken = new ServerSocket(0); // the wildcard address, as the management interface binds
  }

  @AfterEach
  void release() throws IOException {
    taken.close();
  }

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("stager.jar", "target/quarkus-app/quarkus-run.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("QUARKUS_MANAGEMENT_PORT", String.valueOf(taken.getLocalPort()));
    builder.environment().keySet().removeIf(k -> k.startsWith("STAGER_") || k.contains("PROXY"));
    builder.environment().putAll(all);
    builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    int code = builder.start().waitFor();
    return new Result(
        code,
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void helpWithThePortTaken_exits0AndShowsThePortInForce() throws Exception {
    Result result = run(Map.of(), "--help");
    assertThat(result.code()).as(result.err()).isEqualTo(0);
    assertThat(result.out())
        .startsWith("Usage: stager [OPTIONS] [NAME...]")
        .contains("now: " + taken.getLocalPort() + " (from QUARKUS_MANAGEMENT_PORT)\n");
  }

  @Test
  void versionWithThePortTaken_exits0() throws Exception {
    Result result = run(Map.of(), "--version");
    assertThat(result.code()).as(result.err()).isEqualTo(0);
    assertThat(result.out().strip()).matches("stager \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--no-such-flag                 | unknown option '--no-such-flag'; see stager --help",
        "--stall-timeout=soon           | --stall-timeout (STAGER_STALL_TIMEOUT): 'soon' is not a"
            + " duration",
        "bad name                       | invalid model name 'bad name'",
        "--kubernetes=maybe             | ",
      })
  void usageErrorsWithThePortTaken_exit2WithTheSummary(String arg, String reason) throws Exception {
    Path terminationLog = Files.writeString(dir.resolve("termination-log"), "");
    Result result =
        run(
            Map.of(),
            "--driver=registry",
            "--models-dir",
            dir.resolve("models").toString(),
            "--termination-log",
            terminationLog.toString(),
            arg);
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(2);
    JsonNode summary = result.summary();
    assertThat(summary.get("outcome").asText()).isEqualTo("usage");
    if (reason != null) {
      assertThat(summary.get("reason").asText()).startsWith(reason);
    }
    assertThat(Files.readString(terminationLog)).isEqualTo(summary.get("reason").asText());
    assertThat(result.err()).doesNotContain("Failed to start", "\tat ");
    assertThat(dir.resolve("models")).doesNotExist();
  }

  @Test
  void aRunWithThePortTaken_exits3NamingThePortAndHowToMoveIt() throws Exception {
    Path terminationLog = Files.writeString(dir.resolve("termination-log"), "");
    Result result =
        run(
            Map.of(),
            "--driver=registry",
            "--kubernetes=false",
            "--linger=0",
            "--models-dir",
            dir.resolve("models").toString(),
            "--termination-log",
            terminationLog.toString(),
            "llama3:8b");
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(3);
    String reason =
        "cannot start: the management port "
            + taken.getLocalPort()
            + " (/q/metrics, /q/health) is already in use, by another instance or another program"
            + " on this host; stop that, or move the port with QUARKUS_MANAGEMENT_PORT=<free port>";
    assertThat(result.err()).contains("stager: " + reason);
    JsonNode summary = result.summary();
    assertThat(summary.get("outcome").asText()).isEqualTo("environment");
    assertThat(summary.get("reason").asText()).isEqualTo(reason);
    assertThat(Files.readString(terminationLog)).isEqualTo(reason);
  }

  @Test
  void aMovedPortStartsAndTheRunGoesOn() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    Result result =
        run(
            Map.of("QUARKUS_MANAGEMENT_PORT", String.valueOf(free)),
            "--driver=registry",
            "--kubernetes=false",
            "--linger=0",
            "--models-dir",
            notADirectory.toString(),
            "llama3:8b");
    // Started on the moved port: the run reached the store check, which fails on a file.
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(3);
    assertThat(result.summary().get("reason").asText())
        .contains(notADirectory.toString())
        .doesNotContain("management port");
  }
}
