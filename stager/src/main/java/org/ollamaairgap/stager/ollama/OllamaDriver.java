package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * Stages models through Ollama's own pull: one streamed {@code POST /api/pull} per model, on an
 * existing server or on an {@code ollama serve} child process started on first use.
 *
 * <p>Transient failures (connection refused while Ollama restarts, a dropped stream, {@code max
 * retries exceeded}, a digest mismatch, a stall) are retried with exponential backoff; permanent
 * ones ({@code file does not exist}, 412, read-only store, ...) fail the model at once. Ollama
 * verifies only what it downloaded, so the run re-hashes every blob of the returned manifest.
 *
 * <p>Stalls: Ollama sends a line every 60 ms while a blob downloads, even when no byte moves, so a
 * stall is no <em>progress</em> (no new status, blob or byte) for the stall timeout, not merely no
 * line. Closing the connection cancels Ollama's pull and keeps its partial files for the retry. The
 * {@code verifying sha256 digest} phase is silent by design for as long as hashing takes, so there
 * the limit is the stall timeout plus the downloaded bytes at {@link
 * OllamaOptions#verifyBytesPerSecond()}: a dead server is still noticed (the connection closes, or
 * the child exits), a hung one eventually, and a slow disk is not called a stall.
 */
public final class OllamaDriver implements Driver {
  private static final System.Logger LOG = System.getLogger(OllamaDriver.class.getName());
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofMillis(250);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration DEATH_GRACE = Duration.ofMillis(500);

  private final OllamaOptions options;
  private final StoreLayout layout;
  private OllamaServer server;
  private OllamaClient client;
  private int stoppedExitCode = -1;

  /**
   * @param layout the store Ollama writes into: the child gets its root as {@code OLLAMA_MODELS},
   *     and the driver reads the manifest there
   */
  public OllamaDriver(StoreLayout layout, OllamaOptions options) {
    this.layout = layout;
    this.options = options;
  }

  /**
   * Reaches a ready Ollama: checks the existing server, or starts the child process and waits for
   * it. Called by {@link #resolve} and {@link #stage}; the app may call it first to fail early.
   */
  public synchronized void start() throws StageException {
    if (client != null) {
      return;
    }
    if (options.host() != null) {
      OllamaClient candidate = new OllamaClient(options.host());
      awaitReady(candidate, null);
      client = candidate;
      LOG.log(System.Logger.Level.INFO, "using the Ollama server at {0}", options.host());
      return;
    }
    OllamaServer started = OllamaServer.start(layout, options);
    try {
      OllamaClient candidate = new OllamaClient(started.uri());
      awaitReady(candidate, started);
      server = started;
      client = candidate;
    } catch (StageException | RuntimeException e) {
      started.close();
      throw e;
    }
  }

