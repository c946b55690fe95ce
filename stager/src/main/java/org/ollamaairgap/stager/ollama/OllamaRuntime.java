package org.ollamaairgap.stager.ollama;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * The Ollama the driver talks to: the server at {@code OLLAMA_HOST}, or an {@code ollama serve}
 * child started on first use, polled until it answers "Ollama is running", watched for its death,
 * and stopped at the end.
 */
final class OllamaRuntime implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(OllamaRuntime.class.getName());
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofMillis(250);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration DEATH_GRACE = Duration.ofMillis(500);

  private final StoreLayout layout;
  private final OllamaOptions options;
  private OllamaServer server;
  private OllamaClient client;
  private int stoppedExitCode = -1;

  OllamaRuntime(StoreLayout layout, OllamaOptions options) {
    this.layout = layout;
    this.options = options;
  }

  /**
   * Reaches a ready Ollama: checks the existing server, or starts the child process and waits for
   * it; returns the client for it. Idempotent.
   */
  synchronized OllamaClient start() throws StageException {
    if (client != null) {
      return client;
    }
    if (options.host() != null) {
      OllamaClient candidate = new OllamaClient(options.host());
      awaitReady(candidate, null);
      client = candidate;
      LOG.log(System.Logger.Level.INFO, "using the Ollama server at {0}", options.host());
      return client;
    }
    OllamaServer started = OllamaServer.start(layout, options);
    try {
      OllamaClient candidate = new OllamaClient(started.uri());
      awaitReady(candidate, started);
      server = started;
      client = candidate;
      return client;
    } catch (StageException | RuntimeException e) {
      started.close();
      throw e;
    }
  }

  /** The Ollama server's base URL, once started. */
  synchronized Optional<URI> baseUri() {
    return client == null ? Optional.empty() : Optional.of(client.base());
  }

  /** The pid of the {@code ollama serve} child, when this driver runs one. */
  synchronized java.util.OptionalLong serverPid() {
    return server == null
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(server.pid());
  }

  /** The exit code of the child after {@link #close}, or -1. */
  synchronized int stoppedExitCode() {
    return stoppedExitCode;
  }

  /** Polls {@code GET /} until "Ollama is running", the deadline, or the child's death. */
  private void awaitReady(OllamaClient candidate, OllamaServer child) throws StageException {
    long deadline = System.nanoTime() + options.readyTimeout().toNanos();
    String seen = "nothing";
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        Duration probeTimeout =
            Duration.ofNanos(
                Math.max(
                    Math.min(remaining, PROBE_TIMEOUT.toNanos()), MIN_PROBE_TIMEOUT.toNanos()));
        OllamaClient.Probe probe = candidate.probe(probeTimeout);
        if (probe.ready()) {
          LOG.log(System.Logger.Level.INFO, "Ollama at {0} is ready", candidate.base());
          return;
        }
        seen = probe.detail();
        if (probe.status() == 403) {
          throw new StageException(
              Reason.OLLAMA_UNAVAILABLE,
              "Ollama at "
                  + candidate.base()
                  + " refused the request (HTTP 403): it is bound to loopback and rejects the Host"
                  + " header '"
                  + candidate.base().getAuthority()
                  + "'; use a loopback address such as 127.0.0.1 in OLLAMA_HOST, or bind Ollama to"
                  + " 0.0.0.0");
        }
        if (child != null && child.exited(Duration.ZERO)) {
          throw new StageException(
              Reason.OLLAMA_UNAVAILABLE,
              "ollama serve stopped before it became ready: " + child.deathNote());
        }
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageException(Reason.INTERRUPTED, "interrupted while waiting for Ollama", e);
    }
    String what =
        child == null
            ? "the Ollama server at " + candidate.base() + " (OLLAMA_HOST / --ollama-host)"
            : "ollama serve (pid " + child.pid() + ") on " + candidate.base();
    throw new StageException(
        Reason.OLLAMA_UNAVAILABLE,
        what
            + " did not answer GET / with \""
            + OllamaClient.READY_TEXT
            + "\" within "
            + OllamaClient.human(options.readyTimeout())
            + "; last answer: "
            + seen
            + (child == null
                ? "; check that the server runs and the address is right"
                : "; raise --ollama-ready-timeout if start-up is slow (it scans the store)"));
  }

  /** Fails the run if the Ollama child died: nothing else can be pulled (exit 3). */
  void checkChild(ModelName model) throws StageException, InterruptedException {
    if (server != null && server.exited(DEATH_GRACE)) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "ollama serve died while pulling " + model.displayShortest() + ": " + server.deathNote());
    }
  }

  /** Stops the child process, if one was started. */
  @Override
  public synchronized void close() {
    if (server != null) {
      LOG.log(
          System.Logger.Level.INFO,
          "stopping ollama serve (pid {0})",
          String.valueOf(server.pid()));
      server.close();
      stoppedExitCode = server.exitCode();
      server = null;
    }
    client = null;
  }
}
