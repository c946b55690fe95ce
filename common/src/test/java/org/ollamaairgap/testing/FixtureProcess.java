package org.ollamaairgap.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process started by a fixture: stdio goes to a log file (never a pipe, so a chatty server
 * cannot block), a JVM shutdown hook kills it if a test forgets to close it, and {@link #close()}
 * stops it with SIGTERM, then SIGKILL.
 */
final class FixtureProcess implements AutoCloseable {
  static final String APT_INSTALL =
      "apt-get install -y --no-install-recommends docker-registry nginx libnginx-mod-http-perl"
          + " (the repository's .ci/run does this)";
  static final String ID_HEADER = "X-Fixture-Id";
  private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
  private static final HttpClient PROBE =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread hook;
  private final Process watchdog;

  private FixtureProcess(String name, Process process, Path log, Process watchdog) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.watchdog = watchdog;
    this.hook = new Thread(this::kill, "fixture-kill-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Shutdown hooks do not run when the JVM is SIGKILLed (a surefire timeout, say): a tiny shell
   * loop kills the server once the JVM is gone, so no registry outlives its test run.
   */
  private static Process watchdog(long server) throws IOException {
    long jvm = ProcessHandle.current().pid();
    String script =
        String.format(
            "while kill -0 %1$d 2>/dev/null && kill -0 %2$d 2>/dev/null; do sleep 1; done;"
                + " if ! kill -0 %1$d 2>/dev/null; then kill -9 %2$d 2>/dev/null; fi",
            jvm, server);
    return new ProcessBuilder("/bin/sh", "-c", script)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(true)
        .start();
  }

  /** Fails with the apt packages to install when a required file is missing. */
  static void require(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          what + " is not installed (" + file + " is missing): run " + APT_INSTALL);
    }
  }

  /** A port that was free on 127.0.0.1 a moment ago (callers retry if they lose the race). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts {@code command} in {@code workDir} with stdout and stderr appended to {@code log}. */
  static FixtureProcess start(String name, List<String> command, Path workDir, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true)
            .start();
    try {
      return new FixtureProcess(name, process, log, watchdog(process.pid()));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** A random token a fixture puts into a response header to recognise its own server. */
  static String newId() {
    return java.util.UUID.randomUUID().toString();
  }

  /**
   * Waits until {@code GET url} answers {@code expectedStatus} with header {@link #ID_HEADER} equal
   * to {@code id} (so a server of someone else that won the race for the port is not mistaken for
   * ours); returns false if the process died first (the caller retries on another port), throws if
   * the deadline passes.
   */
  boolean awaitHttp(String url, int expectedStatus, String id) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        HttpResponse<Void> response = probe(request);
        boolean ours = response.headers().firstValue(ID_HEADER).filter(id::equals).isPresent();
        if (response.statusCode() == expectedStatus && ours) {
          return true;
        }
        last = "HTTP " + response.statusCode() + (ours ? "" : " from another server");
      } catch (IOException e) {
        last = e.toString();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + name);
      }
    }
    close();
    throw new IOException(
        name
            + " did not answer "
            + expectedStatus
            + " on "
            + url
            + " within "
            + READY_DEADLINE.toSeconds()
            + " s (last: "
            + last
            + "); log "
            + log
            + ":\n"
            + logTail());
  }

  private HttpResponse<Void> probe(HttpRequest request) throws IOException {
    try {
      return PROBE.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new InterruptedIOException("interrupted while waiting for " + name);
    }
  }

  /** True while the process runs. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of the log, for error messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    watchdog.destroyForcibly();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        kill();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down and the hook runs anyway.
      }
    }
  }

  private void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
