package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.Retries;
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

  private final OllamaOptions options;
  private final StoreLayout layout;
  private final OllamaRuntime runtime;
  private final Map<ModelName, PreviousManifest> previous = new HashMap<>();

  /**
   * @param layout the store Ollama writes into: the child gets its root as {@code OLLAMA_MODELS},
   *     and the driver reads the manifest there
   */
  public OllamaDriver(StoreLayout layout, OllamaOptions options) {
    this.layout = layout;
    this.options = options;
    this.runtime = new OllamaRuntime(layout, options);
  }

  /**
   * Reaches a ready Ollama: checks the existing server, or starts the child process and waits for
   * it. Called by {@link #resolve} and {@link #stage}; the app may call it first to fail early.
   */
  public void start() throws StageException {
    runtime.start();
  }

  /** The Ollama server's base URL, once started. */
  public Optional<URI> baseUri() {
    return runtime.baseUri();
  }

  /** The pid of the {@code ollama serve} child, when this driver runs one. */
  java.util.OptionalLong serverPid() {
    return runtime.serverPid();
  }

  /** The exit code of the child after {@link #close}, or -1. */
  int stoppedExitCode() {
    return runtime.stoppedExitCode();
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
    OllamaClient client = runtime.start();
    confined(model);
    previous.put(model, PreviousManifest.of(layout, model));
    PullAttempt attempt = new PullAttempt(client, options, runtime);
    PullProgress progress = new PullProgress(model, listener);
    try {
      for (int tries = 0; ; tries++) {
        PullError failure = attempt.run(model, progress);
        if (failure == null) {
          Manifest manifest = ManifestLocator.read(layout, model, client.base());
          progress.finish(manifest);
          return manifest;
        }
        if (!failure.transientError()) {
          throw new StageException(failure.reason(), failed(model, failure.message()));
        }
        if (tries >= options.retries()) {
          throw new StageException(
              failure.reason(),
              failed(model, failure.message())
                  + " (gave up after "
                  + (tries + 1)
                  + (tries == 0 ? " attempt)" : " attempts)"));
        }
        Duration wait = backoff(tries);
        listener.retry(
            model, Retries.note("pull: " + failure.message(), tries + 1, options.retries(), wait));
        options.sleeper().sleep(wait);
        runtime.checkChild(model);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StageException(
          Reason.INTERRUPTED, "interrupted while pulling " + model.displayShortest(), e);
    }
  }

  /** The re-hash failed a blob of the manifest Ollama wrote: the previous one comes back. */
  @Override
  public void abandon(ModelName model) throws StageException {
    PreviousManifest before = previous.remove(model);
    if (before != null) {
      before.restore();
    }
  }

  /**
   * Ollama follows symbolic links wherever they lead: before it pulls, every directory it will
   * write into for this model must stay inside the store.
   */
  private void confined(ModelName model) throws StageException {
    StoreWriter writer = new StoreWriter(layout);
    try {
      writer.confineWorkingDirs();
      writer.confine(layout.manifest(model).getParent());
    } catch (IOException e) {
      throw new StageException(Reason.NOT_WRITABLE, e.getMessage(), e);
    }
  }

  private static String failed(ModelName model, String message) {
    return "ollama could not pull " + model.displayShortest() + ": " + message;
  }

  Duration backoff(int attempt) {
    long millis = options.backoff().toMillis() << Math.min(attempt, 20);
    return Duration.ofMillis(Math.min(millis, options.maxBackoff().toMillis()));
  }

  /** Stops the child process, if this driver started one. */
  @Override
  public void close() {
    runtime.close();
  }
}
