package org.ollamaairgap.stager.ollama;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * An {@code ollama serve} child process on a free loopback port, with {@code OLLAMA_MODELS} set to
 * the target store. Its output goes line by line to a consumer (the app logs it with a prefix); the
 * last lines are kept for the error message when it dies.
 */
final class OllamaServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OllamaServer.class.getName());
  private static final int KEPT_LINES = 15;

  private final Process process;
  private final URI uri;
  private final Thread pump;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final Duration stopTimeout;

  private OllamaServer(Process process, URI uri, Consumer<String> output, Duration stopTimeout) {
    this.process = process;
    this.uri = uri;
    this.stopTimeout = stopTimeout;
    this.pump = new Thread(() -> pump(output), "ollama-serve-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Checks the environment, then starts {@code <binary> serve}; it is not ready yet. */
  static OllamaServer start(StoreLayout layout, OllamaOptions options) throws StageException {
    Path binary = findBinary(options.binary(), System.getenv("PATH"));
    checkStore(layout);
    Path home = options.home() != null ? options.home() : homeFromEnv();
    checkHome(home);
    int port = freePort();
    String hostPort = "127.0.0.1:" + port;
    ProcessBuilder builder = new ProcessBuilder(binary.toString(), "serve");
    Map<String, String> env = builder.environment();
    env.putAll(options.serverEnv());
    env.put("OLLAMA_MODELS", layout.root().toString());
    env.put("OLLAMA_HOST", hostPort);
    env.put("OLLAMA_NOPRUNE", options.noprune() ? "1" : "false");
    env.put("HOME", home.toString());
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "cannot start " + binary + " serve: " + e.getMessage() + " (" + BINARY_HINT + ")",
          e);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "started {0} serve (pid {1}) on {2} with OLLAMA_MODELS={3}, OLLAMA_NOPRUNE={4}",
        binary,
        String.valueOf(process.pid()),
        hostPort,
        layout.root(),
        options.noprune());
    return new OllamaServer(
        process, URI.create("http://" + hostPort), options.serverOutput(), options.stopTimeout());
  }

  private static final String BINARY_HINT =
      "set --ollama-bin / STAGER_OLLAMA_BIN to the ollama executable, point --ollama-host /"
          + " OLLAMA_HOST at a running server, or use --driver registry, which needs no Ollama";

  /** The configured binary, or {@code ollama} (or a bare name) looked up on {@code PATH}. */
  static Path findBinary(Path configured, String pathEnv) throws StageException {
    String name = configured == null ? "ollama" : configured.toString();
    if (configured != null && (configured.isAbsolute() || configured.getNameCount() > 1)) {
      Path path = configured;
      if (!Files.isRegularFile(path)) {
        throw new StageException(
            Reason.OLLAMA_UNAVAILABLE,
            "the ollama binary " + path + " does not exist (" + BINARY_HINT + ")");
      }
      if (!Files.isExecutable(path)) {
        throw new StageException(
            Reason.OLLAMA_UNAVAILABLE,
            "the ollama binary "
                + path
                + " is not executable (chmod +x it, or "
                + BINARY_HINT
                + ")");
      }
      return path;
    }
    List<String> searched = new ArrayList<>();
    if (pathEnv != null) {
      for (String dir : pathEnv.split(java.io.File.pathSeparator, -1)) {
        if (dir.isEmpty()) {
          continue;
        }
        searched.add(dir);
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new StageException(
        Reason.OLLAMA_UNAVAILABLE,
        "no '"
            + name
            + "' executable on PATH ("
            + (searched.isEmpty() ? "PATH is empty" : String.join(":", searched))
            + "); "
            + BINARY_HINT);
  }

  /** The child runs as this user, so what this process cannot write, Ollama cannot either. */
  private static void checkStore(StoreLayout layout) throws StageException {
    try {
      new StoreWriter(layout).probeWrite();
    } catch (IOException e) {
      throw new StageException(
          Reason.NOT_WRITABLE,
          "the models directory "
              + layout.root()
              + " is not writable for ollama serve (it runs as this user): "
              + e
              + "; mount it read-write and give this user write access",
          e);
    }
  }

  private static Path homeFromEnv() throws StageException {
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "HOME is not set, and ollama serve keeps its key in $HOME/.ollama/id_ed25519; set HOME"
              + " to a writable directory (in Kubernetes an emptyDir)");
    }
    return Path.of(home);
  }

  /**
   * Ollama creates {@code $HOME/.ollama/id_ed25519} at start-up and dies if it cannot; in a
   * read-only-root container HOME is often {@code /}. Say so before starting it.
   */
  private static void checkHome(Path home) throws StageException {
    Path dir = home.resolve(".ollama");
    if (Files.isRegularFile(dir.resolve("id_ed25519"))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, "write-probe-", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "ollama serve must create its key "
              + dir.resolve("id_ed25519")
              + " but HOME="
              + home
              + " is not writable ("
              + e
              + "); set HOME (or --ollama-home) to a writable directory, in Kubernetes an emptyDir",
          e);
    }
  }

  /**
   * A port the kernel just handed out. Another process could take it before Ollama binds it; then
   * Ollama exits at once and readiness reports its output.
   */
  private static int freePort() throws StageException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE, "no free loopback port for ollama serve: " + e, e);
    }
  }

  private void pump(Consumer<String> output) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        synchronized (lastLines) {
          lastLines.addLast(line);
          if (lastLines.size() > KEPT_LINES) {
            lastLines.removeFirst();
          }
        }
        try {
          output.accept(line);
        } catch (RuntimeException e) {
          // a failing log sink must not stop the pump, or the child blocks on a full pipe
        }
      }
    } catch (IOException e) {
      // the pipe closed: the process is gone
    }
  }

  URI uri() {
    return uri;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * Whether the child has exited, waiting up to {@code grace} for an exit that is under way (a
   * dying process closes its sockets a moment before its exit status is there).
   */
  boolean exited(Duration grace) throws InterruptedException {
    return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** "ollama serve (pid N) exited with code C; its last lines: ...". Call after it exited. */
  String deathNote() throws InterruptedException {
    pump.join(1000); // let the pump drain the last lines
    String lines;
    synchronized (lastLines) {
      lines = lastLines.isEmpty() ? "(no output)" : String.join(" | ", lastLines);
    }
    return "ollama serve (pid "
        + process.pid()
        + ") exited with code "
        + process.exitValue()
        + "; its last lines: "
        + lines;
  }

  /** The exit code once the process ended (143 after SIGTERM, 137 after SIGKILL), else -1. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGTERM, wait up to the stop timeout, then SIGKILL. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "ollama serve (pid {0}) did not stop within {1} ms of SIGTERM; killing it",
            String.valueOf(process.pid()),
            stopTimeout.toMillis());
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      pump.join(1000);
      LOG.log(
          System.Logger.Level.INFO,
          "ollama serve (pid {0}) stopped with exit code {1}",
          String.valueOf(process.pid()),
          process.isAlive() ? "(still running)" : String.valueOf(process.exitValue()));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