  /** The Ollama server's base URL, once started. */
  public synchronized Optional<URI> baseUri() {
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

  /** Ollama resolves the manifest itself, so nothing is known before the pull. */
  @Override
  public Optional<Manifest> resolve(ModelName model) throws StageException {
    start();
    return Optional.empty();
  }

  @Override
  public Manifest stage(ModelName model, Optional<Manifest> resolved, PullListener listener)
      throws StageException {
    start();
    PullProgress progress = new PullProgress(model, listener);
    try {
      for (int attempt = 0; ; attempt++) {
        PullError failure = pullOnce(model, progress);
        if (failure == null) {
          return readManifest(model, progress);
        }
        if (!failure.transientError()) {
          throw new StageException(failure.reason(), failed(model, failure.message()));
        }
        if (attempt >= options.retries()) {
          throw new StageException(
              failure.reason(),
              failed(model, failure.message())
                  + " (gave up after "
                  + (attempt + 1)
                  + (attempt == 0 ? " attempt)" : " attempts)"));
        }
        Duration wait = backoff(attempt);
        listener.retry(model, failure.message());
        LOG.log(
            System.Logger.Level.WARNING,
            "pull of {0} failed ({1}); retry {2} of {3} in {4} ms",
            model.displayShortest(),
            failure.message(),
            attempt + 1,
            options.retries(),
            wait.toMillis());
        options.sleeper().sleep(wait);
        checkChild(model);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageException(
          Reason.INTERRUPTED, "interrupted while pulling " + model.displayShortest(), e);
    }
  }

  private static String failed(ModelName model, String message) {
    return "ollama could not pull " + model.displayShortest() + ": " + message;
  }

  Duration backoff(int attempt) {
    long millis = options.backoff().toMillis() << Math.min(attempt, 20);
    return Duration.ofMillis(Math.min(millis, options.maxBackoff().toMillis()));
  }

  /**
   * One {@code /api/pull}.
   *
   * @return null on {@code success}, else what went wrong
   * @throws StageException when the Ollama child died or Ollama cannot be this server at all
   */
  private PullError pullOnce(ModelName model, PullProgress progress)
      throws StageException, InterruptedException {
    progress.startAttempt();
    OllamaClient.PullStream stream;
    try {
      stream = client.pull(model.toString(), options.insecure(), options.stallTimeout());
    } catch (ConnectException e) {
      checkChild(model);
      return new PullError(
          Reason.OLLAMA_UNAVAILABLE,
          true,
          "cannot connect to Ollama at " + client.base() + ": connection refused");
    } catch (TimeoutException e) {
      checkChild(model);
      return new PullError(
          Reason.STALLED,
          true,
          "Ollama at "
              + client.base()
              + " did not answer /api/pull within "
              + OllamaClient.human(options.stallTimeout()));
    } catch (IOException e) {
      checkChild(model);
      return new PullError(
          Reason.TRANSFER_FAILED,
          true,
          "request to Ollama at " + client.base() + " failed: " + OllamaClient.describe(e));
    }
    try (stream) {
      if (stream.status() != 200) {
        return httpError(stream);
      }
      return read(model, progress, stream);
    }
  }

  private PullError read(ModelName model, PullProgress progress, OllamaClient.PullStream stream)
      throws StageException, InterruptedException {
    long lastProgress = System.nanoTime();
    try {
      while (true) {
        long limit = limitNanos(progress);
        long remaining = lastProgress + limit - System.nanoTime();
        if (remaining <= 0) {
          stream.close(); // cancels Ollama's pull; its partial files stay for the retry
          return new PullError(
              Reason.STALLED,
              true,
              "no progress for "
                  + OllamaClient.human(Duration.ofNanos(limit))
                  + " while "
                  + progress.where()
                  + "; cancelled the pull to retry (partial data is kept)");
        }
        String line;
        try {
          line = stream.lines().next(remaining);
        } catch (TimeoutException e) {
          continue;
        }
        if (line == null) {
          break;
        }
        if (progress.accept(line)) {
          lastProgress = System.nanoTime();
        }
        if (progress.error() != null) {
          break;
        }
      }
    } catch (IOException e) {
      checkChild(model);
      return new PullError(
          Reason.TRANSFER_FAILED,
          true,
          "the connection to Ollama broke while "
              + progress.where()
              + ": "
              + OllamaClient.describe(e));
    }
    if (progress.error() != null) {
      return PullError.classify(progress.error());
    }
    if (progress.success()) {
      return null;
    }
    checkChild(model);
    return new PullError(
        Reason.TRANSFER_FAILED,
        true,
        "the stream from Ollama ended without \"success\" while "
            + progress.where()
            + " (last status: "
            + progress.lastStatus()
            + ")");
  }

  private long limitNanos(PullProgress progress) {
    long stall = options.stallTimeout().toNanos();
    if (progress.phase() != PullProgress.Phase.VERIFYING) {
      return stall;
    }
    long hashSeconds = progress.bytesToVerify() / options.verifyBytesPerSecond();
    return stall + Duration.ofSeconds(hashSeconds).toNanos();
  }

  private PullError httpError(OllamaClient.PullStream stream)
      throws StageException, InterruptedException {
    StringBuilder body = new StringBuilder();
    try {
      for (String line; (line = stream.lines().next(options.stallTimeout().toNanos())) != null; ) {
        body.append(line).append('\n');
      }
    } catch (IOException | TimeoutException e) {
      // keep what arrived
    }
    String message = OllamaClient.errorText(body.toString());
    int status = stream.status();
    if (status == 403) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "Ollama at "
              + client.base()
              + " answered /api/pull with HTTP 403 (it rejects the Host header '"
              + client.base().getAuthority()
              + "' when bound to loopback); use 127.0.0.1 in OLLAMA_HOST");
    }
    if (status == 404 || status == 405) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "the server at "
              + client.base()
              + " has no /api/pull (HTTP "
              + status
              + "): is OLLAMA_HOST an Ollama server?");
    }
    PullError classified = PullError.classify(message);
    String text = "HTTP " + status + ": " + classified.message();
    if (status >= 500 || status == 429) {
      return new PullError(classified.reason(), classified.transientError(), text);
    }
    // Other 4xx are Ollama refusing the request itself (bad name, bad JSON): asking again is
    // futile.
    return new PullError(classified.reason(), false, text);
  }

  /** Fails the run if the Ollama child died: nothing else can be pulled (exit 3). */
  private void checkChild(ModelName model) throws StageException, InterruptedException {
    if (server != null && server.exited(DEATH_GRACE)) {
      throw new StageException(
          Reason.OLLAMA_UNAVAILABLE,
          "ollama serve died while pulling " + model.displayShortest() + ": " + server.deathNote());
    }
  }

  private Manifest readManifest(ModelName model, PullProgress progress) throws StageException {
    Path path;
    byte[] bytes;
    try {
      Optional<Path> found = ManifestLocator.find(layout, model);
      if (found.isEmpty()) {
        throw new StageException(
            Reason.OLLAMA_UNAVAILABLE,
            "Ollama reported success for "
                + model.displayShortest()
                + " but there is no manifest at "
                + layout.manifest(model)
                + " (in any letter case): the Ollama server at "
                + client.base()
                + " stores models somewhere else than "
                + layout.root()
                + "; give it the same OLLAMA_MODELS as --models-dir");
      }
      path = found.get();
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new StageException(
          Reason.NOT_WRITABLE,
          "cannot read the manifest of " + model.displayShortest() + ": " + e,
          e);
    }
    Manifest manifest;
    try {
      manifest = Manifest.parse(bytes);
    } catch (StoreException e) {
      throw new StageException(
          Reason.MANIFEST_INVALID,
          "the manifest Ollama wrote for "
              + model.displayShortest()
              + " at "
              + path
              + " is invalid: "
              + e.getMessage(),
          e);
    }
    progress.finish(manifest);
    return manifest;
  }

  /** Stops the child process, if this driver started one. */
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
