package org.ollamaairgap.stager.ollama;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * One streamed {@code POST /api/pull}: reads the progress lines until {@code success}, an error,
 * the end of the stream or a stall, and says which of them it was. Retrying is the driver's job.
 */
final class PullAttempt {
  private final OllamaClient client;
  private final OllamaOptions options;
  private final OllamaRuntime runtime;

  PullAttempt(OllamaClient client, OllamaOptions options, OllamaRuntime runtime) {
    this.client = client;
    this.options = options;
    this.runtime = runtime;
  }

  /**
   * One {@code /api/pull}.
   *
   * @return null on {@code success}, else what went wrong
   * @throws StageException when the Ollama child died or Ollama cannot be this server at all
   */
  PullError run(ModelName model, PullProgress progress)
      throws StageException, InterruptedException {
    progress.startAttempt();
    OllamaClient.PullStream stream;
    try {
      stream = client.pull(model.toString(), options.insecure(), options.stallTimeout());
    } catch (ConnectException e) {
      runtime.checkChild(model);
      return new PullError(
          Reason.OLLAMA_UNAVAILABLE,
          true,
          "cannot connect to Ollama at " + client.base() + ": connection refused");
    } catch (TimeoutException e) {
      runtime.checkChild(model);
      return new PullError(
          Reason.STALLED,
          true,
          "Ollama at "
              + client.base()
              + " did not answer /api/pull within "
              + OllamaClient.human(options.stallTimeout()));
    } catch (IOException e) {
      runtime.checkChild(model);
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
      runtime.checkChild(model);
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
    runtime.checkChild(model);
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
}
